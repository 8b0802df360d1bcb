"""The demo city, loaded by `manage.py load_demo` in the order its command lists."""
