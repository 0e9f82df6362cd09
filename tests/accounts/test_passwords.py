"""SECURITY.md item 2: 8 to 128 characters, any characters, no composition rules, refused if common or
containing the service's name; Argon2id; long passwords that differ after byte 72 are different."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters, profiles
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.services.accounts import passwords
from portal.services.accounts.passwords import (
    PasswordProblem,
    check_new_password,
    hash_password,
    verify_password,
)
from tests.support.outbox import latest_link
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_invited_victim

pytestmark = pytest.mark.security(2)

# Any Unicode text except surrogates (not encodable) and NUL; spaces, emoji and any script are allowed.
unicode_passwords = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=8,
    max_size=128,
)


@settings(max_examples=200, deadline=None)
@given(unicode_passwords)
def test_sec02_any_unicode_password_of_8_to_128_characters_is_accepted(password: str) -> None:
    normalised = passwords.normalise(password)
    if (
        not 8 <= len(normalised) <= 128
        or passwords.is_common(password)
        or passwords.contains_service_name(password)
    ):
        return  # covered by the refusal tests below
    check_new_password(password)  # no composition rules: nothing else can refuse it


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(unicode_passwords)
def test_sec02_any_unicode_password_hashes_with_argon2id_and_verifies(
    portal_password_hashing: PasswordHasher, password: str
) -> None:
    """At the portal's own cost (the other tests hash at Argon2id's lowest: tests/conftest.py)."""
    stored = hash_password(password)  # Argon2id is slow on purpose: few examples
    assert stored.startswith("$argon2id$")
    assert extract_parameters(stored) == profiles.RFC_9106_LOW_MEMORY, "the library's recommended cost"
    assert verify_password(stored, password)
    assert not verify_password(stored, password + "x")


@settings(max_examples=25, deadline=None)
@given(st.text(min_size=0, max_size=7))
def test_sec02_shorter_than_8_characters_is_refused(password: str) -> None:
    if len(passwords.normalise(password)) >= 8:
        return
    with pytest.raises(PasswordProblem) as problem:
        check_new_password(password)
    assert problem.value.code == "too-short"


def test_sec02_longer_than_128_characters_is_refused() -> None:
    check_new_password("a quiet river " * 9 + "ab")  # 128
    with pytest.raises(PasswordProblem, match="too-long"):
        check_new_password("a quiet river " * 9 + "abc")  # 129


@pytest.mark.parametrize("password", ["password", "Password1", "qwertyuiop", "iloveyou2", "PASSWORD123"])
def test_sec02_common_passwords_are_refused_whatever_the_case(password: str) -> None:
    with pytest.raises(PasswordProblem, match="common"):
        check_new_password(password)


def test_sec02_the_blocklist_is_the_shipped_list_of_common_passwords() -> None:
    listed = [line for line in passwords.BLOCKLIST_FILE.read_text().splitlines() if not line.startswith("#")]
    assert len(listed) > 8000
    assert all(len(entry) >= 8 for entry in listed)
    for entry in listed[:: len(listed) // 50]:
        assert passwords.is_common(entry), entry


@pytest.mark.parametrize(
    "password", ["updatesaboutyourcase!", "My Updates About Your Case pw", "victims-portal-2026"]
)
def test_sec02_passwords_containing_the_service_name_are_refused(password: str) -> None:
    with pytest.raises(PasswordProblem, match="service-name"):
        check_new_password(password)


def test_sec02_two_long_passwords_differing_after_byte_72_are_distinct() -> None:
    prefix = "é" * 40  # 80 bytes in UTF-8: past bcrypt's 72-byte limit before they differ
    first, second = prefix + " first ending", prefix + " other ending"
    assert len(prefix.encode()) > 72
    stored = hash_password(first)
    assert verify_password(stored, first)
    assert not verify_password(stored, second)


def test_sec02_same_password_typed_differently_normalises_to_one() -> None:
    composed, decomposed = "caf\u00e9 au lait 2026", "cafe\u0301 au lait 2026"
    assert verify_password(hash_password(composed), decomposed)


def test_sec02_the_create_password_page_explains_each_refusal(seeded: Flask, client: FlaskClient) -> None:
    create_invited_victim(seeded)
    client.get(latest_link(seeded, "/invitation/"))
    cases = {
        "short": "Password must be 8 characters or more",
        "password123": "Choose a password that is harder to guess",
        "updates about your case": "Password must not contain the name of this service",
    }
    for password, message in cases.items():
        body = page_text(
            post_form(client, "/create-account", {"password": password, "confirm": password}), markup=True
        )
        assert "There is a problem" in body and message in body, password
        assert f'value="{password}"' not in body
    ok = post_form(
        client, "/create-account", {"password": "🦊 renard ± 狐狸 😀", "confirm": "🦊 renard ± 狐狸 😀"}
    )
    assert ok.status_code == 302
