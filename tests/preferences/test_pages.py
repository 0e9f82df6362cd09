"""The victim's question pages, check answers, confirmation, summary and history, on both databases."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal.data import preferences as preferences_data
from portal.extensions import db
from portal.models import PreferenceVersion
from portal.services.preferences import records as preferences
from tests.support.builders import create_preferences_version
from tests.support.demo import DEMO_PASSWORD, demo_victim_id
from tests.support.outbox import latest_code
from tests.support.pages import page_text, post_form
from tests.support.records import count
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import sign_in

BASE = "/preferences/contact"


def answer(client: FlaskClient, step: str, value: Any, section: str = "contact") -> Any:
    return post_form(client, f"/preferences/{section}/{step}", {"answer": value})


def confirm_password(client: FlaskClient, response: Any) -> Any:
    """Follow a redirect to "Confirm your password", enter it, and return the response after it."""
    location = response.headers["Location"]
    assert "/account/confirm-password" in location
    return post_form(client, location, {"password": DEMO_PASSWORD})


def press(client: FlaskClient, page_url: str, url: str, action: str) -> Any:
    """Press a button of the security-code page's second form (fields prefixed "action-")."""
    page = client.get(page_url).get_data(as_text=True)
    token = page.split('name="action-csrf_token" type="hidden" value="')[1].split('"')[0]
    return client.post(url, data={"action-csrf_token": token, "action": action})


def versions(app: Flask, victim_id: str) -> list[PreferenceVersion]:
    with app.app_context(), db.job() as session:
        return list(reversed(preferences_data.versions_for_victim(session, victim_id)))


