"""Fields and checks shared by the projects forms: dates not in the future, months."""

from django import forms
from django.core.exceptions import ValidationError

from projects import services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FUTURE = "日期不能晚于今天。"


def not_future(day):
    if day and day > services.today():
        raise ValidationError(FUTURE)
    return day


class MonthField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": "请输入月份，格式如 2026-03。"}
