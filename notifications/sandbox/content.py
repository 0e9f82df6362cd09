"""A template filled in with personalisation, as Notify renders and checks it.

Rules from alphagov/notifications-utils: notifications_utils/field.py (placeholders `((name))` and
`((name??text))`, list values), insensitive_dict.py (names match ignoring case, spaces, `_` and `-`),
template.py (`missing_data`: a placeholder whose value is absent *or null*; an empty string is a value;
`is_message_empty`; `is_message_too_long`: texts over `SMS_CHAR_COUNT_LIMIT` = 918 characters, counted
after sanitising, emails over 2,000,000 bytes), formatters.py (whitespace normalisation) and
sanitise_text.py (`SanitiseSMS`: what a text message's characters become).

Not reproduced: smart quotes in subjects (cosmetic) and letter page counts (Notify checks them after
accepting the letter).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from notifications.templates import GenericTemplate

SMS_CHAR_COUNT_LIMIT = 918  # notifications_utils/__init__.py
EMAIL_MAX_BYTES = 2_000_000  # template.py BaseEmailTemplate.is_message_too_long

_PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")
_ZERO_WIDTH = "\u180e\u200b\u200c\u200d\u2060\ufeff\u2028\u2029"
_FULL_WIDTH_SPACES = "\u00a0\u202f"
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<![ \t])[ \t]+([,.])")
_THREE_OR_MORE_NEWLINES = re.compile(r"\n{3,}")
_SPACED_HYPHEN = re.compile(r"(?<!\s)\s+[-–—]{1,3}\s+")


def normalise_key(name: str) -> str:
    """How Notify matches personalisation to placeholders: case, spaces, `_` and `-` are ignored."""
    return name.translate({ord(character): None for character in " _-"}).lower()


def placeholders(*texts: str | None) -> list[str]:
    """The placeholder names in these texts, first spelling kept, in order, no duplicates."""
    names: dict[str, str] = {}
    for text in texts:
        for body in _PLACEHOLDER.findall(text or ""):
            name = body.split("??")[0]
            names.setdefault(normalise_key(name), name)
    return list(names.values())


def _obscure_whitespace_removed(value: str) -> str:
    for character in _ZERO_WIDTH + _FULL_WIDTH_SPACES:
        value = value.replace(character, "")
    return value.strip()


def _truthy(value: Any) -> bool:
    # field.py str2bool: what shows a conditional placeholder's text
    return bool(value) and str(value).lower() in ("yes", "y", "true", "t", "1", "include", "show")


def _as_text(value: Any, *, markdown_lists: bool) -> str:
    if isinstance(value, list):
        items = [_obscure_whitespace_removed(str(item)) for item in value if item is not None]
        items = [item for item in items if item]
        if not items:
            return ""
        if markdown_lists:
            return "\n\n" + "\n".join(f"* {item}" for item in items)
        return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
    return str(value)


def fill(text: str, values: Mapping[str, Any], *, markdown_lists: bool = False, escape: bool = False) -> str:
    """`text` with its placeholders replaced (`values` keyed by `normalise_key`)."""

    def replace(match: re.Match[str]) -> str:
        name, conditional, shown = match.group(1).partition("??")
        value = values.get(normalise_key(name))
        if value is None:
            return match.group(0)
        if conditional:
            return shown if _truthy(value) else ""
        rendered = _as_text(value, markdown_lists=markdown_lists)
        return html.escape(rendered, quote=False) if escape else rendered

    return _PLACEHOLDER.sub(replace, text or "")


def _normalise_spaces(line: str) -> str:
    for character in _FULL_WIDTH_SPACES:
        line = line.replace(character, " ")
    for character in _ZERO_WIDTH:
        line = line.replace(character, "")
    return " ".join(line.split())


# -- text messages: sanitise_text.py SanitiseSMS ------------------------------------------------------

_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
) | set("^{}\\[~]|€")
_WELSH = set("àèìòùẁỳÀÈÌÒÙẀỲáéíóúẃýÁÉÍÓÚẂÝäëïöüẅÿÄËÏÖÜẄŸâêîôûŵŷÂÊÎÔÛŴŶ")
_SMS_ALLOWED = _GSM | _WELSH
_SMS_REPLACEMENTS = {
    "‑": "-",
    "–": "-",
    "—": "-",
    "−": "-",
    "…": "...",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "‚": "'",
    "„": '"',
    **dict.fromkeys(_ZERO_WIDTH, ""),
    "\u00a0": " ",
    "\u202f": " ",
    "\t": " ",
    "Ł": "L",
    "ł": "l",
}


def _sms_character(character: str) -> str:
    if character in _SMS_ALLOWED:
        return character
    decomposition = unicodedata.decomposition(character)
    if decomposition and "<" not in decomposition:
        # a letter with a diacritic becomes its base letter, if that one can be sent
        base = chr(int(decomposition.split()[0], 16))
        return base if base in _SMS_ALLOWED else "?"
    return _SMS_REPLACEMENTS.get(character, "?")


def sms_text(content: str) -> str:
    """A filled-in text message as it is sent (SMSMessageTemplate.__str__)."""
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", content)
    text = "\n".join(_normalise_spaces(line) for line in text.splitlines())
    text = _THREE_OR_MORE_NEWLINES.sub("\n\n", text).strip()
    return "".join(_sms_character(character) for character in text)


def sms_length(text: str) -> int:
    """Characters as Notify counts them: UTF-16 code units of the sanitised message."""
    return len(text.encode("utf-16-le")) // 2


def sms_fragments(text: str) -> int:
    """template.py `fragment_count`: Welsh letters outside GSM force 70/67-character parts; otherwise
    160/153, the extended GSM characters counting twice."""
    length = sms_length(text)
    if set(text) & (_WELSH - _GSM):
        return 1 if length <= 70 else math.ceil(length / 67)
    length += sum(text.count(character) for character in "^{}\\[~]|€")
    return 1 if length <= 160 else math.ceil(length / 153)


# -- a whole template ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    body: str
    subject: str | None
    missing: list[str]
    empty: bool
    too_long: str | None  # Notify's message if too long, else None
    fragments: int = 1  # a text message's billable parts


def render(template: GenericTemplate, personalisation: Mapping[str, Any]) -> Rendered:
    """Fill `template` in and check it as validators.py `validate_template` and
    `check_is_message_too_long` do (Missing personalisation, empty, too long)."""
    values: dict[str, Any] = {}
    for key, value in personalisation.items():
        values[normalise_key(str(key))] = value
    names = placeholders(template.subject, template.content)
    missing = [name for name in names if values.get(normalise_key(name)) is None]
    if template.type == "sms":
        body = sms_text(fill(template.content, values))
        length = sms_length(body)
        too_long = (
            f"Your message is too long. Text messages cannot be longer than {SMS_CHAR_COUNT_LIMIT} "
            f"characters. Your message is {length} characters long."
            if length > SMS_CHAR_COUNT_LIMIT
            else None
        )
        return Rendered(body, None, missing, length == 0, too_long, sms_fragments(body))
    body = fill(template.content, values, markdown_lists=True).strip()
    # Template.is_message_empty: only content that starts and ends with a placeholder can be empty
    content = template.content or ""
    empty = not content or (content.startswith("((") and content.endswith("))") and not body)
    subject_text = fill(template.subject or "", values, escape=template.type == "letter")
    subject = _normalise_spaces(_SPACED_HYPHEN.sub(" – ", _SPACE_BEFORE_PUNCTUATION.sub(r"\1", subject_text)))
    too_long = None
    if template.type == "email":
        size = len(body.encode("utf-8"))
        if size > EMAIL_MAX_BYTES:
            too_long = (
                f"Your message is too long. Emails cannot be longer than {EMAIL_MAX_BYTES} bytes. "
                f"Your message is {size} bytes."
            )
    return Rendered(body, subject, missing, empty, too_long)
