"""The words of the email, text message or letter that tells a victim about an update (through Notify).

Two modes:

* **Discreet** (the default for every victim): the message says only that there is a new update and how to
  sign in. No offence, agency, court, person or event appears in the subject or the body, because many
  victims share a phone, inbox or home with the person who harmed them.
* **Detailed** (only when the victim chose it for that channel): the title, what it means with the key
  details (date, time and court for hearings), what happens next and, for email and letters, the rights
  the victim can act on with their dates.

An **urgent** update (safety news: release, escape, an order that protects the victim) says so. Discreet:
"You have an important update. Sign in to read it as soon as you can", still revealing no offence,
agency, person or court. Detailed: the email subject and letter heading start "Important:"; the text
message is as for any update (its two fragments are kept for the details).

Every message says how to change contact preferences or stop messages. Text messages fit in two
fragments: 306 GSM-7 units (the GSM extension characters ``^{}[]~|€\\`` count twice), or 134 UCS-2 units
when any character is outside GSM-7. Letters tell the reader how to sign in, not just a web address.
Rendering is done in the victim's language with ``force_locale`` (Welsh text follows via translations).

Notify set-up this relies on: the SMS template is ``((body))`` alone and the service name prefix for text
messages is switched **off** (it would reveal the service and use up characters); the email template
subject is ``((subject))``; the letter template heading is ``((subject))``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from flask_babel import force_locale, gettext

from portal.services.vocabulary import Wording, describe, free_text, get_event_type

Channel = Literal["email", "sms", "letter"]
Language = Literal["en", "cy"]

SMS_GSM_LIMIT = 306
SMS_UCS2_LIMIT = 134

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

# Typography that would force a whole text into UCS-2 for no good reason.
_SMS_REPLACEMENTS = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "–": "-",
        "—": "-",
        "‑": "-",
        "…": "...",
        "\u00a0": " ",
        "\u2009": " ",
        "\t": " ",
    }
)


@dataclass(frozen=True)
class RenderedMessage:
    """What goes to Notify: ``subject`` for email and letter headings (None for text messages)."""

    subject: str | None
    body: str


def sms_encoding(text: str) -> Literal["gsm", "ucs2"]:
    """GSM-7 if every character is in the GSM basic or extension tables, otherwise UCS-2."""
    return "gsm" if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text) else "ucs2"


def sms_units(text: str) -> int:
    """Length as the network counts it: GSM extension characters count 2; UCS-2 counts UTF-16 units."""
    return _units_in(text, sms_encoding(text))


def sms_limit(text: str) -> int:
    """The most units two fragments can carry for this text's encoding."""
    return SMS_GSM_LIMIT if sms_encoding(text) == "gsm" else SMS_UCS2_LIMIT


def fits_two_sms(text: str) -> bool:
    """True if the text goes as at most two fragments."""
    return sms_units(text) <= sms_limit(text)


def sanitise_sms(text: str) -> str:
    """Swap curly quotes, dashes and odd spaces for GSM equivalents; drop other control characters."""
    text = text.translate(_SMS_REPLACEMENTS)
    return "".join(ch for ch in text if ch == "\n" or ch >= " ")


def downgrade_to_gsm(text: str) -> str:
    """Sanitise, then drop accents GSM-7 lacks ("Siân" -> "Sian"); "?" for anything else, as Notify does."""
    out = []
    for ch in sanitise_sms(text):
        if ch in GSM_BASIC or ch in GSM_EXTENDED:
            out.append(ch)
            continue
        base = "".join(part for part in unicodedata.normalize("NFKD", ch) if part in GSM_BASIC)
        out.append(base or "?")
    return "".join(out)


def _sms_variants(language: Language) -> tuple[Callable[[str], str], ...]:
    """How message text is made fit for SMS. URLs are never transformed.

    English: like Notify, accents outside GSM-7 are dropped (names lose them in texts only). Welsh: keep
    Welsh letters (which makes the text UCS-2, 134 units) and drop accents only if nothing whole fits.
    """
    return (downgrade_to_gsm,) if language == "en" else (sanitise_sms, downgrade_to_gsm)