def test_a_first_time_victim_answers_every_question_and_nothing_is_saved_until_confirmed(
    seeded: Flask, client: FlaskClient
) -> None:
    pat = create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    summary = page_text(client.get("/preferences"))
    assert "You have not told us how to contact you yet" in summary

    response = client.get(f"{BASE}/start")
    assert response.headers["Location"].endswith(f"{BASE}/channels")
    empty = answer(client, "channels", [])
    assert empty.status_code == 200
    assert "There is a problem" in page_text(empty)
    assert "Select how we can contact you, or select that only an officer should phone you" in page_text(
        empty
    )
    assert "<title>Error:" in empty.get_data(as_text=True)

    assert answer(client, "channels", ["email", "sms"]).headers["Location"].endswith(f"{BASE}/order")
    nothing = post_form(client, f"{BASE}/order", {})
    assert "Select which way we should try first" in page_text(nothing)
    to_email = post_form(client, f"{BASE}/order", {"choice": "sms"})
    assert to_email.headers["Location"].endswith(f"{BASE}/email")

    # A contact detail: the password again first.
    confirmed = confirm_password(client, client.get(f"{BASE}/email"))
    assert confirmed.headers["Location"].endswith(f"{BASE}/email")
    wrong_email = answer(client, "email", "pat at example")
    assert "Enter an email address in the correct format, like name@example.com" in page_text(wrong_email)
    assert 'value="pat at example"' in wrong_email.get_data(as_text=True)  # nothing typed is lost
    to_verify = answer(client, "email", "Pat.New@Example.com")
    assert to_verify.headers["Location"].endswith(f"{BASE}/verify-email")
    page = page_text(client.get(f"{BASE}/verify-email"))
    assert "We have sent a security code to Pat.New@example.com" in page
    code = latest_code(seeded, "contact-verification:", to="Pat.New@example.com")
    wrong = post_form(
        client,
        f"{BASE}/verify-email",
        {"action": "check", "code": "999999" if code != "999999" else "111111"},
    )
    assert "The security code is wrong" in page_text(wrong)
    to_phone = post_form(client, f"{BASE}/verify-email", {"action": "check", "code": code})
    assert to_phone.headers["Location"].endswith(f"{BASE}/phone")

    bad_phone = answer(client, "phone", "12345")
    assert "Enter a mobile phone number, like 07700 900 982" in page_text(bad_phone)
    assert 'value="12345"' in bad_phone.get_data(as_text=True)
    landline = answer(client, "phone", "020 7946 0000")  # texts need a mobile
    assert "Enter a UK mobile phone number, like 07700 900 982" in page_text(landline)
    abroad = answer(client, "phone", "+33 6 12 34 56 78")  # the Notify service texts UK numbers only
    assert "Enter a UK mobile phone number, like 07700 900 982" in page_text(abroad)
    assert answer(client, "phone", "07700 900 982").headers["Location"].endswith(f"{BASE}/verify-phone")
    skipped = press(client, f"{BASE}/verify-phone", f"{BASE}/verify-phone", "skip")
    assert skipped.headers["Location"].endswith(f"{BASE}/safe-email")

    assert answer(client, "safe-email", "yes").headers["Location"].endswith(f"{BASE}/safe-sms")
    assert answer(client, "safe-sms", "no").headers["Location"].endswith(f"{BASE}/wording-email")
    assert answer(client, "wording-email", "yes").headers["Location"].endswith(f"{BASE}/safe-days")
    no_days = answer(client, "safe-days", [])
    assert "Select at least one day when it is safe to contact you" in page_text(no_days)
    assert answer(client, "safe-days", ["mon", "tue"]).headers["Location"].endswith(f"{BASE}/safe-times")
    backwards = post_form(client, f"{BASE}/safe-times", {"safe_from": "18:00", "safe_to": "09:00"})
    assert "The end time must be after the start time" in page_text(backwards)
    assert 'value="18:00"' in backwards.get_data(as_text=True) and 'value="09:00"' in backwards.get_data(
        as_text=True
    )
    to_urgent = post_form(client, f"{BASE}/safe-times", {"safe_from": "9am", "safe_to": "5.30pm"})
    assert to_urgent.headers["Location"].endswith(f"{BASE}/urgent-any-time")  # a safe written way: asked
    assert answer(client, "urgent-any-time", "no").headers["Location"].endswith(f"{BASE}/alternative")
    assert post_form(client, f"{BASE}/alternative", {}).headers["Location"].endswith(f"{BASE}/frequency")
    assert answer(client, "frequency", "key-milestones").status_code == 302
    assert answer(client, "opt-outs", ["parole-and-release"]).headers["Location"].endswith(f"{BASE}/check")

    assert count(seeded, PreferenceVersion, PreferenceVersion.victim_id == pat["victim_id"]) == 0
    check = page_text(client.get(f"{BASE}/check"))
    for expected in (
        "1. Text message 2. Email",
        "Pat.New@example.com",
        "07700 900982 (not confirmed yet)",
        "Details of the update",
        "Monday Tuesday",
        "9am to 5:30pm, UK time",
        "Key milestones only",
        "Parole and release",
    ):
        assert expected in check, expected

    done = post_form(client, f"{BASE}/check", {})
    assert done.headers["Location"].endswith(f"{BASE}/confirmation")
    confirmation = page_text(client.get(f"{BASE}/confirmation"))
    assert "Your answers have been saved" in confirmation
    assert "we will contact you by email" in confirmation

    [saved] = versions(seeded, pat["victim_id"])
    assert saved.source == "victim online" and saved.actor_label == "Pat Placeholder"
    assert saved.document["channels"] == ["sms", "email"]
    assert saved.document["safe"] == {"email": True, "sms": False, "letter": False, "phone": False}
    assert saved.document["detailed"]["email"] is True
    assert saved.document["safe_from"] == "09:00" and saved.document["safe_to"] == "17:30"
    assert saved.document["opted_out"] == ["parole-and-release"]
    with seeded.app_context(), db.job() as session:
        prefs = preferences.current_preferences(session, pat["victim_id"])
        assert preferences.safe_channels(prefs) == ["email"]  # text messages are not safe
    history = page_text(client.get("/preferences"))
    assert "Pat Placeholder Online, by the victim" in history


