"""Every page a GET reaches, with REAL ids from the demo data (the demo victim, case, delegation,
organisation, user) so that pages answer rather than 404: for the tests that check something of every
page, by every role (titles, HTML validity, reflow, who has viewed). As tests/web/test_no_get_changes_state.py
walks them."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from portal.extensions import db
from portal.models import CaseUpdate, Delegation, Organisation, User
from portal.services.demo_data import DEMO_CASE_URN, DEMO_COMPLAINT_REFERENCE, DEMO_VICTIM_ID
from portal.services.secure_messages.demo import DEMO_ATTACHMENT_ID, DEMO_THREAD_ID
from tests.support.demo import ADMIN, OFFICER, SUPPORT_WORKER, VICTIM

#: Who opens the pages: nobody signed in, then each role of the demo data.
ROLES: tuple[str | None, ...] = (None, VICTIM, OFFICER, SUPPORT_WORKER, ADMIN)
#: Served files, the token-authenticated agency API (JSON), the Notify callback, and CSV or JSON answers.
SKIPPED = ("static", "assets", "api.", "api_fallback.")
#: HTML pages among the skipped endpoints.
EXTRA_PAGES = ("/api/v1/docs",)


def real_ids(app: Flask) -> dict[str, str]:
    with app.app_context():
        delegation = db.session.scalar(select(Delegation.id).limit(1))
        organisation = db.session.scalar(select(Organisation.id).limit(1))
        user = db.session.scalar(select(User.id).where(User.email == VICTIM))
        update = db.session.scalar(
            select(CaseUpdate.id).where(CaseUpdate.agency_event_id == f"demo-{DEMO_CASE_URN}-1")
        )
    return {
        "victim_id": DEMO_VICTIM_ID,
        "urn": DEMO_CASE_URN,
        "delegation_id": str(delegation or 1),
        "organisation_id": str(organisation),
        "user_id": str(user),
        "update_id": str(update),
        "client_id": "1",
        "section": "contact",
        "step_name": "channels",
        "step": "who",
        "kind": "email",
        "token": "not-a-real-token",
        "reference": DEMO_COMPLAINT_REFERENCE,  # the demo victim's complaint on DEMO_CASE_URN, open
        "code": "en",  # the language toggle: English, so the pages walked after it stay in English
        "purpose": "court",  # a Victim Personal Statement for the court (the demo case offers one)
        "document_id": "not-a-real-document",
        # The demo victim's secure message thread on DEMO_CASE_URN and its attached file (issue 15).
        "thread_id": DEMO_THREAD_ID,
        "attachment_id": DEMO_ATTACHMENT_ID,
    }


def get_paths(app: Flask) -> list[str]:
    """Every GET route's path with real ids, and the HTML pages of the agency API."""
    values = real_ids(app)
    paths = [*EXTRA_PAGES]
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint.startswith(SKIPPED):
            continue
        paths.append(_build(rule, values))
    return sorted(set(paths))


def _build(rule: Rule, values: dict[str, Any]) -> str:
    path = rule.rule
    for arg in rule.arguments:
        assert arg in values, f"{rule.rule}: no real value for <{arg}>: add one to real_ids"
        for converter in ("", "int:", "path:"):
            path = path.replace(f"<{converter}{arg}>", values[arg])
    return path
