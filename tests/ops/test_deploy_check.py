"""Production settings: `check --deploy` is clean, secrets are required, static files build."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
CLEARED = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args, **env_overrides):
    # A production-like environment: nothing a test session set up leaks in (the browser
    # tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly rejects).
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def production_env(**extra):
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "example.gov.cn",
        **extra,
    }


def test_deploy_check_passes_without_warnings():
    result = run_manage("check", "--deploy", **production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "no issues" in output


def test_production_refuses_to_start_without_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_is_reported():
    env = production_env()
    del env["ALLOWED_HOSTS"]
    result = run_manage("check", "--deploy", **env)
    assert "ALLOWED_HOSTS" in result.stdout + result.stderr


def test_collectstatic_builds_the_compressed_manifest(tmp_path):
    result = run_manage("collectstatic", "--noinput", **production_env(STATIC_ROOT=str(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = tmp_path / "staticfiles.json"
    assert manifest.exists()
    # Hashed names and pre-compressed copies are what WhiteNoise serves with long cache headers.
    assert list((tmp_path / "vendor" / "bootstrap").glob("bootstrap.min.*.css"))
    assert list((tmp_path / "css").glob("app.*.css.gz"))


SHELL_PRINT = "from django.conf import settings; print(repr({}))"


def test_production_refuses_short_patterned_or_published_secret_keys():
    published = "django-insecure-" + secrets.token_urlsafe(48)
    for key, reason in [
        ("x", "1 characters long"),
        ("ab" * 40, "distinct characters"),
        ("django-insecure-development-only-key-never-use-in-production", "published"),
        (published, "published"),
    ]:
        result = run_manage("check", **production_env(SECRET_KEY=key))
        assert result.returncode != 0, key
        assert "SECRET_KEY" in result.stderr
        assert reason in result.stderr


def test_a_generated_secret_key_starts():
    result = run_manage("check", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_forwarded_proto_is_trusted_only_behind_a_declared_proxy():
    setting = SHELL_PRINT.format('getattr(settings, "SECURE_PROXY_SSL_HEADER", None)')
    plain = run_manage("shell", "-c", setting, **production_env())
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines()[-1] == "None"
    proxied = run_manage("shell", "-c", setting, **production_env(BEHIND_PROXY="1"))
    assert proxied.stdout.splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_deploy_check_passes_behind_a_proxy():
    result = run_manage("check", "--deploy", **production_env(BEHIND_PROXY="1"))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