def test_no_safe_channel_is_stopped_on_check_your_answers(seeded: Flask, client: FlaskClient) -> None:
    create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    answer(client, "channels", ["letter"])
    post_form(
        client,
        f"{BASE}/address",
        {"line_1": "2 Example Road", "line_2": "", "town": "Exampletown", "postcode": "ex1 2bb"},
    )
    answer(client, "safe-letter", "no")
    answer(client, "safe-days", ["mon"])
    post_form(client, f"{BASE}/safe-times", {"safe_from": "09:00", "safe_to": "17:00"})
    post_form(client, f"{BASE}/alternative", {})
    answer(client, "frequency", "every-update")
    answer(client, "opt-outs", [])
    check = client.get(f"{BASE}/check")
    if check.status_code == 302:
        check = client.get(confirm_password(client, check).headers["Location"])
    page = page_text(check)
    assert "There is a problem" in page
    assert (
        "Select at least one way that is safe to contact you, or choose a phone call from an officer only"
        in page
    )
    assert "EX1 2BB" in page
    refused = post_form(client, f"{BASE}/check", {})
    assert refused.status_code == 200
    assert count(seeded, PreferenceVersion) == 1  # only the demo victim's


def test_a_phone_call_from_an_officer_only(seeded: Flask, client: FlaskClient) -> None:
    pat = create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    both = answer(client, "channels", ["email", "officer-only"])
    assert (
        "Select the ways we can contact you, or select that only an officer should phone you, not both"
        in page_text(both)
    )
    to_phone = answer(client, "channels", ["officer-only"])
    assert to_phone.headers["Location"].endswith(f"{BASE}/phone")
    confirm_password(client, client.get(f"{BASE}/phone"))
    # A landline is fine for a call; no code is needed.
    assert answer(client, "phone", "020 7946 0000").headers["Location"].endswith(f"{BASE}/safe-days")
    answer(client, "safe-days", ["sat", "sun"])
    post_form(client, f"{BASE}/safe-times", {"safe_from": "10:00", "safe_to": "12:00"})
    post_form(client, f"{BASE}/alternative", {"alternative_phone": "not a number"})
    bad = post_form(client, f"{BASE}/alternative", {"alternative_phone": "+44 808 157 0192"})
    assert bad.status_code == 302
    answer(client, "frequency", "every-update")
    answer(client, "opt-outs", [])
    assert post_form(client, f"{BASE}/check", {}).status_code == 302
    [saved] = versions(seeded, pat["victim_id"])
    assert saved.document["officer_phone_only"] is True
    assert saved.document["channels"] == ["phone"]
    assert saved.document["alternative_phone"] == "+448081570192"
    with seeded.app_context(), db.job() as session:
        assert preferences.safe_channels(preferences.current_preferences(session, pat["victim_id"])) == [
            "phone"
        ]


def test_alternative_phone_errors_keep_what_was_typed(seeded: Flask, victim_client: FlaskClient) -> None:
    response = post_form(
        victim_client, f"{BASE}/alternative", {"alternative_phone": "0770", "alternative_email": "x@y.co"}
    )
    body = response.get_data(as_text=True)
    assert "Enter a phone number, like 01632 960 001" in page_text(response)
    assert 'value="0770"' in body and 'value="x@y.co"' in body


