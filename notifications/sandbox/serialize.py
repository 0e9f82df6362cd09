"""What Notify answers about a notification: the 201 to a send, and the JSON of a lookup.

Sources in alphagov/notifications-api: app/v2/notifications/create_response.py (the 201 bodies),
app/models.py `Notification.serialize` and `serialize_with_cost_data` (lookups), and
notifications-utils' letter_timings.py (`estimated_delivery`). Costs use illustrative rates: the sandbox
bills nobody.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from notifications.sandbox.content import normalise_key
from notifications.sandbox.state import SandboxNotification, notify_time

FROM_NUMBER = "GOVUK"  # the service's default text message sender
FROM_EMAIL = "sandbox@notifications.service.gov.uk"
SMS_RATE = 0.0227  # pounds a fragment: illustrative
LETTER_RATES = {"first": 1.33, "second": 0.85, "economy": 0.75, "europe": 1.62, "rest-of-world": 1.62}
# app/constants.py NOTIFICATION_STATUS_TYPES_LETTERS_NEVER_SENT: not billed
_LETTERS_NEVER_SENT = frozenset({"cancelled", "technical-failure", "validation-failed", "virus-scan-failed"})
_LONDON = ZoneInfo("Europe/London")
# letter_timings.py get_min_and_max_days_in_transit: the most days each postage spends in transit
_MAX_DAYS_IN_TRANSIT = {"first": 0, "second": 4, "economy": 6, "europe": 5, "rest-of-world": 7}


def created_response(notification: SandboxNotification, url_root: str) -> dict[str, Any]:
    """The 201 answer to `POST /v2/notifications/{type}` (create_response.py)."""
    if notification.type == "sms":
        content: dict[str, Any] = {"from_number": FROM_NUMBER, "body": notification.body}
    elif notification.type == "email":
        content = {
            "from_email": FROM_EMAIL,
            "body": notification.body,
            "subject": notification.subject,
            "one_click_unsubscribe_url": notification.one_click_unsubscribe_url,
        }
    else:
        content = {"body": notification.body, "subject": notification.subject}
    return {
        "id": notification.id,
        "reference": notification.reference,
        "uri": f"{url_root}v2/notifications/{notification.id}",
        "template": {
            "id": notification.template_id,
            "version": notification.template_version,
            "uri": f"{url_root}services/{notification.service_id}/templates/{notification.template_id}",
        },
        "scheduled_for": None,
        "content": content,
    }


def precompiled_response(notification: SandboxNotification) -> dict[str, Any]:
    """The 201 answer to a precompiled letter (post_notifications.py)."""
    return {"id": notification.id, "reference": notification.reference, "postage": notification.postage}


def notification_json(notification: SandboxNotification, url_root: str) -> dict[str, Any]:
    """`GET /v2/notifications/{id}` and each item of `GET /v2/notifications` (serialize_with_cost_data)."""
    letter = notification.type == "letter"
    personalisation = {normalise_key(str(key)): value for key, value in notification.personalisation.items()}
    # A letter's lines come from its personalisation: address_line_1..6 and `postcode` (not address_line_7).
    lines = {f"line_{index}": None for index in range(1, 7)}
    postcode = None
    if letter:
        lines = {f"line_{index}": personalisation.get(f"addressline{index}") for index in range(1, 7)}
        postcode = personalisation.get("postcode")
    serialized: dict[str, Any] = {
        "id": notification.id,
        "reference": notification.reference,
        "email_address": notification.to if notification.type == "email" else None,
        "phone_number": notification.to if notification.type == "sms" else None,
        **lines,
        "postcode": postcode,
        "type": notification.type,
        "status": notification.shown_status,
        "template": {
            "version": notification.template_version,
            "id": notification.template_id,
            "uri": f"{url_root}service/{notification.service_id}/template/{notification.template_id}",
        },
        "body": notification.body,
        "subject": notification.subject,
        "created_at": notify_time(notification.created_at),
        "created_by_name": None,
        "sent_at": notify_time(notification.sent_at),
        "completed_at": notify_time(notification.completed_at),
        "scheduled_for": None,
        "postage": notification.postage,
        "one_click_unsubscribe_url": notification.one_click_unsubscribe_url,
    }
    if letter:
        serialized["estimated_delivery"] = notify_time(
            estimated_delivery(notification.created_at, notification.postage or "second")
        )
    serialized.update(_cost(notification))
    return serialized


def _cost(notification: SandboxNotification) -> dict[str, Any]:
    """models.py `_add_cost_data_for_sms` / `_add_cost_data_for_letter`; emails cost nothing."""
    ready: dict[str, Any] = {"cost_details": {}, "cost_in_pounds": 0.0, "is_cost_data_ready": True}
    not_ready: dict[str, Any] = {"cost_details": {}, "cost_in_pounds": None, "is_cost_data_ready": False}
    units = notification.billable_units
    if notification.type == "sms":
        if notification.status == "created" and not units:
            return not_ready
        details: dict[str, Any] = {
            "billable_sms_fragments": units,
            "international_rate_multiplier": 1.0,
            "sms_rate": SMS_RATE,
        }
        return {"cost_details": details, "cost_in_pounds": units * SMS_RATE, "is_cost_data_ready": True}
    if notification.type == "letter":
        postage = notification.postage or "second"
        if notification.status == "pending-virus-check" or (notification.status == "created" and not units):
            return not_ready
        if notification.status in _LETTERS_NEVER_SENT:
            details = {"billable_sheets_of_paper": 0, "postage": postage}  # same shape as below
            return {"cost_details": details, "cost_in_pounds": 0.0, "is_cost_data_ready": True}
        details = {"billable_sheets_of_paper": units, "postage": postage}
        cost = LETTER_RATES.get(postage, 0.0) if units else 0.0
        return {"cost_details": details, "cost_in_pounds": cost, "is_cost_data_ready": True}
    return ready


def estimated_delivery(created_at: datetime, postage: str) -> datetime:
    """letter_timings.py `LetterTimings.latest_delivery`, weekends only (bank holidays are not known here).

    Anything after 5:30pm London time counts as the next day; letters are printed on the next weekday;
    Royal Mail then delivers on working days (Monday to Saturday for first class, else Monday to Friday)
    after the postage's longest time in transit, by 4pm London time.
    """
    processing_day = created_at.astimezone(_LONDON) + timedelta(hours=6, minutes=30)
    print_day = _offset(processing_day, 1, weekend=(5, 6))
    delivery_weekend = (6,) if postage == "first" else (5, 6)
    delivery = _offset(print_day, 1 + _MAX_DAYS_IN_TRANSIT.get(postage, 4), weekend=delivery_weekend)
    return delivery.replace(hour=16, minute=0).astimezone(UTC)  # set_gmt_hour keeps the seconds


def _offset(day: datetime, working_days: int, *, weekend: tuple[int, ...]) -> datetime:
    while working_days:
        day = day + timedelta(days=1)
        if day.weekday() not in weekend:
            working_days -= 1
    return day
