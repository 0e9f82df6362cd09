"""Common replies an officer can start from on a thread's page: a short list, each a label to choose by and
the words put into the reply box (server-side, so it works without JavaScript). The officer edits the
words before sending; nothing here is sent on its own.

The words are in the officer's language (the page's), and a reply-by date is the thread's own (the oldest
unanswered message's), or today plus the unit's target when nothing waits for an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from babel import dates as babel_dates
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class ReplyTemplate:
    key: str
    label: Any  # what the officer chooses by
    words: Any  # the reply, with %(date)s for the reply-by date where it has one


TEMPLATES: tuple[ReplyTemplate, ...] = (
    ReplyTemplate(
        "received",
        _l("We have your message and will reply by a date"),
        _l("Thank you for your message. We have received it and will reply by %(date)s."),
    ),
    ReplyTemplate(
        "passed-on",
        _l("We have passed your message to the right person"),
        _l(
            "Thank you for your message. We have passed it to the person dealing with this part of your "
            "case. We will write to you again here by %(date)s."
        ),
    ),
    ReplyTemplate(
        "phone-call",
        _l("We would like to speak to you by phone"),
        _l(
            "Thank you for your message. It would help to talk to you about this. We will phone you on "
            "the number you gave us, only at the times you told us are safe. If you would rather we did "
            "not phone, reply to this message and tell us."
        ),
    ),
    ReplyTemplate(
        "answered",
        _l("We think we have answered: closing the conversation"),
        _l(
            "We think we have answered your question. If there is anything else, or if we have not "
            "answered it, reply to this message and we will pick it up."
        ),
    ),
)
_BY_KEY = {template.key: template for template in TEMPLATES}


def choices() -> list[tuple[str, str]]:
    """(key, label) of every template, in the order they are offered."""
    return [(template.key, str(template.label)) for template in TEMPLATES]


def words(key: str, *, reply_by: date) -> str:
    """The template's words for the reply box, its date `reply_by` in the page's language ("4 March
    2027"). KeyError for a key that is not a template."""
    template = _BY_KEY[key]
    day = babel_dates.format_date(reply_by, "d MMMM y", locale=str(get_locale() or "en"))
    return str(template.words) % {"date": day}
