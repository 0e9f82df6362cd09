"""SECURITY.md item 9: `next=` redirects only to our own paths."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.auth.routes import safe_next
from tests.support.demo import DEMO_PASSWORD
from tests.support.pages import post_form
from tests.support.signing_in import sign_in

pytestmark = pytest.mark.security(9)

EVIL = [
    "//evil.example",
    "//evil.example/cases",
    "https://evil.example/",
    "http:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", EVIL)
def test_sec09_next_to_another_site_is_ignored(target: str) -> None:
    assert safe_next(target) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_sec09_whatever_next_is_accepted_stays_on_our_site(target: str) -> None:
    accepted = safe_next(target)
    if accepted is not None:
        assert accepted.startswith("/") and not accepted.startswith(("//", "/\\"))
        assert not any(ch in accepted for ch in "\\\t\r\n")


def test_sec09_next_evil_is_ignored_at_sign_in(seeded: Flask, client: FlaskClient) -> None:
    response = sign_in(client, "victim@demo.example", next_path="//evil.example")
    assert response.headers["Location"] == "/cases"


def test_sec09_next_own_path_is_kept_through_the_second_factor(seeded: Flask, client: FlaskClient) -> None:
    response = sign_in(client, "victim@demo.example", next_path="/account")
    assert response.headers["Location"] == "/account"


def test_sec09_next_evil_is_ignored_when_confirming_the_password(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    response = post_form(
        victim_client, "/account/confirm-password?next=//evil.example", {"password": DEMO_PASSWORD}
    )
    assert response.headers["Location"] == "/account"