def _units_in(text: str, encoding: str) -> int:
    """Units ``text`` takes in a message of the given encoding."""
    if encoding == "gsm":
        return sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def _truncate_sms(text: str, budget: int, encoding: str) -> str:
    """Cut ``text`` at a word boundary so that it and "..." fit in ``budget`` units ("" if nothing fits)."""
    if _units_in(text, encoding) <= budget:
        return text
    kept = ""
    for word in text.split(" "):
        candidate = f"{kept} {word}" if kept else word
        if _units_in(candidate, encoding) + 3 > budget:
            break
        kept = candidate
    kept = kept.rstrip(" ,;:.")
    return f"{kept}..." if kept else ""


def _paragraphs(*parts: str | None) -> str:
    return "\n\n".join(part for part in parts if part)


# --- Agency free text in Notify's formatting -----------------------------------------------------

ZERO_WIDTH_SPACE = "\u200b"
# At the start of a line Notify's formatting reads these as a heading, a list, a rule or a quote.
_BACKSLASH_AT_START = re.compile(r"^([#*+>-])")
_NUMBERED_AT_START = re.compile(r"^(\d+)\.")
_INSET_OR_BULLET_AT_START = re.compile(r"^([\^•]|qr:)", re.IGNORECASE)


def escape_formatting(text: str) -> str:
    """Agency free text made inert in a Notify email or letter, where the body is Notify's markdown.

    Notify (notifications-utils `markdown.py`) reads `#` at the start of a line as a heading, `^` as an
    inset, `*`, `-`, `•` and `1.` as lists, `---` as a rule, `[text](url)` and any `http(s)://` address
    as a link, and a paragraph starting `qr:` in a letter as a QR code. Line breaks become spaces, so
    nothing can start a line of its own; `[`, `]` and `\\` are backslash-escaped (its markdown prints
    the character itself); a heading, list or quote marker at the start is escaped the same way, and
    an inset, bullet or QR marker (which have no escape) gets a zero-width space before it; `://`
    gets one inside it, so an address reads the same but is not made a link.
    """
    text = " ".join(text.split())
    text = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    text = text.replace("://", ":" + ZERO_WIDTH_SPACE + "//")
    text = _BACKSLASH_AT_START.sub(r"\\\1", text)
    text = _NUMBERED_AT_START.sub(r"\1\\.", text)
    return _INSET_OR_BULLET_AT_START.sub(ZERO_WIDTH_SPACE + r"\1", text)


def _escaped_details(event_code: str, details: Mapping[str, Any]) -> dict[str, Any]:
    """The update's details with every free-text value (no format, no fixed choices) escaped."""
    properties = get_event_type(event_code).details_schema.get("properties", {})
    escaped: dict[str, Any] = {}
    for key, value in details.items():
        spec = properties.get(key, {})
        free_text = "format" not in spec and "enum" not in spec
        if free_text and isinstance(value, str):
            escaped[key] = escape_formatting(value)
        elif free_text and isinstance(value, list | tuple):
            escaped[key] = [escape_formatting(item) if isinstance(item, str) else item for item in value]
        else:
            escaped[key] = value
    return escaped


# --- Discreet ------------------------------------------------------------------------------------


def _discreet(
    channel: Channel, language: Language, sign_in_url: str, preferences_url: str, *, urgent: bool = False
) -> RenderedMessage:
    if urgent:
        subject = gettext("You have an important update")
        opening = gettext("You have an important update.")
        sign_in = gettext("Sign in to read it as soon as you can:\n%(sign_in_url)s", sign_in_url=sign_in_url)
    else:
        subject = gettext("You have a new update")
        opening = gettext("You have a new update.")
        sign_in = gettext("Sign in to read it:\n%(sign_in_url)s", sign_in_url=sign_in_url)
    if channel == "sms":
        return RenderedMessage(None, _discreet_sms(language, sign_in_url, preferences_url, urgent=urgent))
    if channel == "email":
        return RenderedMessage(subject, _paragraphs(opening, sign_in, _email_footer(preferences_url)))
    if urgent:
        opening = _paragraphs(opening, gettext("Please read it as soon as you can."))
    body = _paragraphs(opening, _letter_sign_in(sign_in_url), _letter_footer(preferences_url))
    return RenderedMessage(subject, body)


@functools.lru_cache(maxsize=32)
def _discreet_in(
    language: Language, channel: Channel, sign_in_url: str, preferences_url: str, urgent: bool
) -> RenderedMessage:
    """The discreet message, worded once per process for each language, channel and urgency: it is the
    same for every victim (nothing personal: the service's own addresses), and an API batch tells a victim
    of each update in it (Flask-Babel's force_locale and gettext cost about 1 ms a message here). The
    catalogues are compiled files read at start, so the wording cannot change while the process runs."""
    with force_locale(language):
        return _discreet(channel, language, sign_in_url, preferences_url, urgent=urgent)


