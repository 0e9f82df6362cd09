"""Correction 5 of issue 13 in what victims are sent: a right counted from being told (the police Victims'
Right to Review) is dated from when the message reaches the victim, a letter at its expected arrival, and
never from when the agency had the information. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask

from portal.services.vocabulary import format_date
from portal.services.vocabulary.deadlines import add_months, letter_arrives, london_date
from tests.messaging.test_urgent_events import ADDRESS, EMAIL, PHONE, _announce, _outbox, _victim_with

#: A Friday evening in July: the agency had the information weeks before the message goes.
FRIDAY_EVENING = datetime(2027, 7, 2, 19, 0, tzinfo=UTC)
NFA = "suspect-released-no-further-action"


def _answers(channel: str) -> dict[str, object]:
    return {
        "email": EMAIL,
        "phone": PHONE,
        "address": ADDRESS,
        "channels": [channel],
        "safe": {channel: True},
        "detailed": {channel: True},
        "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "safe_from": "00:00",
        "safe_to": "23:59",
        "frequency": "every-update",
    }


@pytest.mark.parametrize("channel", ["email", "letter"])
def test_police_review_date_in_a_message_counts_from_when_it_reaches_the_victim(
    app: Flask, channel: str
) -> None:
    with app.app_context():
        session = app.extensions["database"].session_factory()
        try:
            _victim, case = _victim_with(session, _answers(channel), email_ok=True, phone_ok=True)
            update = _announce(session, case, NFA, FRIDAY_EVENING)
            [message] = _outbox(session, update)
            told = FRIDAY_EVENING if channel == "email" else letter_arrives(FRIDAY_EVENING)
            expected = format_date(add_months(london_date(told), 3))
            assert f"You can ask for a review until {expected}" in message.body
            # The letter arrives on Tuesday 6 July, so its date is 6 October, not 2 October.
            assert (channel == "letter") == ("6 October 2027" in message.body)
        finally:
            session.rollback()
            session.close()
