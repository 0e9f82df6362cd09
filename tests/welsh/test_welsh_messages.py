"""Every message to a victim in the language they chose (issue 17): Welsh through the real dispatch and
outbox; both languages, Welsh first, for a victim who chose both, within GOV.UK Notify's limits (a text
message at most 918 characters) for every event type, discreet and detailed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.services.accounts import invitations
from portal.services.messaging import bilingual, notices
from portal.services.vocabulary import EVENT_TYPES
from tests.messaging.test_dispatch_wording import (
    MONDAY_NOON,
    announce,
    new_case,
    outbox_for,
    unit_of_work,
    victim_on,
)
from tests.messaging.test_messages import long_details

BASE = "http://127.0.0.1:5000"
SIGN_IN = "https://www.example.service.gov.uk/sign-in"
PREFERENCES = "https://www.example.service.gov.uk/preferences"
WELSH_UPDATE = "Mae gennych ddiweddariad newydd"
ENGLISH_UPDATE = "You have a new update"


def outbox_for_correlation(session: Session, correlation: str) -> list[OutboundMessage]:
    return list(session.scalars(select(OutboundMessage).where(OutboundMessage.correlation == correlation)))


def test_a_victim_who_chose_welsh_gets_their_message_in_welsh(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", language="cy")
        announce(session, case, "hearing-scheduled", MONDAY_NOON)
        [message] = outbox_for(session, victim_id=ann.id)
        assert message.subject == WELSH_UPDATE
        assert "Mewngofnodwch" in message.body and f"{BASE}/sign-in" in message.body
        assert "Sign in" not in message.body and ENGLISH_UPDATE not in message.body


def test_a_detailed_welsh_email_dates_the_hearing_in_welsh(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", language="cy", detailed={"email": True})
        announce(session, case, "hearing-scheduled", MONDAY_NOON)
        [message] = outbox_for(session, victim_id=ann.id)
        assert message.subject == "Mae gwrandawiad llys wedi'i drefnu"
        assert "# Beth sy'n digwydd nesaf" in message.body
        details = EVENT_TYPES["hearing-scheduled"].details_schema["examples"][0]
        day = datetime.fromisoformat(details["hearing_at"]).day
        assert any(f"{day} {month}" in message.body for month in ("Ionawr", "Chwefror", "Mawrth", "Ebrill",
            "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"))  # fmt: skip


def test_a_victim_who_chose_both_gets_one_message_welsh_first(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", language="both")
        announce(session, case, "hearing-scheduled", MONDAY_NOON)
        [message] = outbox_for(session, victim_id=ann.id)
        assert message.subject == f"{WELSH_UPDATE} / {ENGLISH_UPDATE}"
        # The whole Welsh message (its footer too), then the whole English one.
        welsh_end = message.body.index("I newid sut a phryd rydym yn cysylltu â chi")
        english_start = message.body.index(ENGLISH_UPDATE)
        assert message.body.index(WELSH_UPDATE) < welsh_end < english_start
        assert message.body.index("To change how and when we contact you") > english_start


def test_a_daily_digest_for_both_is_welsh_then_english(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", language="both", frequency="daily-digest")
        announce(session, case, "verdict", MONDAY_NOON)
        [digest] = outbox_for(session, victim_id=ann.id, purpose="digest")
        assert digest.subject == "Mae gennych ddiweddariadau newydd / You have new updates"
        assert digest.body.index("Mae gennych ddiweddariadau newydd.") < digest.body.index(
            "You have new updates."
        )


def test_the_delegation_notice_follows_the_language_too(app: Flask) -> None:
    with app.app_context():
        assert notices.discreet_notice("cy", SIGN_IN, PREFERENCES)[0] == "Mae gennych neges newydd"
        subject, body = notices.discreet_notice("both", SIGN_IN, PREFERENCES)
        assert subject == "Mae gennych neges newydd / You have a new message"
        assert body.index("Mae gennych neges newydd.") < body.index("You have a new message.")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("code", sorted(EVENT_TYPES))
def test_a_bilingual_text_message_fits_notify_for_every_event_type(app: Flask, code: str) -> None:
    """Discreet and detailed, urgent or not, with the longest details an agency may send."""
    with app.app_context():
        for detailed in (False, True):
            for urgent in (False, True):
                message = bilingual.render_update_message(
                    code,
                    long_details(code),
                    channel="sms",
                    language="both",
                    detailed=detailed,
                    urgent=urgent,
                    sign_in_url=SIGN_IN,
                    preferences_url=PREFERENCES,
                    occurred_at=datetime(2027, 3, 1, 9, 0, tzinfo=UTC),
                )
                assert message.subject is None
                assert len(message.body) <= bilingual.SMS_MAX_CHARACTERS, (code, detailed, urgent)
                welsh, english = message.body.split("\n\n", 1)
                assert "Mewngofnodwch" in welsh and "Sign in" not in welsh
                assert "Sign in" in english, (code, detailed, urgent)


def test_a_language_no_one_can_choose_is_refused(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError, match="fr"):
        bilingual.render_update_message(
            "verdict",
            {},
            channel="sms",
            language="fr",
            detailed=False,
            sign_in_url=SIGN_IN,
            preferences_url=PREFERENCES,
            occurred_at=MONDAY_NOON,
        )


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        ("cy", "Rydych wedi cael gwahoddiad i sefydlu cyfrif GOV.UK."),
        ("both", "Rydych wedi cael gwahoddiad i sefydlu cyfrif GOV.UK."),
        ("en", "You have been invited to set up a GOV.UK account."),
    ],
)
def test_a_victims_invitation_is_in_their_language(app: Flask, language: str, opening: str) -> None:
    with unit_of_work(app) as session:
        case = new_case(session)
        ann = victim_on(session, case, "Ann", language=language)
        invitation = invitations.invite_victim(session, ann, invited_by_label="test")
        assert invitation is not None
        session.flush()
        [message] = outbox_for_correlation(session, f"invitation:{invitation.id}")
        assert message.body.startswith(opening)
        assert ("You have been invited" in message.body) == (language != "cy")
        if language == "both":
            assert message.subject == "Sefydlu eich cyfrif GOV.UK / Set up your GOV.UK account"