def _discreet_sms(language: Language, sign_in_url: str, preferences_url: str, *, urgent: bool) -> str:
    """The first discreet text, in order of preference, that fits in two fragments."""
    urls = {"sign_in_url": sign_in_url, "preferences_url": preferences_url}
    if urgent:
        templates = (
            gettext(
                "You have an important update. Sign in to read it as soon as you can: %(sign_in_url)s\n"
                "To change or stop these texts: %(preferences_url)s"
            ),
            gettext("Important update: %(sign_in_url)s\nChange or stop texts: %(preferences_url)s"),
        )
    else:
        templates = (
            gettext(
                "You have a new update. Sign in to read it: %(sign_in_url)s\n"
                "To change or stop these texts: %(preferences_url)s"
            ),
            gettext("New update: %(sign_in_url)s\nChange or stop texts: %(preferences_url)s"),
        )
    for template in templates:
        for variant in _sms_variants(language):
            body = variant(template) % urls
            if fits_two_sms(body):
                return body
    raise ValueError(
        f"The text message is {sms_units(body)} units, more than 2 fragments ({sms_limit(body)}): "
        "the sign-in and preferences addresses are too long for a text message"
    )


# --- Detailed ------------------------------------------------------------------------------------


def _email_footer(preferences_url: str) -> str:
    return _paragraphs(
        "---",
        gettext(
            "To change how and when we contact you, or to stop these emails, go to:\n%(preferences_url)s",
            preferences_url=preferences_url,
        ),
    )


def _letter_sign_in(sign_in_url: str) -> str:
    return _paragraphs(
        gettext("To read it:"),
        gettext(
            "1. On a phone, tablet or computer, open your web browser and type this address into the "
            "address bar: %(sign_in_url)s\n2. Sign in to your account.",
            sign_in_url=sign_in_url,
        ),
        gettext("If you cannot go online, you can ask someone you trust to help you."),
    )


def _letter_footer(preferences_url: str) -> str:
    return gettext(
        "To change how and when we contact you, or to stop these letters, sign in and change your contact "
        "preferences. You can also type this address into your web browser: %(preferences_url)s",
        preferences_url=preferences_url,
    )


def _rights_section(wording: Wording) -> str | None:
    if not wording.rights:
        return None
    return _paragraphs("# " + gettext("What you can do"), *(right.text for right in wording.rights))


def _pack_sms(
    wording: Wording,
    variant: Callable[[str], str],
    sign_in_url: str,
    preferences_url: str,
    english: tuple[str, ...] = (),
) -> tuple[str | None, int]:
    """Title, this update's own facts (or else the explanation), then next steps, as far as 2 texts allow.

    Whole parts are kept in that order until one does not fit; if not even the first fits, it is cut at a
    word. The sign-in and preferences lines are always kept. When a part kept holds any of `english` (an
    agency's words sent in English only, in a Welsh text), a short note says so, room made for it.
    Returns the body (None if no detail fits at all) and how many whole parts it holds.
    """
    template = variant(
        "\n"
        + gettext("Sign in to read more: %(sign_in_url)s\nTo change or stop these texts: %(preferences_url)s")
    )
    suffix = template % {"sign_in_url": sign_in_url, "preferences_url": preferences_url}
    header = variant(wording.title) + "\n"
    facts = wording.key_details or wording.background  # the title already gives the gist
    raw = (*facts, wording.what_happens_next)
    parts = [variant(part) for part in raw]
    in_english = [any(word in part for word in english) for part in raw]
    note = " " + variant(gettext("Some words were sent in English only.")) if any(in_english) else ""
    everything = header + " ".join(parts) + note + suffix
    encoding = sms_encoding(everything)
    budget = sms_limit(everything) - _units_in(header + suffix, encoding)

    def fit(room: int) -> list[str]:
        kept: list[str] = []
        for part in parts:
            if _units_in(" ".join([*kept, part]), encoding) > room:
                break
            kept.append(part)
        return kept

    kept = fit(budget)
    if note and any(in_english[: max(len(kept), 1)]):
        budget -= _units_in(note, encoding)
        kept = fit(budget)
    content = " ".join(kept) if kept else _truncate_sms(parts[0], budget, encoding)
    if content and note and any(in_english[: max(len(kept), 1)]):
        content += note
    body = header + content + suffix
    if not content or not fits_two_sms(body):
        return None, 0
    return body, len(kept)


