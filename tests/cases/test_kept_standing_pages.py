"""The victim's kept standing on the case page, on both databases: the page shows the kept copy while it
holds, and no longer; and every kind of change the standing is worked out from makes the database drop
the copy and raise the pair's revision, whichever code makes it (migration 0028's triggers).

These tests turn off the suite's own check (KEPT_STANDING_CHECKED), so that what they see is what a
victim would see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from notifications import outbox
from portal.data import cases as cases_data
from portal.data import retention as retention_data
from portal.data import updates as updates_data
from portal.extensions import db
from portal.models import (
    Case,
    CaseStanding,
    CaseUpdate,
    CaseVictim,
    Communication,
    RecordedContact,
    RecordedContactUpdate,
    UpdateSeen,
    Victim,
)
from portal.services.cases import kept_standing, standing
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.builders import create_update

WANTED = "Wanted on a court warrant"


def _case_id(session: Session, urn: str = DEMO_CASE_URN) -> int:
    found = session.scalar(select(Case.id).where(Case.urn == urn))
    assert found is not None
    return found


def _revision(session: Session) -> int:
    return session.execute(
        select(CaseVictim.standing_revision).where(
            CaseVictim.case_id == _case_id(session), CaseVictim.victim_id == DEMO_VICTIM_ID
        )
    ).scalar_one()


def _copies(session: Session) -> list[CaseStanding]:
    return list(session.scalars(select(CaseStanding).where(CaseStanding.victim_id == DEMO_VICTIM_ID)))


def _kept_by_viewing(app: Flask, client: FlaskClient) -> str:
    """Views the case page until its standing is kept (the first view opens what is new, the second keeps
    it): the page as the victim last saw it."""
    app.config["KEPT_STANDING_CHECKED"] = False
    for _ in range(3):
        page = client.get(f"/cases/{DEMO_CASE_URN}")
        assert page.status_code == 200
    with app.app_context(), db.job() as session:
        copies = _copies(session)
        assert [(copy.case_id, copy.locale, copy.revision) for copy in copies] == [
            (_case_id(session), "en", _revision(session))
        ]
    return page.get_data(as_text=True)


def _tamper(app: Flask, **values: object) -> None:
    """Rewrite the kept copy as if the case said the suspect were wanted (straight into the table, which
    no trigger watches): so a page that shows it can only have read the kept copy."""
    with app.app_context(), db.job() as session:
        (copy,) = _copies(session)
        kept = kept_standing.from_payload(copy.payload)
        assert kept is not None
        found = standing.Standing(**{**kept.standing.__dict__, "status": standing.WANTED})
        session.execute(
            update(CaseStanding)
            .where(CaseStanding.victim_id == DEMO_VICTIM_ID)
            .values(payload=kept_standing.payload(found, kept.counts, kept.told), **values)
        )


def test_the_case_page_shows_the_kept_copy_only_at_the_pairs_revision_and_in_time(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    assert WANTED not in _kept_by_viewing(seeded, victim_client)
    _tamper(seeded)
    assert WANTED in victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)

    with seeded.app_context(), db.job() as session:  # as a trigger would, without dropping the copy
        session.execute(text("UPDATE case_victim SET standing_revision = standing_revision + 1"))
    assert WANTED not in victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)

    assert WANTED not in _kept_by_viewing(seeded, victim_client)
    _tamper(seeded, good_until=datetime.now(UTC) - timedelta(seconds=1))
    assert WANTED not in victim_client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)


def test_welsh_and_english_are_kept_apart(seeded: Flask, victim_client: FlaskClient) -> None:
    _kept_by_viewing(seeded, victim_client)
    _tamper(seeded)
    victim_client.get("/language/cy?next=/")
    welsh = victim_client.get(f"/cases/{DEMO_CASE_URN}")
    assert welsh.status_code == 200
    assert WANTED not in welsh.get_data(as_text=True)
    with seeded.app_context(), db.job() as session:
        assert sorted(copy.locale for copy in _copies(session)) == ["cy", "en"]


# --- Every change the standing is worked out from drops the kept copy ---------------------------------


def _an_update(session: Session) -> CaseUpdate:
    found = session.scalars(
        select(CaseUpdate).where(CaseUpdate.case_id == _case_id(session)).order_by(CaseUpdate.occurred_at)
    ).first()
    assert found is not None
    return found


def _new_update(session: Session) -> None:
    create_update(session, DEMO_CASE_URN, "suspect-charged", agency="police", agency_event_id="kept-new")


def _details_cleared(session: Session) -> None:
    _an_update(session).details = {}
    session.flush()


def _superseded(session: Session) -> None:
    _an_update(session).superseded = True
    session.flush()


def _update_deleted(session: Session) -> None:
    kept = create_update(
        session,
        DEMO_CASE_URN,
        "suspect-charged",
        agency="police",
        agency_event_id="kept-gone",
        announce=False,
    )
    _forget_changes(session)
    session.delete(kept)
    session.flush()


def _reported_on(session: Session) -> None:
    case = session.get(Case, _case_id(session))
    assert case is not None
    case.reported_on = date(2026, 1, 2)
    session.flush()


def _seen_on_another_case(session: Session) -> None:
    """An update of the victim's other case opened: told times are the victim's, so every copy goes."""
    other = session.scalar(
        select(CaseUpdate.id)
        .join(CaseVictim, CaseVictim.case_id == CaseUpdate.case_id)
        .where(CaseVictim.victim_id == DEMO_VICTIM_ID, CaseUpdate.case_id != _case_id(session))
        .where(~CaseUpdate.id.in_(select(UpdateSeen.update_id).where(UpdateSeen.victim_id == DEMO_VICTIM_ID)))
    )
    assert other is not None
    updates_data.add_seen(session, DEMO_VICTIM_ID, [other])


def _message(session: Session, *, delivered: bool) -> str:
    message = outbox.enqueue(session, channel="sms", recipient="07700900001", body="x")
    if delivered:
        message.delivered_at = datetime.now(UTC)
    session.flush()
    return message.id


def _communication(session: Session, message_id: str) -> None:
    session.add(
        Communication(
            victim_id=DEMO_VICTIM_ID,
            update_id=_an_update(session).id,
            outbound_message_id=message_id,
            channel="sms",
            purpose="update",
        )
    )
    session.flush()


def _delivered(session: Session) -> None:
    """A message about an update reaches the victim (Notify's receipt): they were told then."""
    message_id = _message(session, delivered=False)
    _communication(session, message_id)
    _forget_changes(session)  # a message not delivered tells nobody anything
    message = session.get(outbox.OutboundMessage, message_id)
    assert message is not None
    message.delivered_at = datetime.now(UTC)
    session.flush()


def _linked_to_a_delivered_message(session: Session) -> None:
    message_id = _message(session, delivered=True)
    _forget_changes(session)  # delivered, but not yet known to be about this victim's update
    _communication(session, message_id)


def _contact_recorded(session: Session) -> None:
    session.add(
        RecordedContact(
            victim_id=DEMO_VICTIM_ID,
            case_id=_case_id(session),
            method="phone",
            told_at=datetime.now(UTC),
            by_label="Witness Care",
        )
    )
    session.flush()


def _update_added_to_a_recorded_contact(session: Session) -> None:
    _contact_recorded(session)
    contact = session.scalars(
        select(RecordedContact).where(RecordedContact.victim_id == DEMO_VICTIM_ID)
    ).one()
    _forget_changes(session)
    session.add(RecordedContactUpdate(recorded_contact_id=contact.id, update_id=_an_update(session).id))
    session.flush()


def _victims_merged(session: Session) -> None:
    """The same person added again by an agency, with an update for them alone; then the two records
    merged: the update becomes the victim's."""
    case = session.get(Case, _case_id(session))
    assert case is not None
    again = Victim(given_name="Sam", family_name="Sample")
    session.add(again)
    session.flush()
    session.add(CaseVictim(case_id=case.id, victim_id=again.id))
    session.flush()
    create_update(
        session, case, "suspect-charged", agency="police", agency_event_id="kept-own", victim_id=again.id
    )
    _forget_changes(session)
    cases_data.move_victim_cases(session, again.id, DEMO_VICTIM_ID)


def _erased(session: Session) -> None:
    retention_data.clear_victim(session, DEMO_VICTIM_ID, datetime.now(UTC))


#: The kept copy as the page kept it, and the revision it was last put back at (`_forget_changes`).
_KEPT_AT: dict[str, object] = {}


def _forget_changes(session: Session) -> None:
    """Put the kept copy back at the pair's revision now. For the changes made in two steps, the first of
    which alone changes nothing the standing reads (and may or may not drop the copy): so that the test
    sees what the second step does."""
    session.flush()
    session.execute(delete(CaseStanding))
    _KEPT_AT["revision"] = _revision(session)
    session.add(CaseStanding(**{**_KEPT_AT["copy"], "revision": _KEPT_AT["revision"]}))  # type: ignore[dict-item]
    session.flush()


CHANGES: dict[str, Callable[[Session], None]] = {
    "an update stored": _new_update,
    "an update's details cleared": _details_cleared,
    "an update corrected (superseded)": _superseded,
    "an update deleted": _update_deleted,
    "the case's reported date": _reported_on,
    "an update opened (on another case)": _seen_on_another_case,
    "a message delivered": _delivered,
    "a delivered message linked to an update": _linked_to_a_delivered_message,
    "a contact recorded": _contact_recorded,
    "an update added to a recorded contact": _update_added_to_a_recorded_contact,
    "two victim records merged": _victims_merged,
    "the victim's data erased": _erased,
}


#: Erasing the victim's data clears the details of updates for them alone (the demo case has none, so the
#: standing reads nothing different): it drops their kept copies itself (`retention.clear_victim`).
DROPPED_ONLY = {"the victim's data erased"}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_every_change_the_standing_is_worked_out_from_drops_the_kept_copy(
    seeded: Flask, victim_client: FlaskClient, change: str
) -> None:
    _kept_by_viewing(seeded, victim_client)
    with seeded.app_context(), db.job() as session:
        (copy,) = _copies(session)
        _KEPT_AT["copy"] = {
            name: getattr(copy, name) for name in ("case_id", "victim_id", "locale", "good_until", "payload")
        }
        _forget_changes(session)
        CHANGES[change](session)
        session.flush()
        assert _copies(session) == []
        if change not in DROPPED_ONLY:
            assert _revision(session) > _KEPT_AT["revision"]  # type: ignore[operator]
    if change not in DROPPED_ONLY:  # (an erased victim has no account left to sign in with)
        # And the page works the standing out again, and keeps it again.
        _kept_by_viewing(seeded, victim_client)


def _entry(page: str, update_id: str) -> str:
    start = page.index(f'id="update-{update_id}"')
    return page[start : page.index('class="app-timeline__rating"', start)]


def test_the_dates_of_rights_on_the_page_run_from_the_kept_told_times(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    """The CPS's Victims' Right to Review runs from when the victim was told of the decision: the view
    that uses the kept copy gives the same last days as the view that worked them out from the database."""
    seeded.config["KEPT_STANDING_CHECKED"] = False
    with seeded.app_context():
        update_id = create_update(
            seeded,
            DEMO_CASE_URN,
            "case-discontinued",
            agency="cps",
            agency_event_id="kept-told",
            announce=False,
        ).id
    path = f"/cases/{DEMO_CASE_URN}"
    pages = [victim_client.get(path).get_data(as_text=True) for _ in range(3)]  # opens, keeps, uses
    with seeded.app_context(), db.job() as session:
        assert len(_copies(session)) == 1
    assert "Ask by" in _entry(pages[1], update_id)  # told when the first view opened it
    assert _entry(pages[2], update_id) == _entry(pages[1], update_id)  # the first also said "New"
