"""Helpers shared by the preferences, staff and timeliness tests (this module holds no tests)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import Organisation, OrganisationKind, Role, User, Victim
from portal.services.accounts.passwords import hash_password
from portal.services.cases import records as case_records
from tests.conftest import DEMO_PASSWORD, DEMO_TOTP_SECRET, csrf_from


def text(response: Any) -> str:
    """The page's text without tags, whitespace collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'").replace("&amp;", "&")


def demo_victim_id(app: Flask) -> str:
    with app.app_context(), db.job() as session:
        victim_id = session.scalar(select(Victim.id).where(Victim.email == "victim@demo.example"))
    assert victim_id is not None
    return victim_id


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any] | list[tuple[str, str]], page_url: str | None = None
) -> Any:
    """GET the page for its CSRF token, then POST the form data to `url`."""
    page = client.get(page_url or url)
    token = csrf_from(page.get_data(as_text=True))
    items = list(data.items()) if isinstance(data, dict) else list(data)
    flat: list[tuple[str, str]] = []
    for key, value in items:
        if isinstance(value, list | tuple):
            flat += [(key, v) for v in value]
        elif value is None:
            continue
        else:
            flat.append((key, value))
    return client.post(url, data=MultiDict([("csrf_token", token), *flat]))


def add_other_unit(app: Flask) -> dict[str, str]:
    """Force 02: its own witness care unit and officer, a case and a victim with a login (Pat)."""
    with app.app_context(), db.job() as session:
        unit = Organisation(
            name="Other Witness Care Unit", kind=OrganisationKind.WITNESS_CARE_UNIT, force_code="02"
        )
        session.add(unit)
        other = Victim(
            given_name="Pat", family_name="Placeholder", email="pat@demo.example", phone="07700900456"
        )
        case, _ = case_records.upsert_case(session, "02CD1111125", offence="Theft")
        case_records.add_victim(session, case, other)
        session.add_all(
            [
                User(
                    email="other.officer@demo.example",
                    display_name="Oscar Other",
                    password_hash=hash_password(DEMO_PASSWORD),
                    role=Role.WITNESS_CARE_OFFICER,
                    organisation_id=unit.id,
                    mfa_method="totp",
                    totp_secret=DEMO_TOTP_SECRET,
                ),
                User(
                    email="pat@demo.example",
                    display_name="Pat Placeholder",
                    password_hash=hash_password(DEMO_PASSWORD),
                    role=Role.VICTIM,
                    victim_id=other.id,
                    mfa_method="email",
                ),
            ]
        )
        session.flush()
        return {"victim_id": other.id, "urn": "02CD1111125"}


def latest_code(app: Flask, recipient: str) -> str:
    """The 6-digit code in the newest contact-verification message to this recipient."""
    with app.app_context(), db.job() as session:
        message = session.scalars(
            select(OutboundMessage)
            .where(
                OutboundMessage.correlation.like("contact-verification:%"),
                OutboundMessage.recipient == recipient,
            )
            .order_by(OutboundMessage.created_at.desc())
            .limit(1)
        ).first()
        assert message is not None, f"no code sent to {recipient}"
        found = re.search(r"\b(\d{6})\b", message.body)
        assert found is not None
        return found.group(1)


def count(app: Flask, model: Any, *where: Any) -> int:
    with app.app_context(), db.job() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def now() -> datetime:
    return datetime.now(UTC)
