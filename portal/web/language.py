"""The language of the portal: English or Welsh (Cymraeg).

Chosen, in order, by the language toggle in the header of every page ("English | Cymraeg", links that work
without JavaScript, remembered in the session: the service's one cookie), then by a signed-in victim's
language preference (Welsh, or both English and Welsh: the portal is then in Welsh, as the Welsh Language
Standards expect), then English. Staff pages follow the toggle too.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

from flask import Flask, g, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.preferences.records import language_in, language_of

LANGUAGES = ("en", "cy")
SESSION_KEY = "language"
#: The toggle's words are each in their own language, whatever the page's language is.
NAMES = {"en": "English", "cy": "Cymraeg"}
#: What a screen reader hears for the link to the other language, in that language.
SWITCH_TO = {"en": "Change the language to English", "cy": "Newid yr iaith i'r Gymraeg"}


def select_locale() -> str:
    """Flask-Babel's locale selector (called once a request, when the first text is translated). Outside
    a request (the worker, the command line) English: messages choose their own with force_locale."""
    if not has_request_context():
        return "en"
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    return _victims_preference() or "en"


def _victims_preference() -> str | None:
    if not (current_user.is_authenticated and current_user.is_victim and current_user.victim_id):
        return None
    if "victim_language" not in g:
        # Set first: anything translated while the preference is read asks for the locale again, and
        # reads English (None here); the request's locale is the one set when this returns.
        g.victim_language = None
        document = current_user.preferences_document  # read with the user (load_signed_in_user)
        language = (
            language_in(document) if document is not None else language_of(db.session, current_user.victim_id)
        )
        g.victim_language = "en" if language == "en" else "cy"  # "cy" or "both": Welsh first
    return cast(str | None, g.victim_language)


def _safe_path(target: str | None) -> str | None:
    """Only a path on this service (no scheme, host or tricks that browsers read as another host)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def change_language(code: str) -> Response:
    """GET /language/<en|cy>?next=<path>: remember the language in the session and go back to the page.
    A link, as GOV.UK's language toggles are (and so it works without JavaScript): it changes which
    language pages are shown in, never anything stored (SECURITY.md item 7); `next` must be a path here."""
    if code in LANGUAGES:
        session[SESSION_KEY] = code
    return redirect(_safe_path(request.args.get("next")) or url_for("auth.start"))


def language_toggle(back_to: str | None = None) -> list[dict[str, str | bool]]:
    """The toggle's items: the current language (not a link) and a link to the other, back to this page
    (or to `back_to`: error pages go to the start page, so that a 404 never repeats what was asked for)."""
    current = str(get_locale() or "en")
    here = back_to or (request.full_path if request.query_string else request.path)
    return [
        {
            "code": code,
            "name": NAMES[code],
            "current": code == current,
            "href": url_for("change_language", code=code, next=here),
            "hidden": SWITCH_TO[code],
        }
        for code in LANGUAGES
    ]


def password_words(params: dict[str, Any]) -> dict[str, Any]:
    """`params` for GOV.UK Frontend's password input, with its own words (English there) in the page's
    language: `form.password(params=password_words({...}))`."""
    return {
        "showPasswordText": gettext("Show"),
        "hidePasswordText": gettext("Hide"),
        "showPasswordAriaLabelText": gettext("Show password"),
        "hidePasswordAriaLabelText": gettext("Hide password"),
        "passwordShownAnnouncementText": gettext("Your password is visible"),
        "passwordHiddenAnnouncementText": gettext("Your password is hidden"),
        **params,
    }


def current_language() -> str:
    return str(get_locale() or "en")


def init_app(app: Flask) -> None:
    app.add_url_rule("/language/<code>", "change_language", change_language)
    app.add_template_global(language_toggle)
    app.add_template_global(current_language)
    app.add_template_global(password_words)
