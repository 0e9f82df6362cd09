"""A form that saves answers says "saved" only when something changed (issue 21, item 13): pressing the
button without changing anything gives no success banner and no confirmation page, only a plain banner
that says "You did not change anything", and records no new version. The victim's "What you need", the
officer's record of preferences given by phone and named contacts, and the support worker's needs form.
Each is pressed as a person would: the form posted back with what it shows."""

from __future__ import annotations

from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import Delegation
from portal.services.delegation.rules import SCOPES
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.preferences.test_pages import versions
from tests.support.builders import update_delegation
from tests.support.pages import page_text, post_form

NOTHING_CHANGED = "You did not change anything."
SUCCESS = "govuk-notification-banner--success"
VICTIM_PAGE = f"/staff/victims/{DEMO_VICTIM_ID}"
CASE_PAGE = f"{VICTIM_PAGE}/cases/{DEMO_CASE_URN}"


class _Shown(HTMLParser):
    """The values the first form with a submit button shows: text inputs, ticked boxes and radios,
    selected options and text areas (the CSRF token is left to post_form)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str | None, value: str) -> None:
        if name and not name.endswith("csrf_token"):
            self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        name = values.get("name")
        if tag == "input" and values.get("type") in ("checkbox", "radio"):
            if "checked" in values:
                self._add(name, values.get("value", "on") or "")
        elif tag == "input" and values.get("type") not in ("submit", "button"):
            self._add(name, values.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in values:
            self._add(self._select, values.get("value") or "")
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def shown(client: FlaskClient, url: str) -> dict[str, str | list[str]]:
    """What the form at `url` shows, as its fields would post it."""
    parser = _Shown()
    parser.feed(client.get(url).get_data(as_text=True))
    return {name: values if len(values) > 1 else values[0] for name, values in parser.values.items()}


def save(client: FlaskClient, url: str, data: dict[str, str | list[str]]) -> str:
    """Post `data` to the form at `url` and follow the redirect: the page it lands on."""
    saved = post_form(client, url, data)
    assert saved.status_code == 302, page_text(saved)[:800]
    landed = client.get(saved.headers["Location"])
    assert landed.status_code == 200
    return str(landed.get_data(as_text=True))


def test_the_victim_saving_what_they_need_unchanged_is_told_so(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    needs = "/preferences/needs"
    before = len(versions(seeded, DEMO_VICTIM_ID))
    assert victim_client.get(f"{needs}/start").headers["Location"].endswith(f"{needs}/check")
    done = post_form(victim_client, f"{needs}/check", {})
    assert done.headers["Location"].endswith(
        "/preferences"
    )  # the summary, not "Your answers have been saved"
    html = victim_client.get(done.headers["Location"]).get_data(as_text=True)
    assert NOTHING_CHANGED in page_text(html) and SUCCESS not in html
    assert "have been saved" not in page_text(html)
    assert len(versions(seeded, DEMO_VICTIM_ID)) == before
    assert victim_client.get(f"{needs}/confirmation").headers["Location"].endswith("/preferences")

    post_form(victim_client, f"{needs}/language", {"answer": "cy"})
    changed = post_form(victim_client, f"{needs}/check", {})
    victim_client.get("/language/en?next=/")  # choosing Welsh turns the portal Welsh: read it in English
    assert changed.headers["Location"].endswith(f"{needs}/confirmation")
    confirmation = page_text(victim_client.get(changed.headers["Location"]))
    assert "Your answers have been saved" in confirmation and NOTHING_CHANGED not in confirmation
    assert len(versions(seeded, DEMO_VICTIM_ID)) == before + 1


def test_the_officer_recording_unchanged_preferences_is_told_so(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    url = f"{VICTIM_PAGE}/preferences"
    before = len(versions(seeded, DEMO_VICTIM_ID))
    html = save(officer_client, url, shown(officer_client, url))
    assert NOTHING_CHANGED in page_text(html) and SUCCESS not in html and "Preferences recorded" not in html
    assert len(versions(seeded, DEMO_VICTIM_ID)) == before

    html = save(officer_client, url, {**shown(officer_client, url), "safe_from": "8am"})
    assert f"Preferences recorded (version {before + 1})" in page_text(html) and SUCCESS in html
    assert NOTHING_CHANGED not in page_text(html)
    assert versions(seeded, DEMO_VICTIM_ID)[-1].document["safe_from"] == "08:00"


def test_the_officer_saving_unchanged_named_contacts_is_told_so(officer_client: FlaskClient) -> None:
    url = f"{CASE_PAGE}/contacts"
    html = save(officer_client, url, shown(officer_client, url))
    assert NOTHING_CHANGED in page_text(html) and SUCCESS not in html and "Named contacts saved" not in html

    changed = {**shown(officer_client, url), "officer_in_case_when_to_reach": "Weekdays, 8am to 4pm"}
    html = save(officer_client, url, changed)
    assert "Named contacts saved." in page_text(html) and SUCCESS in html
    assert NOTHING_CHANGED not in page_text(html)


def test_the_support_worker_saving_unchanged_needs_is_told_so(
    seeded: Flask, support_worker_client: FlaskClient
) -> None:
    with seeded.app_context(), db.job() as session:
        delegation_id = session.scalar(select(Delegation.id).where(Delegation.victim_id == DEMO_VICTIM_ID))
    assert delegation_id is not None
    update_delegation(seeded, delegation_id, scopes=list(SCOPES))
    url = f"/support/clients/{DEMO_VICTIM_ID}/needs"
    before = len(versions(seeded, DEMO_VICTIM_ID))
    html = save(support_worker_client, url, shown(support_worker_client, url))
    assert NOTHING_CHANGED in page_text(html) and SUCCESS not in html and "Saved." not in page_text(html)
    assert len(versions(seeded, DEMO_VICTIM_ID)) == before

    html = save(support_worker_client, url, {**shown(support_worker_client, url), "language": "cy"})
    assert "Saved. Sam Sample and their witness care officer can see" in page_text(html) and SUCCESS in html
    assert len(versions(seeded, DEMO_VICTIM_ID)) == before + 1
