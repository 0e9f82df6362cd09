"""What the victim and staff read about dates to avoid and needs at court: the names of the choices and the
error messages for the rules in records.py, translated when shown."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.services.court_needs import records

PART_LABELS: dict[str, Any] = {
    records.WHOLE_DAY: _l("All day"),
    records.MORNING: _l("Morning"),
    records.AFTERNOON: _l("Afternoon"),
}
PART_HINTS: dict[str, Any] = {
    records.MORNING: _l("Before 1pm"),
    records.AFTERNOON: _l("From 1pm"),
}
REASON_LABELS: dict[str, Any] = {
    "medical": _l("Medical appointment"),
    "work": _l("Work"),
    "caring": _l("Childcare or caring for someone"),
    "holiday": _l("Holiday already booked"),
    "religious": _l("Religious observance"),
    "other": _l("Another reason"),
}
NEED_LABELS: dict[str, Any] = {
    records.WAITING_AREA: _l("A separate waiting area, away from the defendant"),
    records.SCREENS: _l("A screen so you do not see the defendant in court"),
    records.LIVE_LINK: _l("Giving evidence by live video link from another room"),
    records.INTERPRETER: _l("An interpreter"),
    records.ACCESS: _l("Help with access, for example step-free access or a hearing loop"),
    records.CHILDCARE: _l("Childcare while you are at court"),
    records.TRAVEL: _l("Help with the cost of travelling to court"),
    records.FEAR: _l("You are afraid of the defendant's family or friends"),
}
#: How staff read the same needs (about the victim, not to them).
STAFF_NEED_LABELS: dict[str, Any] = {
    records.WAITING_AREA: _l("Separate waiting area"),
    records.SCREENS: _l("Screens"),
    records.LIVE_LINK: _l("Live link"),
    records.INTERPRETER: _l("Interpreter"),
    records.ACCESS: _l("Access needs"),
    records.CHILDCARE: _l("Childcare"),
    records.TRAVEL: _l("Help with travel costs"),
    records.FEAR: _l("Afraid of the defendant's family or friends"),
}
FIELD_LABELS: dict[str, Any] = {
    "dates": _l("Dates to avoid"),
    "interpreter_language": _l("Interpreter language"),
    "access_needs": _l("Access needs"),
    "anything_else": _l("Anything else"),
}
MESSAGES: dict[str, Any] = {
    "past": _l("The date must be today or in the future"),
    "too_many": _l(
        "You can add up to %(num)d dates. Remove a date before you add another", num=records.MAX_DATES
    ),
    "part": _l("Select whether you cannot go all day, in the morning or in the afternoon"),
    "reason": _l("Select why you cannot go to court on this date"),
    "duplicate": _l("You have already added this date"),
    "language": _l("Enter the language you need an interpreter for"),
    "language_long": _l("The language must be %(num)d characters or fewer", num=records.MAX_LANGUAGE),
    "access": _l("Enter the help with access you need"),
    "text_long": _l("Your answer must be %(num)d characters or fewer", num=records.MAX_TEXT),
    "hidden_language": _l("%(name)s must not include hidden characters", name=_l("The language")),
    "hidden_access": _l(
        "%(name)s must not include hidden characters", name=_l("The help with access you need")
    ),
    "hidden_anything": _l("%(name)s must not include hidden characters", name=_l("Your answer")),
    "date_missing": _l("Enter the date you cannot go to court"),
    "date_part_missing": _l("The date you cannot go to court must include a %(part)s"),
    "date_not_real": _l("The date you cannot go to court must be a real date"),
}
DATE_PARTS: dict[str, Any] = {"day": _l("day"), "month": _l("month"), "year": _l("year")}
AND = _l("and")


def message(key: str, **values: Any) -> str:
    text = str(MESSAGES[key])
    return text % values if values else text


def changed_labels(fields: tuple[str, ...] | list[str], *, staff: bool = False) -> list[str]:
    """What changed, in words: "Dates to avoid", a need's name, "Access needs"..."""
    needs = STAFF_NEED_LABELS if staff else NEED_LABELS
    return [str(FIELD_LABELS.get(name) or needs.get(name) or name) for name in fields]
