"""The support worker's pages speak about the client, not to them (issue 21, item 6): their preferences
and needs in the third person, and the needs form offers "Someone to speak on their behalf"."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Delegation
from portal.services.delegation.rules import SCOPES
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.cases.test_staff_wording import EVERY_ANSWER, second_person_left, summary_lists
from tests.support.builders import create_preferences_version, update_delegation
from tests.support.pages import page_text


def test_the_support_workers_pages_say_them(seeded: Flask, support_worker_client: FlaskClient) -> None:
    create_preferences_version(seeded, DEMO_VICTIM_ID, EVERY_ANSWER)
    with seeded.app_context(), db.job() as session:
        delegation_id = session.scalar(select(Delegation.id).where(Delegation.victim_id == DEMO_VICTIM_ID))
    assert delegation_id is not None
    update_delegation(seeded, delegation_id, scopes=list(SCOPES))  # every page of the client's
    client = f"/support/clients/{DEMO_VICTIM_ID}"
    for path in (
        "/support",
        client,
        f"{client}/preferences",
        f"{client}/needs",
        f"{client}/step-back",
    ):
        response = support_worker_client.get(path)
        assert response.status_code == 200, path
        assert second_person_left(page_text(response)) == [], path
    # The case page shows the updates word for word as the client reads them ("a screen so you do not
    # see the defendant"), and says so; only what the page itself says is about them.
    case = page_text(support_worker_client.get(f"{client}/cases/{DEMO_CASE_URN}"))
    assert "The updates as Sam Sample sees them" in case
    preferences = support_worker_client.get(f"{client}/preferences").get_data(as_text=True)
    rows = summary_lists(preferences)
    assert not re.search(r"\b(you|your|my)\b", rows, flags=re.I), rows
    for said in (
        "How to contact them, in order",
        "Is it safe to email them?",
        "How often they hear from us",
        "Someone to speak on their behalf",
        "Person to speak for them: Alex Advocate",
        "Screens, so they do not see the defendant",
    ):
        assert said in rows, said
    needs = page_text(support_worker_client.get(f"{client}/needs"))
    assert "Someone to speak on their behalf" in needs
    assert "Screens, so they do not see the defendant" in needs
    assert "Someone to speak on my behalf" not in needs
