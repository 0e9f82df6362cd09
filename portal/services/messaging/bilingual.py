"""Messages in the language a victim chose: English, Welsh, or both.

A victim who chose both English and Welsh gets one message with the Welsh first and the English after it,
as the Welsh Language Standards expect: the email subject and letter heading are "Welsh / English". Each
half is rendered exactly as it would be alone, so a bilingual text message is at most two two-fragment
texts joined (well within Notify's 918 characters, SMS_MAX_CHARACTERS; tests/messaging checks every
event type).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from flask_babel import force_locale

from portal.services.messaging.messages import Channel, Language, RenderedMessage
from portal.services.messaging.messages import render_update_message as render_one

BOTH = "both"
#: Notify refuses a text message longer than this.
SMS_MAX_CHARACTERS = 918


def bilingual(
    welsh: RenderedMessage, english: RenderedMessage, channel: str | None = None
) -> RenderedMessage:
    """One message: the Welsh, then the English (a horizontal rule between them in an email)."""
    subject = None
    if welsh.subject is not None and english.subject is not None:
        subject = (
            welsh.subject if welsh.subject == english.subject else f"{welsh.subject} / {english.subject}"
        )
    between = "\n\n---\n\n" if channel == "email" else "\n\n"
    return RenderedMessage(subject, welsh.body + between + english.body)


def languages_of(language: str) -> tuple[Language, ...]:
    """The languages a message is written in, in order: ("cy", "en") for both."""
    if language == BOTH:
        return ("cy", "en")
    if language not in ("en", "cy"):
        raise ValueError(f"Unknown language {language!r}")
    return (cast(Language, language),)


def render_update_message(event_code: str, details: Any, *, language: str, **options: Any) -> RenderedMessage:
    """messages.render_update_message in the victim's language: Welsh then English when they chose both."""
    rendered = [render_one(event_code, details, language=code, **options) for code in languages_of(language)]
    if len(rendered) == 1:
        return rendered[0]
    message = bilingual(rendered[0], rendered[1], cast(Channel, options.get("channel")))
    if options.get("channel") == "sms" and len(message.body) > SMS_MAX_CHARACTERS and options.get("detailed"):
        # Cannot happen with two texts of two fragments each; if it ever did, the discreet pair fits.
        return render_update_message(event_code, details, language=language, **{**options, "detailed": False})
    return message


def in_language(language: str, render: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """(subject, body) that `render` writes with flask_babel's gettext, in the victim's language; both
    languages, Welsh first, when they chose both."""
    parts = []
    for code in languages_of(language):
        with force_locale(code):
            parts.append(RenderedMessage(*render()))
    combined = parts[0] if len(parts) == 1 else bilingual(parts[0], parts[1])
    return str(combined.subject), combined.body
