"""Keep secrets and contact details out of logs (SECURITY.md item 13).

`redact_text` blanks email addresses, phone numbers, 6-digit codes, tokens in our link paths and
`token=`/`code=`/`password=` parameters, plus any exact values the caller passes (the request's own
password and code fields). `install_log_redaction` applies it to every log record the process creates,
whichever library logs it, so no handler or logger can be forgotten.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

REDACTED = "[redacted]"

_EMAIL = re.compile(r"[^@\s<>\"'(),;:]+@[^@\s<>\"'(),;:]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d \-()]{7,}\d(?!\w)")
_CODE = re.compile(r"(?<![0-9A-Za-z])\d{6}(?![0-9A-Za-z])")
_LINK_TOKEN = re.compile(r"(/(?:invitation|password-reset)/)[A-Za-z0-9_\-]{12,}")
_PARAM = re.compile(r"((?:token|code|password|secret)=)[^&\s'\"]+", re.I)


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}")
#: A record's id (a UUID): never a phone number, though its last group may be 12 digits.
_UUID = re.compile(
    r"(?<![0-9A-Za-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9A-Za-z])", re.I
)


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    if _TIMESTAMP.match(text):  # "2026-11-28 12": a date and hour, not a phone number
        return text
    digits = sum(ch.isdigit() for ch in text)
    return REDACTED if digits >= 10 else text


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    text = _LINK_TOKEN.sub(lambda m: m.group(1) + REDACTED, text)
    text = _PARAM.sub(lambda m: m.group(1) + REDACTED, text)
    text = _EMAIL.sub(REDACTED, text)
    # Phone numbers and codes are looked for between ids, never in them.
    ids = _UUID.findall(text)
    between = [_CODE.sub(REDACTED, _PHONE.sub(_phone, part)) for part in _UUID.split(text)]
    return "".join(part + (ids[index] if index < len(ids) else "") for index, part in enumerate(between))


_installed: dict[str, Any] = {}


def install_log_redaction(secrets_provider: Callable[[], Iterable[str]]) -> None:
    """Wrap the process's LogRecord factory once. `secrets_provider` returns extra exact values to blank
    (e.g. the current request's password); it must not raise."""
    _installed["provider"] = secrets_provider
    if "factory" in _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            secrets = list(_installed["provider"]())
            message = record.getMessage()
            clean = redact_text(message, secrets)
            if clean != message:
                record.msg, record.args = clean, ()
            if record.exc_info and not record.exc_text:
                record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info), secrets)
        except Exception:  # noqa: BLE001 - logging must never fail, nor leak, because of redaction
            record.msg, record.args, record.exc_info = "[log record withheld: redaction failed]", (), None
        return record

    _installed["factory"] = factory
    logging.setLogRecordFactory(factory)
