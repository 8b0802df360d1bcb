"""Downloading a workbook that is built as a background job (issue 21): press 下载 (POST), land
on the job page, take its download link. The suite's immediate backend has run the job by then."""

from django.urls import reverse

from zhaoshang.jobs.models import Job


def job_of(response):
    """The Job a 302 to its page points at."""
    assert response.status_code == 302, response.status_code
    prefix = reverse("jobs:list")
    assert response["Location"].startswith(prefix), response["Location"]
    return Job.objects.get(pk=int(response["Location"][len(prefix) :].split("/")[0]))


def job_message(response):
    """What a finished job's page says it did (its result message, or its first error)."""
    job = job_of(response)
    return job.result.get("message") or (job.errors[0][3] if job.errors else "")


def job_download(client, response):
    """The finished job's file response (asserting the page offers the link)."""
    job = job_of(response)
    page = client.get(response["Location"]).content.decode()
    link = reverse("jobs:download", args=[job.pk])
    assert link in page, f"job #{job.pk} ({job.status}) offers no download"
    return client.get(link)


def ranking_download(client, year, quarter):
    """The ranking workbook as the user downloads it, through its job."""
    response = client.post(reverse("workbook:ranking", args=[year, quarter]))
    if response.status_code != 302:
        return response  # refused: 403 / 404
    return job_download(client, response)
