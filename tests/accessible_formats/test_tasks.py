"""Issue 17: a victim's recorded needs change what the service does. A letter to a victim who needs large
print, braille or easy read, or any update to a victim who needs British Sign Language or an interpreter,
becomes a task for the unit that owns the case, due by the update's Code deadline; the officer marks it
sent, and the timeliness report counts it on time or late. Another unit never sees or touches it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from portal.extensions import db
from portal.models import AccessibleFormatTask, AuditEvent
from portal.models.accessible_formats import BSL, INTERPRETER, LETTER_FORMATS
from portal.services.accessible_formats.rules import tasks_needed
from tests.support.builders import create_case, create_preferences_version, create_update, create_victim
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import signed_in

URN = "01YZ7654399"
ALWAYS = {
    "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "safe_from": "00:00",
    "safe_to": "23:59",
}
NEEDS = ("large-print", "easy-read", "bsl", "braille", "screen-reader", "advocate")
CHANNELS = ("email", "sms", "letter")


# --- The rule ----------------------------------------------------------------------------------


def test_a_letter_to_someone_who_needs_large_print_is_a_task() -> None:
    needed = tasks_needed(["letter"], ["large-print"], interpreter_needed=False, interpreter_language=None)
    assert [n.kind for n in needed] == ["large-print"]


def test_an_email_to_someone_who_needs_large_print_is_not() -> None:
    """Their device makes the text as large as they need."""
    assert tasks_needed(["email"], ["large-print"], interpreter_needed=False, interpreter_language=None) == []


def test_bsl_and_an_interpreter_are_tasks_whatever_the_channel() -> None:
    needed = tasks_needed(["sms"], ["bsl"], interpreter_needed=True, interpreter_language="Polish")
    assert [(n.kind, n.language) for n in needed] == [(BSL, None), (INTERPRETER, "Polish")]


@pytest.mark.parametrize("language", ["English", "Welsh", "cymraeg", " english "])
def test_no_interpreter_task_for_a_language_the_service_writes_in(language: str) -> None:
    assert tasks_needed(["sms"], [], interpreter_needed=True, interpreter_language=language) == []


def test_nothing_when_the_victim_is_told_nothing() -> None:
    assert tasks_needed([], ["braille", "bsl"], interpreter_needed=True, interpreter_language="Urdu") == []


@given(
    channels=st.sets(st.sampled_from(CHANNELS)),
    needs=st.sets(st.sampled_from(NEEDS)),
    interpreter=st.sampled_from([None, "Polish", "English"]),
)
def test_every_task_answers_a_need_the_message_cannot_meet(
    channels: set[str], needs: set[str], interpreter: str | None
) -> None:
    needed = tasks_needed(
        channels, needs, interpreter_needed=interpreter is not None, interpreter_language=interpreter
    )
    kinds = [n.kind for n in needed]
    assert len(kinds) == len(set(kinds))  # never two of one kind
    for kind in kinds:
        assert channels, "a task only for an update the victim is told about"
        if kind in LETTER_FORMATS:
            assert kind in needs and "letter" in channels
        elif kind == BSL:
            assert BSL in needs
        else:
            assert interpreter == "Polish"
    # And every such need on a told update has its task.
    if channels:
        for kind in LETTER_FORMATS:
            assert (kind in kinds) == (kind in needs and "letter" in channels)
        assert (BSL in kinds) == (BSL in needs)


# --- Through the service -----------------------------------------------------------------------


def _victim_who_needs(app: Flask, **needs: object) -> str:
    with app.app_context(), db.job() as session:
        case = create_case(session, URN, offence="Assault")
        victim = create_victim(
            session,
            "Lee",
            "Largeprint",
            case=case,
            address_line_1="4 Demo Street",
            address_town="Exampletown",
            postcode="EX1 1AB",
        )
        create_preferences_version(
            session, victim, {"channels": ["letter"], "safe": {"letter": True}, **ALWAYS, **needs}
        )
        return victim.id


def _tasks(app: Flask) -> list[AccessibleFormatTask]:
    with app.app_context(), db.job() as session:
        rows = list(session.scalars(select(AccessibleFormatTask).order_by(AccessibleFormatTask.id)))
        session.expunge_all()
    return rows


def test_an_update_by_letter_to_a_large_print_reader_gives_the_unit_a_task(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    victim_id = _victim_who_needs(
        seeded, accessibility=["large-print"], interpreter_needed=True, interpreter_language="Polish"
    )
    update = create_update(seeded, URN, "suspect-charged", agency="cps", agency_event_id="af-1")
    tasks = _tasks(seeded)
    assert {(t.kind, t.language) for t in tasks} == {("large-print", None), ("interpreter", "Polish")}
    assert all(t.victim_id == victim_id and t.due_on == update.code_deadline for t in tasks)

    home = page_text(officer_client.get("/staff"))
    assert "Updates to send in an accessible format 2 updates" in home
    page = page_text(officer_client.get("/staff/accessible-formats"))
    assert "Send this update as a letter in large print" in page
    assert "Explain this update through an interpreter in Polish" in page
    assert "Lee Largeprint" in page and URN in page

    # Announcing the same update again makes no second task.
    with seeded.app_context(), db.job() as session:
        from portal.models import Case, CaseUpdate
        from portal.services.messaging import dispatch

        case = session.scalar(select(Case).where(Case.urn == URN))
        stored = session.get(CaseUpdate, update.id)
        assert case is not None and stored is not None
        dispatch.announce_update(session, case, stored)
    assert len(_tasks(seeded)) == 2


def test_marking_a_task_sent_counts_it_on_time_in_the_timeliness_report(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    _victim_who_needs(seeded, accessibility=["braille"])
    create_update(seeded, URN, "suspect-charged", agency="cps", agency_event_id="af-2")
    (task,) = _tasks(seeded)
    sent = post_form(
        officer_client, f"/staff/accessible-formats/{task.id}/sent", {}, page="/staff/accessible-formats"
    )
    assert sent.status_code == 302
    page = page_text(officer_client.get("/staff/accessible-formats"))
    assert "There is nothing to send in another format" in page
    assert "Marked as sent" in page
    (done,) = _tasks(seeded)
    assert done.done_at is not None
    with seeded.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "accessible-format-sent" in actions

    report = page_text(officer_client.get("/staff/timeliness"))
    assert "Updates sent in an accessible format" in report
    assert "Sent on time 1" in report and "Sent late 0" in report


def test_a_task_not_done_by_its_deadline_is_overdue_in_the_report(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    _victim_who_needs(seeded, accessibility=["easy-read"])
    long_ago = datetime.now(UTC) - timedelta(days=30)
    create_update(seeded, URN, "suspect-charged", agency="cps", agency_event_id="af-3", occurred_at=long_ago)
    report = page_text(officer_client.get("/staff/timeliness"))
    assert "Not sent, overdue 1" in report


def test_another_unit_neither_sees_nor_marks_the_task(seeded: Flask) -> None:
    create_other_unit(seeded)
    _victim_who_needs(seeded, accessibility=["large-print"])
    create_update(seeded, URN, "suspect-charged", agency="cps", agency_event_id="af-4")
    (task,) = _tasks(seeded)
    other = signed_in(seeded, "other.officer@demo.example")
    assert "Lee Largeprint" not in page_text(other.get("/staff/accessible-formats"))
    refused = post_form(
        other, f"/staff/accessible-formats/{task.id}/sent", {}, page="/staff/accessible-formats"
    )
    assert refused.status_code == 404
    assert _tasks(seeded)[0].done_at is None


def test_a_victim_who_needs_nothing_special_gives_no_task(seeded: Flask) -> None:
    _victim_who_needs(seeded)
    create_update(seeded, URN, "suspect-charged", agency="cps", agency_event_id="af-5")
    assert _tasks(seeded) == []


def test_the_sent_list_shows_the_tasks_marked_sent_and_no_others(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    """Two tasks, one marked sent: the "Sent" list holds that one alone, the other is still to do (a list
    of "sent" that also held tasks still to do would tell the officer an update had gone when it had not)."""
    _victim_who_needs(seeded, accessibility=["braille"])
    create_update(seeded, URN, "suspect-charged", agency="cps", agency_event_id="af-6")
    create_update(seeded, URN, "suspect-charged", agency="cps", agency_event_id="af-7")
    first, second = _tasks(seeded)
    post_form(
        officer_client, f"/staff/accessible-formats/{first.id}/sent", {}, page="/staff/accessible-formats"
    )
    html = officer_client.get("/staff/accessible-formats").get_data(as_text=True)
    to_do, _heading, sent = html.partition(">Sent</h2>")
    assert sent.count("Marked as sent") == 1
    assert re.search(r"Marked as sent \d{1,2} [A-Z][a-z]+ \d{4}", sent)  # when: it was, today
    assert f"/staff/accessible-formats/{second.id}/sent" in to_do
    assert f"/staff/accessible-formats/{first.id}/sent" not in html
