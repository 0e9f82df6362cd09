"""The demo data's people and secrets, as the tests sign in with them (`seeded` loads the demo data)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Victim

DEMO_PASSWORD = "demo-only-password"
DEMO_TOTP_SECRET = "DEMOONLYDEMOONLYDEMOONLYDEMOONLY"

VICTIM = "victim@demo.example"  # Sam Sample, with two cases
OFFICER = "officer@demo.example"  # a witness care officer of force 01's unit
SUPPORT_WORKER = "support@demo.example"  # Sunny Supporter, Demo Victim Support
ADMIN = "admin@demo.example"


def demo_victim_id(app: Flask) -> str:
    """The id of the demo victim, Sam Sample."""
    with app.app_context(), db.job() as session:
        victim_id = session.scalar(select(Victim.id).where(Victim.email == VICTIM))
    assert victim_id is not None
    return victim_id
