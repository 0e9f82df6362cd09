"""Granting: the victim's question pages (who, what, until when, check answers, confirmation) with their
GOV.UK errors, the worker's invitations (accept, decline), an officer recording a permission given by
phone, and the victim being told (a discreet message and a banner once)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask

from portal.models import Delegation
from portal.services.delegation.rules import latest_end_date, today_in_london
from portal.services.vocabulary.deadlines import add_months
from tests.support.outbox import messages
from tests.support.pages import page_text, post_form
from tests.support.records import count, get_delegation
from tests.support.scenarios import create_other_unit, make_world
from tests.support.signing_in import signed_in

NEW = "/people-helping-you/new"


def _date(day: date) -> dict[str, str]:
    return {"ends-on-day": str(day.day), "ends-on-month": str(day.month), "ends-on-year": str(day.year)}


def test_a_victim_asks_a_named_worker_who_accepts(seeded: Flask) -> None:
    world = make_world(seeded)
    sam = signed_in(seeded, "victim@demo.example")
    assert "Nobody can see your information or act for you" in page_text(sam.get("/people-helping-you"))
    assert sam.get(NEW).headers["Location"].endswith(f"{NEW}/who")

    nothing = post_form(sam, f"{NEW}/who", {})
    assert "There is a problem" in page_text(nothing) and "Select who you want to help you" in page_text(
        nothing
    )
    assert "<title>Error:" in nothing.get_data(as_text=True)
    assert post_form(sam, f"{NEW}/who", {"kind": "person"}).headers["Location"].endswith(f"{NEW}/email")

    unknown = post_form(sam, f"{NEW}/email", {"email": "nobody@demo.example"})
    assert "There is no support worker with this email address in this service" in page_text(unknown)
    officer = post_form(sam, f"{NEW}/email", {"email": "officer@demo.example"})  # not a support worker
    assert "There is no support worker with this email address" in page_text(officer)
    blank = post_form(sam, f"{NEW}/email", {"email": ""})
    assert "Enter their work email address" in page_text(blank)
    to_what = post_form(sam, f"{NEW}/email", {"email": "Support@Demo.Example"})
    assert to_what.headers["Location"].endswith(f"{NEW}/what")

    none = post_form(sam, f"{NEW}/what", {})
    assert "Select what they can do" in page_text(none)
    change_only = post_form(sam, f"{NEW}/what", {"scopes": ["change-preferences"]})
    assert "To let them change your preferences and needs, also let them see them" in page_text(change_only)
    assert post_form(sam, f"{NEW}/what", {"scopes": ["see-updates", "receive-copies"]}).status_code == 302

    until = sam.get(f"{NEW}/until")
    suggested = add_months(today_in_london(), 6)
    assert f'value="{suggested.day}"' in until.get_data(as_text=True)  # 6 months is suggested
    past = post_form(sam, f"{NEW}/until", _date(today_in_london()))
    assert "The date their help ends must be in the future" in page_text(past)
    too_far = post_form(sam, f"{NEW}/until", _date(latest_end_date() + timedelta(days=1)))
    assert "The date their help ends must be on or before" in page_text(too_far)
    no_month = post_form(
        sam, f"{NEW}/until", {"ends-on-day": "3", "ends-on-month": "", "ends-on-year": "2027"}
    )
    assert "The date their help ends must include a month" in page_text(no_month)
    not_real = post_form(
        sam, f"{NEW}/until", {"ends-on-day": "31", "ends-on-month": "2", "ends-on-year": "2027"}
    )
    assert "The date their help ends must be a real date" in page_text(not_real)
    assert 'href="#ends-on-day"' in not_real.get_data(as_text=True)
    last_day = today_in_london() + timedelta(days=40)
    assert post_form(sam, f"{NEW}/until", _date(last_day)).headers["Location"].endswith(f"{NEW}/check")

    check = page_text(sam.get(f"{NEW}/check"))
    assert "Sunny Supporter (Demo Victim Support)" in check
    assert "See the updates about your case" in check and "Get a copy of our messages to you" in check
    assert "See your contact preferences" not in check
    assert count(seeded, Delegation) == 0  # nothing saved before "Send request"
    sent = post_form(sam, f"{NEW}/check", {})
    assert sent.headers["Location"].endswith(f"{NEW}/confirmation")
    assert "Request sent" in page_text(sam.get(f"{NEW}/confirmation"))
    assert count(seeded, Delegation) == 1
    assert "Waiting for them to accept" in page_text(sam.get("/people-helping-you"))

    # The worker sees the invitation, not yet a client; accepting makes Sam a client.
    worker = signed_in(seeded, "support@demo.example")
    home = page_text(worker.get("/support"))
    assert "Your invitations" in home and "Sam Sample" in home
    assert f"/support/clients/{world.victim}" not in worker.get("/support").get_data(as_text=True)
    delegation_id = _only_delegation_id(seeded)
    accepted = post_form(worker, f"/support/invitations/{delegation_id}/accept", {}, page="/support")
    assert accepted.status_code == 302
    assert worker.get(f"/support/clients/{world.victim}").status_code == 200
    stored = get_delegation(seeded, delegation_id)
    assert stored.scopes == ["see-updates", "receive-copies"] and stored.source == "victim online"

    # Sam is told once, on the next page: a banner. Every change also sends a discreet message.
    first = page_text(sam.get("/cases"))
    assert "Sunny Supporter (Demo Victim Support) accepted your request" in first
    assert "accepted your request" not in page_text(sam.get("/cases"))
    notices = messages(seeded, "delegation-notice")
    assert len(notices) == 2  # the request, then the acceptance
    for message in notices:
        assert message.recipient == "victim@demo.example"
        assert "Sunny" not in message.body and "Support" not in message.body
        assert "Sign in" in message.body


def _only_delegation_id(app: Flask) -> int:
    from sqlalchemy import select

    from portal.extensions import db

    with app.app_context(), db.job() as session:
        ids = list(session.scalars(select(Delegation.id)))
    assert len(ids) == 1
    return ids[0]


def test_a_victim_chooses_an_organisation_and_any_of_its_workers_can_accept(seeded: Flask) -> None:
    world = make_world(seeded)
    sam = signed_in(seeded, "victim@demo.example")
    sam.get(NEW)
    post_form(sam, f"{NEW}/who", {"kind": "organisation"})
    page = page_text(sam.get(f"{NEW}/organisation"))
    assert "Demo Victim Support" in page and "Other Support Service" in page
    assert "Select their organisation" in page_text(post_form(sam, f"{NEW}/organisation", {}))
    post_form(sam, f"{NEW}/organisation", {"organisation": str(world.other_org)})
    post_form(sam, f"{NEW}/what", {"scopes": ["see-preferences", "change-preferences"]})
    post_form(sam, f"{NEW}/until", _date(today_in_london() + timedelta(days=10)))
    assert "Other Support Service" in page_text(sam.get(f"{NEW}/check"))
    post_form(sam, f"{NEW}/check", {})
    delegation_id = _only_delegation_id(seeded)

    demo_worker = signed_in(seeded, "support@demo.example")
    assert "Your invitations" not in page_text(demo_worker.get("/support"))
    stranger = signed_in(seeded, "stranger@demo.example")
    assert "anyone in it can accept" in page_text(stranger.get("/support"))
    post_form(stranger, f"/support/invitations/{delegation_id}/decline", {}, page="/support")
    assert stranger.get(f"/support/clients/{world.victim}").status_code == 404
    assert "Other Support Service did not accept your request" in page_text(sam.get("/people-helping-you"))
    assert "Did not accept" in page_text(sam.get("/people-helping-you"))


def test_an_officer_records_a_permission_given_by_phone_and_the_victim_is_told(seeded: Flask) -> None:
    world = make_world(seeded)
    officer = signed_in(seeded, "officer@demo.example")
    url = f"/staff/victims/{world.victim}/delegations/new"
    form = officer.get(url)
    assert form.status_code == 200
    neither = post_form(
        officer, url, {**_date(today_in_london() + timedelta(days=20)), "scopes": ["see-updates"]}
    )
    assert "Enter the support worker's work email address, or select their organisation" in page_text(neither)
    no_note = post_form(
        officer,
        url,
        {
            "email": "support@demo.example",
            "scopes": ["see-updates"],
            "source": "officer: by phone",
            **_date(today_in_london() + timedelta(days=20)),
        },
    )
    assert "Enter what the victim said when they gave their permission" in page_text(no_note)
    done = post_form(
        officer,
        url,
        {
            "email": "support@demo.example",
            "scopes": ["see-updates"],
            "source": "officer: by phone",
            "consent_note": "Sam rang on Monday: Sunny can see my updates.",
            **_date(today_in_london() + timedelta(days=20)),
        },
    )
    assert done.headers["Location"].endswith(f"/staff/victims/{world.victim}/delegations")
    stored = get_delegation(seeded, _only_delegation_id(seeded))
    assert stored.source == "officer: by phone" and stored.granted_by_label == "Olive Officer"
    assert stored.consent_note == "Sam rang on Monday: Sunny can see my updates."
    assert stored.accepted_at is None
    assert "Sam rang on Monday" in page_text(officer.get(f"/staff/victims/{world.victim}/delegations"))
    assert "Sam Sample" in page_text(officer.get("/staff/delegations"))

    # The victim: a discreet message by their safe channel, and a banner saying what was recorded.
    [message] = messages(seeded, "delegation-notice")
    assert message.recipient == "victim@demo.example" and "Sunny" not in message.body
    sam = signed_in(seeded, "victim@demo.example")
    banner = page_text(sam.get("/cases"))
    assert "A witness care officer recorded that you asked Sunny Supporter (Demo Victim Support)" in banner
    overview = page_text(sam.get("/people-helping-you"))
    assert "A witness care officer, when you told them by phone" in overview

    # An officer of another unit cannot record one for Sam.
    create_other_unit(seeded)
    other = signed_in(seeded, "other.officer@demo.example")
    assert other.get(url).status_code == 404
    assert other.get(f"/staff/victims/{world.victim}/delegations").status_code == 404
