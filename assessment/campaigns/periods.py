"""The reporting periods of a campaign (issue 20 item 4): calendar weeks (Monday to Sunday) for
周报, calendar 旬 (1–10, 11–20, 21 to the month's end) for 旬报, each cut to the campaign's
dates and numbered from 1. A report is due the day after its period ends (`due`)."""

import datetime
from dataclasses import dataclass

from assessment.models import ReportCadence

DAY = datetime.timedelta(days=1)
# 报送时限: the day after the period ends; a report filed later is marked 逾期.
DUE_AFTER_DAYS = 1


@dataclass(frozen=True)
class Period:
    number: int
    start: datetime.date
    end: datetime.date
    cadence: str

    @property
    def due(self):
        return self.end + datetime.timedelta(days=DUE_AFTER_DAYS)

    @property
    def label(self):
        kind = "周" if self.cadence == ReportCadence.WEEKLY else "旬"
        return f"第{self.number}{kind}（{self.start:%m月%d日}—{self.end:%m月%d日}）"


def _period_end(day, cadence):
    if cadence == ReportCadence.WEEKLY:
        return day + datetime.timedelta(days=6 - day.weekday())
    if day.day <= 10:
        return day.replace(day=10)
    if day.day <= 20:
        return day.replace(day=20)
    first_next = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first_next - DAY


def periods(campaign):
    """Every period of `campaign`, in order."""
    out, day, n = [], campaign.start, 1
    while day <= campaign.end:
        end = min(_period_end(day, campaign.report_cadence), campaign.end)
        out.append(Period(n, day, end, campaign.report_cadence))
        day, n = end + DAY, n + 1
    return out


def period_of(campaign, number):
    """Period `number` of `campaign`, or None when it has no such period."""
    found = periods(campaign)
    return found[number - 1] if 1 <= number <= len(found) else None


def current_period(campaign, today):
    """The period holding `today`; the first before the campaign, the last after it."""
    found = periods(campaign)
    for period in found:
        if today <= period.end:
            return period
    return found[-1]
