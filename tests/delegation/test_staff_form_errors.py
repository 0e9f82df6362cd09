"""Errors on the support worker's needs form and on the officer's record of a permission name the answer
and speak about the victim (issue 21, item 9). Each message is asserted."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Delegation
from portal.services.delegation.rules import CHANGE_PREFERENCES, SCOPES, SOURCE_OFFICER_BY_PHONE
from portal.services.demo_data import DEMO_VICTIM_ID
from tests.cases.test_staff_form_errors import errors_of
from tests.support.builders import update_delegation
from tests.support.pages import post_form

NEEDS = f"/support/clients/{DEMO_VICTIM_ID}/needs"


def test_the_needs_form_names_each_answer(seeded: Flask, support_worker_client: FlaskClient) -> None:
    with seeded.app_context(), db.job() as session:
        delegation_id = session.scalar(select(Delegation.id).where(Delegation.victim_id == DEMO_VICTIM_ID))
    assert delegation_id is not None
    update_delegation(seeded, delegation_id, scopes=list(SCOPES))
    nothing = post_form(support_worker_client, NEEDS, {"interpreter_needed": "no"})
    assert sorted(errors_of(nothing)) == [
        "Select how often they want to hear from us",
        "Select the language they want their updates in",
    ]
    together = post_form(
        support_worker_client,
        NEEDS,
        {
            "frequency": "every-update",
            "language": "en",
            "interpreter_needed": "yes",
            "interpreter_language": "",
            "accessibility": ["advocate"],
            "advocate_name": "",
        },
    )
    assert sorted(errors_of(together)) == [
        "Enter the language they need an interpreter for",
        "Enter the name of the person who will speak on their behalf",
    ]
    too_long = post_form(
        support_worker_client,
        NEEDS,
        {
            "frequency": "every-update",
            "language": "en",
            "interpreter_needed": "no",
            "advocate_name": "x" * 101,
        },
    )
    assert errors_of(too_long) == [
        "The name of the person who will speak on their behalf must be 100 characters or fewer"
    ]


def test_recording_a_permission_says_it_about_the_victim(officer_client: FlaskClient) -> None:
    url = f"/staff/victims/{DEMO_VICTIM_ID}/delegations/new"
    response = post_form(
        officer_client,
        url,
        {
            "email": "support@demo.example",
            "scopes": [CHANGE_PREFERENCES],
            "source": SOURCE_OFFICER_BY_PHONE,
            "consent_note": "Sunny can help me",
            "ends-on-day": "1",
            "ends-on-month": "1",
            "ends-on-year": "2099",
        },
    )
    errors = errors_of(response)
    assert errors == ["To let them change the victim's preferences and needs, also let them see them"]
    assert all("your" not in error for error in errors)
