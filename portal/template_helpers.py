"""Jinja filters and globals: GOV.UK date style in UK time, agency labels."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from portal.services import vocabulary

LONDON = ZoneInfo("Europe/London")

SOURCE_TAG_CLASSES = {
    "police": "govuk-tag--blue",
    "cps": "govuk-tag--purple",
    "witness_care": "govuk-tag--green",
    "probation": "govuk-tag--orange",
}


def govuk_date(value: datetime | date | None) -> str:
    """'14 March 2027' (UK time for datetimes)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value.strftime('%B %Y')}"


def govuk_time(value: datetime) -> str:
    """'2:30pm', 'midday', 'midnight' as the GOV.UK style guide asks."""
    local = value.astimezone(LONDON)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def govuk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{govuk_date(value)} at {govuk_time(value)}"


def source_label(source: str | None) -> str:
    if source is None:
        return ""
    return str(vocabulary.AGENCY_LABELS[vocabulary.Agency(source)])


def init_app(app: Flask) -> None:
    app.add_template_filter(govuk_date)
    app.add_template_filter(govuk_time)
    app.add_template_filter(govuk_datetime)
    app.add_template_global(source_label)
    app.add_template_global(lambda source: SOURCE_TAG_CLASSES.get(source, ""), name="source_tag_class")
