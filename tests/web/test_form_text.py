"""What people type into forms: control characters are refused with a message that names the field
(portal/web/forms.py: NoControlCharacters, on every text field of every form, found here by walking every
form class of the portal), and a support worker's email address that is not one is a format error, not "no
support worker has this email address"."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from wtforms import Form, HiddenField, PasswordField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import StopValidation

import portal
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.victim.preferences_forms import answer_field
from portal.victim.preferences_step import TEXT
from portal.victim.preferences_steps import STEPS
from portal.web.forms import NoControlCharacters
from tests.cases.test_staff_form_errors import errors_of
from tests.support.demo import ADMIN, OFFICER, VICTIM
from tests.support.pages import page_text, post_form
from tests.support.signing_in import signed_in

NEW = "/people-helping-you/new"
HIDDEN = "must not include tabs, line breaks or other hidden characters"
#: Text fields nobody types into a page that shows them again: a password is compared or hashed exactly
#: as typed and never shown; a hidden field is the page's own (a version number), checked by its view.
NOT_FREE_TEXT = (PasswordField, HiddenField)


@pytest.mark.usefixtures("babel_app_context")
@pytest.mark.parametrize(
    "typed", ["Sam\tSample", "Sam\nSample", "Sam\x00", "\x1b[31m", "Sam\x7f", "Sam\x9b", "Sam\u2028Sample"]
)
def test_one_line_of_text_has_no_control_characters(typed: str) -> None:
    with pytest.raises(StopValidation, match=rf"^Their name {HIDDEN}$"):
        NoControlCharacters("Their name")(None, SimpleNamespace(data=typed))


@pytest.mark.usefixtures("babel_app_context")
def test_longer_text_may_have_line_breaks_and_tabs() -> None:
    check = NoControlCharacters("Your note", multi_line=True)
    check(None, SimpleNamespace(data="First line\r\n\tSecond line – café ’quoted’"))
    with pytest.raises(StopValidation, match=r"^Your note must not include hidden characters$"):
        check(None, SimpleNamespace(data="Bell\x07"))
    NoControlCharacters()(None, SimpleNamespace(data=None))  # nothing typed: other checks say so
    with pytest.raises(StopValidation, match=r"^Your answer must not include"):
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


# --- Every text field of every form ---------------------------------------------------------------


def _portal_form_classes() -> list[type[Form]]:
    """Every WTForms form class the portal defines (each module imported, then every subclass)."""
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(module.name)
    found: set[type[Form]] = set()
    waiting: list[type[Form]] = [Form]
    while waiting:
        for subclass in waiting.pop().__subclasses__():
            if subclass not in found:
                found.add(subclass)
                waiting.append(subclass)
    return sorted(
        (c for c in found if c.__module__.startswith("portal.")), key=lambda c: (c.__module__, c.__qualname__)
    )


def _text_fields() -> Iterator[tuple[str, UnboundField]]:
    """(where, field) for every field people type text into: on each form class, and the answer of each
    one-question page that asks for text (whose form is made for the question: preferences_forms.py)."""
    for form_class in _portal_form_classes():
        for name in dir(form_class):
            field = getattr(form_class, name, None)
            if (
                isinstance(field, UnboundField)
                and issubclass(field.field_class, StringField)
                and not issubclass(field.field_class, NOT_FREE_TEXT)
            ):
                yield f"{form_class.__module__}.{form_class.__qualname__}.{name}", field
    for section, steps in STEPS.items():
        for step in steps:
            if step.kind == TEXT:
                yield f"the {section} question {step.name!r}", answer_field(step)


def _validators(field: UnboundField) -> list[Any]:
    return list(field.kwargs.get("validators") or (field.args[1] if len(field.args) > 1 else []))


@pytest.mark.usefixtures("babel_app_context")
def test_every_text_field_of_every_form_refuses_control_characters_naming_the_field() -> None:
    fields = list(_text_fields())
    assert len(fields) > 50  # the walk found the forms (victim, staff, support, admin, sign-in)
    missing, unnamed = [], []
    for where, field in fields:
        checks = [v for v in _validators(field) if isinstance(v, NoControlCharacters)]
        if not checks:
            missing.append(where)
            continue
        with pytest.raises(StopValidation) as refused:
            checks[0](None, SimpleNamespace(data="Sam\x00Sample"))
        message = str(refused.value)
        if checks[0].name is None or not message.startswith(str(checks[0].name)):
            unnamed.append(f"{where}: {message}")
    assert missing == [], f"text fields without NoControlCharacters: {missing}"
    assert unnamed == [], f"messages that do not name the field: {unnamed}"


OFFICER_CONTACTS = f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}/contacts"


@pytest.mark.parametrize(
    ("who", "url", "data", "message"),
    [
        (VICTIM, "/preferences/needs/interpreter-language", {"answer": "Polish\x1b"},
         f"The language you need an interpreter for {HIDDEN}"),
        (OFFICER, f"/staff/victims/{DEMO_VICTIM_ID}/delegations/new",
         {"email": "sunny\x00@demo.example", "source": "officer by phone"},
         f"The support worker's work email address {HIDDEN}"),
        (OFFICER, OFFICER_CONTACTS, {"officer_in_case_name": "DC\tJones"},
         f"The name of the officer in the case {HIDDEN}"),
        (OFFICER, f"/staff/victims/{DEMO_VICTIM_ID}/review", {"note": "Called\x07", "version": "1"},
         "Note must not include hidden characters"),
        (ADMIN, "/admin/users/new", {"display_name": "Ann\x00", "email": "ann@example.gov.uk"},
         f"Their full name {HIDDEN}"),
        (None, "/sign-in", {"email": "a\x00@example.com", "password": "x"}, f"Email address {HIDDEN}"),
    ],
)  # fmt: skip
def test_each_role_is_told_which_field_has_hidden_characters(
    seeded: Flask, who: str | None, url: str, data: dict[str, str], message: str
) -> None:
    client = signed_in(seeded, who) if who else seeded.test_client()
    if who == VICTIM:  # the question is asked of someone who needs an interpreter
        post_form(client, "/preferences/needs/interpreter", {"answer": "yes"})
    response = post_form(client, url, data)
    assert response.status_code == 200
    assert message in errors_of(response)  # in the error summary, and so "Error:" in the title


def test_finding_a_case_with_hidden_characters_says_so(officer_client: FlaskClient) -> None:
    response = officer_client.get("/staff/find-case", query_string={"urn": "01YZ\x001234524"})
    assert errors_of(response) == [f"Case reference {HIDDEN}"]
    assert "<title>Error: Find a case" in response.get_data(as_text=True)