def test_changing_one_answer_goes_straight_back_to_check_and_makes_one_new_version(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    victim_id = demo_victim_id(seeded)
    summary = victim_client.get("/preferences").get_data(as_text=True)
    assert f'href="{BASE}/frequency"' in summary  # the Change link
    to_check = answer(victim_client, "frequency", "daily-digest")
    assert to_check.headers["Location"].endswith(f"{BASE}/check")
    assert "One message a day" in page_text(victim_client.get(f"{BASE}/check"))
    assert post_form(victim_client, f"{BASE}/check", {}).status_code == 302  # frequency needs no password
    latest = versions(seeded, victim_id)[-1]
    assert (latest.version, latest.changed_fields, latest.source) == (2, ["frequency"], "victim online")

    # Saving again without a change makes no new version.
    victim_client.get(f"{BASE}/start")
    post_form(victim_client, f"{BASE}/check", {})
    assert len(versions(seeded, victim_id)) == 2


def test_opting_out_and_back_in(seeded: Flask, victim_client: FlaskClient) -> None:
    victim_id = demo_victim_id(seeded)
    answer(victim_client, "opt-outs", ["parole-and-release", "court"])
    post_form(victim_client, f"{BASE}/check", {})
    assert versions(seeded, victim_id)[-1].document["opted_out"] == ["court", "parole-and-release"]
    answer(victim_client, "opt-outs", [])
    post_form(victim_client, f"{BASE}/check", {})
    history = versions(seeded, victim_id)
    assert history[-1].document["opted_out"] == []
    assert [v.changed_fields for v in history[1:]] == [["opted_out"], ["opted_out"]]
    assert "Updates you do not want" in page_text(victim_client.get("/preferences"))


def test_changing_a_contact_detail_needs_the_password(seeded: Flask, victim_client: FlaskClient) -> None:
    response = victim_client.get(f"{BASE}/email")
    assert response.status_code == 302 and "/account/confirm-password" in response.headers["Location"]
    # Safe-contact settings too: the change is kept, but saving asks for the password first.
    answer(victim_client, "safe-times", None)
    post_form(victim_client, f"{BASE}/safe-times", {"safe_from": "08:00", "safe_to": "21:00"})
    check = victim_client.get(f"{BASE}/check")
    assert "/account/confirm-password" in check.headers["Location"]
    back = confirm_password(victim_client, check)
    assert back.headers["Location"].endswith(f"{BASE}/check")
    assert "8am to 9pm, UK time" in page_text(victim_client.get(f"{BASE}/check"))


def test_cancel_throws_the_changes_away(seeded: Flask, victim_client: FlaskClient) -> None:
    victim_id = demo_victim_id(seeded)
    answer(victim_client, "frequency", "daily-digest")
    post_form(victim_client, f"{BASE}/cancel", {}, page=f"{BASE}/check")
    assert "Every update" in page_text(victim_client.get(f"{BASE}/check"))
    assert len(versions(seeded, victim_id)) == 1


def test_what_you_need_journey(seeded: Flask, victim_client: FlaskClient) -> None:
    victim_id = demo_victim_id(seeded)
    needs = "/preferences/needs"
    assert answer(victim_client, "language", "cy", "needs").headers["Location"].endswith(f"{needs}/check")
    assert (
        answer(victim_client, "interpreter", "yes", "needs")
        .headers["Location"]
        .endswith(f"{needs}/interpreter-language")
    )
    missing = answer(victim_client, "interpreter-language", "", "needs")
    assert "Enter the language you need an interpreter for" in page_text(missing)
    answer(victim_client, "interpreter-language", "Polish", "needs")
    both = answer(victim_client, "accessibility", ["bsl", "none"], "needs")
    assert "Select the help you need, or select no, not both" in page_text(both)
    to_advocate = answer(victim_client, "accessibility", ["large-print", "advocate"], "needs")
    assert to_advocate.headers["Location"].endswith(f"{needs}/advocate")
    answer(victim_client, "advocate", "Sam Jones, my sister", "needs")
    answer(victim_client, "support-referral", "yes", "needs")
    answer(victim_client, "court-help", ["screens", "video-link"], "needs")
    answer(victim_client, "pre-trial-visit", "yes", "needs")
    answer(victim_client, "vps", "no", "needs")
    answer(victim_client, "vcs", "yes", "needs")
    check = page_text(victim_client.get(f"{needs}/check"))
    for expected in (
        "Welsh (Cymraeg)",
        "Yes, Polish",
        "Large print",
        "Person to speak for you: Sam Jones, my sister",
    ):
        assert expected in check, expected
    assert (
        post_form(victim_client, f"{needs}/check", {}).headers["Location"].endswith(f"{needs}/confirmation")
    )
    document = versions(seeded, victim_id)[-1].document
    assert document["language"] == "cy"
    assert document["interpreter_language"] == "Polish"
    assert document["accessibility"] == ["advocate", "large-print"]
    assert document["special_measures"] == ["screens", "video-link"]
    assert (
        document["support_referral"],
        document["pre_trial_visit"],
        document["wants_vps"],
        document["vcs_opt_in"],
    ) == (
        True,
        True,
        False,
        True,
    )
    # The contact answers are untouched by the needs section.
    assert document["channels"] == ["email", "sms"] and document["safe_to"] == "20:00"


def test_confirming_a_saved_email_address_from_the_summary(seeded: Flask, client: FlaskClient) -> None:
    pat = create_other_unit(seeded)
    create_preferences_version(
        seeded, pat["victim_id"], {"channels": ["email"], "safe": {"email": True}}, actor_label="Police"
    )
    sign_in(client, "pat@demo.example")
    assert "We have not confirmed your email address yet" in page_text(client.get("/preferences"))
    assert "Send a code" in page_text(client.get("/preferences/confirm/email"))
    press(client, "/preferences/confirm/email", "/preferences/confirm/email/send", "resend")
    code = latest_code(seeded, "contact-verification:", to="pat@demo.example")
    done = post_form(client, "/preferences/confirm/email", {"action": "check", "code": code})
    assert done.headers["Location"].endswith("/preferences")
    assert "Your email address is confirmed" in page_text(client.get("/preferences"))
    with seeded.app_context(), db.job() as session:
        assert preferences.safe_channels(preferences.current_preferences(session, pat["victim_id"])) == [
            "email"
        ]


def test_only_victims_see_the_preference_pages(seeded: Flask, client: FlaskClient) -> None:
    assert client.get("/preferences").status_code == 302  # to sign in
    sign_in(client, "officer@demo.example")
    assert client.get("/preferences").status_code == 404
    assert client.get(f"{BASE}/channels").status_code == 404


def test_your_cases_links_to_the_preferences(seeded: Flask, victim_client: FlaskClient) -> None:
    body = victim_client.get("/cases").get_data(as_text=True)
    assert 'href="/preferences"' in body
    assert "Contact preferences and needs" in body  # the service navigation item


def test_saving_keeps_a_change_someone_else_made_meanwhile(seeded: Flask, victim_client: FlaskClient) -> None:
    victim_id = demo_victim_id(seeded)
    answer(victim_client, "frequency", "key-milestones")  # the draft starts from version 1
    # An officer records a change by phone meanwhile.
    create_preferences_version(
        seeded, victim_id, {"safe_days": ["sat", "sun"]}, actor_label="Olive", source="officer by phone"
    )
    post_form(victim_client, f"{BASE}/check", {})
    latest = versions(seeded, victim_id)[-1]
    assert latest.version == 3 and latest.changed_fields == ["frequency"]
    assert latest.document["safe_days"] == ["sat", "sun"] and latest.document["frequency"] == "key-milestones"


def test_an_address_notify_would_not_post_to_is_refused_on_the_page_with_the_reason(
    seeded: Flask, client: FlaskClient
) -> None:
    """Notify refuses a letter to "no fixed abode", to an address line starting with "(" or "=", to a
    postcode that does not exist, and to first lines with no letter or digit: the victim is told why on
    the page, and what they typed is kept."""
    create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    answer(client, "channels", ["letter"])
    cases = [
        (
            {"line_1": "No fixed abode", "town": "Exampletown", "postcode": "EX1 2BB"},
            "Enter an address where",
        ),
        ({"line_1": "(Flat 2) Example Road", "town": "Exampletown", "postcode": "EX1 2BB"}, "must not start"),
        ({"line_1": "2 Example Road", "town": "Exampletown", "postcode": "QQ1 2BB"}, "Enter a real postcode"),
        ({"line_1": "2 Example Road", "town": "Exampletown", "postcode": "EX1 2BC"}, "Enter a real postcode"),
        (
            {"line_1": "...", "town": "Exampletown", "postcode": "EX1 2BB"},
            "must include a letter or a number",
        ),
    ]
    for fields, message in cases:
        response = post_form(client, f"{BASE}/address", {"line_2": "", **fields})
        page = page_text(response)
        assert response.status_code == 200, fields
        assert "There is a problem" in page and message in page, (fields, page)
        assert fields["line_1"] in response.get_data(as_text=True).replace("&#39;", "'")
    good = post_form(
        client,
        f"{BASE}/address",
        {"line_1": "2 Example Road", "line_2": "", "town": "Exampletown", "postcode": "ex1 2bb"},
    )
    assert good.status_code == 302


def test_every_page_of_several_inputs_fills_and_saves_its_answers() -> None:
    """A page form that forgot `initial` or `update` would answer 500 on that page: none does."""
    from portal.victim.preferences_forms import DocumentForm

    pages = DocumentForm.__subclasses__()
    assert {page.__name__ for page in pages} >= {"OrderForm", "AddressForm", "TimesForm", "AlternativeForm"}
    for page in pages:
        assert page.initial.__func__ is not DocumentForm.initial.__func__, page  # type: ignore[attr-defined]
        assert page.update is not DocumentForm.update, page
