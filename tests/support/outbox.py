"""The outbox: the messages the portal has written for GOV.UK Notify, exactly as Notify would deliver
them, and the links and codes people read in them."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from notifications.outbox import OutboundMessage
from portal.extensions import db

# Words that would tell someone reading over the victim's shoulder what the message is about.
NOT_IN_A_DISCREET_MESSAGE = (
    "assault",
    "abuse",
    "violen",
    "domestic",
    "sexual",
    "rape",
    "harass",
    "stalk",
    "attack",
    "harm",
    "crime",
    "criminal",
    "offence",
    "offender",
    "charge",
    "court",
    "trial",
    "hearing",
    "bail",
    "sentence",
    "prison",
    "custody",
    "parole",
    "probation",
    "police",
    "officer",
    "cps",
    "crown",
    "prosecut",
    "witness",
    "victim",
    "suspect",
    "arrest",
    "verdict",
    "guilty",
    "release",
    "licence",
    "appeal",
    "justice",
    "magistrate",
    "judge",
    "jury",
    "defendant",
    "case",
    "evidence",
    "statement",
    "liaison",
    "review",
    "investigat",
    "support service",
    "scheme",
)


def messages(app: Flask, correlation: str = "") -> list[OutboundMessage]:
    """Every message in the outbox, oldest first; only those whose correlation starts with `correlation`
    (e.g. "invitation:", "update:", "delegation-copy:") when given."""
    with app.app_context(), db.job() as session:
        rows = session.scalars(
            select(OutboundMessage).order_by(OutboundMessage.created_at, OutboundMessage.id)
        )
        found = [m for m in rows if (m.correlation or "").startswith(correlation)]
        session.expunge_all()
    return found


def latest_link(app: Flask, path: str) -> str:
    """The path of the newest link to `path` (e.g. "/invitation/") in any message."""
    for message in reversed(messages(app)):
        found = re.search(rf"https?://[^/\s]+({re.escape(path)}[A-Za-z0-9_\-]+)", message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no message with a {path} link")


def latest_code(app: Flask, correlation: str, *, to: str | None = None) -> str:
    """The 6-digit code in the newest message whose correlation starts with `correlation`
    ("security-code:" for signing in, "contact-verification:" for a new email address or phone number),
    sent to `to` when given."""
    sent = [m for m in messages(app, correlation) if to is None or m.recipient == to]
    assert sent, f"no {correlation} message" + (f" to {to}" if to else "")
    found = re.search(r"\b(\d{6})\b", sent[-1].body)
    assert found is not None
    return found.group(1)
