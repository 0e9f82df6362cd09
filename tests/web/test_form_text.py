"""What people type into forms: control characters are refused with a message that names the field
(portal/web/forms.py: NoControlCharacters, for every text field), and a support worker's email address that
is not one is a format error, not "no support worker has this email address"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from wtforms.validators import ValidationError

from portal.web.forms import NoControlCharacters
from tests.support.pages import page_text, post_form

NEW = "/people-helping-you/new"


@pytest.mark.usefixtures("babel_app_context")
@pytest.mark.parametrize("typed", ["Sam\tSample", "Sam\nSample", "Sam\x00", "\x1b[31m", "Sam\x7f", "Sam\x9b"])
def test_one_line_of_text_has_no_control_characters(typed: str) -> None:
    with pytest.raises(
        ValidationError, match=r"^Their name must not include tabs, line breaks or other hidden characters$"
    ):
        NoControlCharacters("Their name")(None, SimpleNamespace(data=typed))


@pytest.mark.usefixtures("babel_app_context")
def test_longer_text_may_have_line_breaks_and_tabs() -> None:
    check = NoControlCharacters("Your note", multi_line=True)
    check(None, SimpleNamespace(data="First line\r\n\tSecond line – café ’quoted’"))
    with pytest.raises(ValidationError, match=r"^Your note must not include hidden characters$"):
        check(None, SimpleNamespace(data="Bell\x07"))
    NoControlCharacters()(None, SimpleNamespace(data=None))  # nothing typed: other checks say so
    with pytest.raises(ValidationError, match=r"^Your answer must not include"):
        NoControlCharacters()(None, SimpleNamespace(data="\x00"))


def _email_step(victim_client: FlaskClient) -> None:
    victim_client.get(NEW)
    assert (
        post_form(victim_client, f"{NEW}/who", {"kind": "person"})
        .headers["Location"]
        .endswith(f"{NEW}/email")
    )


@pytest.mark.parametrize(
    "typed", ["not an address", "sunny@", "@demo.example", "sunny supporter@demo.example"]
)
def test_an_email_address_that_is_not_one_is_a_format_error(
    seeded: Flask, victim_client: FlaskClient, typed: str
) -> None:
    _email_step(victim_client)
    page = post_form(victim_client, f"{NEW}/email", {"email": typed})
    text = page_text(page)
    assert "Enter an email address in the correct format, like name@example.com" in text
    assert "There is no support worker with this email address" not in text
    assert "<title>Error:" in page.get_data(as_text=True)


def test_control_characters_in_the_email_are_named(seeded: Flask, victim_client: FlaskClient) -> None:
    _email_step(victim_client)
    text = page_text(post_form(victim_client, f"{NEW}/email", {"email": "sunny\x00@demo.example"}))
    assert "Their work email address must not include tabs, line breaks or other hidden characters" in text
    assert "correct format" not in text  # one message for one problem


def test_a_well_formed_address_of_nobody_still_says_so(seeded: Flask, victim_client: FlaskClient) -> None:
    _email_step(victim_client)
    text = page_text(post_form(victim_client, f"{NEW}/email", {"email": "nobody@demo.example"}))
    assert "There is no support worker with this email address in this service" in text
    moved_on = post_form(victim_client, f"{NEW}/email", {"email": "  Support@Demo.Example "})
    assert moved_on.headers["Location"].endswith(f"{NEW}/what")