def _detailed_sms(
    wording: Wording,
    language: Language,
    sign_in_url: str,
    preferences_url: str,
    english: tuple[str, ...] = (),
) -> str | None:
    """The first way of writing the text that holds at least one whole fact; else the longest that fits.

    None if no detail fits at all: the caller then sends the discreet text.
    """
    fallback: str | None = None
    for variant in _sms_variants(language):
        body, whole_parts = _pack_sms(wording, variant, sign_in_url, preferences_url, english)
        if body and whole_parts:
            return body
        if body and (fallback is None or len(body) > len(fallback)):
            fallback = body
    return fallback


def _detailed(
    channel: Channel,
    language: Language,
    wording: Wording,
    sign_in_url: str,
    preferences_url: str,
    *,
    urgent: bool = False,
    english: tuple[str, ...] = (),
) -> RenderedMessage:
    """`english`: the agency's words among the details that this (Welsh) message shows in English only;
    said once, after what happens next."""
    if channel == "sms":
        body = _detailed_sms(wording, language, sign_in_url, preferences_url, english)
        return (
            RenderedMessage(None, body)
            if body
            else _discreet(channel, language, sign_in_url, preferences_url, urgent=urgent)
        )
    title = gettext("Important: %(title)s", title=wording.title) if urgent else wording.title
    next_heading = "# " + gettext("What happens next")  # not in an f-string: pybabel extract would miss it
    note = gettext("Some words in this update were sent in English only.") if english else None
    main = _paragraphs(
        wording.what_this_means, next_heading, wording.what_happens_next, note, _rights_section(wording)
    )
    if channel == "email":
        read_more = gettext(
            "Sign in to read the full update and everything else about your case:\n%(sign_in_url)s",
            sign_in_url=sign_in_url,
        )
        return RenderedMessage(title, _paragraphs(main, read_more, _email_footer(preferences_url)))
    read_more = gettext("You can read this update, and everything else about your case, online.")
    body = _paragraphs(main, read_more, _letter_sign_in(sign_in_url), _letter_footer(preferences_url))
    return RenderedMessage(title, body)


def render_update_message(
    event_code: str,
    details: Mapping[str, Any],
    *,
    channel: Channel,
    language: Language,
    detailed: bool,
    sign_in_url: str,
    preferences_url: str,
    occurred_at: datetime,
    received_at: datetime | None = None,
    told_at: datetime | None = None,
    urgent: bool | None = None,
) -> RenderedMessage:
    """The message that tells a victim about one update, ready for a generic Notify template.

    Discreet unless ``detailed`` is True. ``urgent`` (safety news: the message says it is important)
    defaults to what the event type says. ``told_at`` is when this message is expected to tell the victim
    (for a letter, when it arrives): rights counted from being told are dated from it in detailed emails
    and letters; without it they are worded without a date. Needs a Flask app context with Flask-Babel for translation.
    Raises UnknownEventType for an unknown code, ValueError for a bad channel or language, for details
    that cannot be worded (detailed mode only), or if the addresses alone are too long for a text message.
    """
    event = get_event_type(event_code)  # unknown types fail in discreet mode too
    urgent = event.urgent if urgent is None else urgent
    if channel not in ("email", "sms", "letter"):
        raise ValueError(f"Unknown channel {channel!r}")
    if language not in ("en", "cy"):
        raise ValueError(f"Unknown language {language!r}")
    if not detailed:
        return _discreet_in(language, channel, sign_in_url, preferences_url, urgent)
    with force_locale(language):
        if channel != "sms":  # emails and letters are Notify markdown; texts are plain
            details = _escaped_details(event_code, details)
        wording = describe(
            event_code,
            details,
            occurred_at=occurred_at,
            received_at=received_at or occurred_at,
            told_at=told_at,
        )
        english = (
            free_text.shown_in(
                free_text.english_words(event_code, details),
                wording.what_this_means,
                wording.what_happens_next,
            )
            if language == "cy"
            else ()
        )
        return _detailed(
            channel, language, wording, sign_in_url, preferences_url, urgent=urgent, english=english
        )
