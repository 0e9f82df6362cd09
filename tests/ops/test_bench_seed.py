"""`make bench` seeds its own database before it measures anything: the seeding must keep up with the
schema (a new NOT NULL column that the seeded rows do not give stops `make bench` at once). The small
preset on both databases: the volume README states, and the measured victim's case with its updates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bench import PRESETS, TIMELINE_UPDATES
from bench.database import bench_database
from bench.seed import seed
from notifications.outbox import OutboundMessage
from portal import create_app
from portal.extensions import db
from portal.models import Case, CaseUpdate, Victim


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_benchmark_seeds_the_small_volume(kind: str) -> None:
    preset = PRESETS["small"]
    with bench_database(kind) as url:
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        data = seed(app, preset)
        with app.app_context():
            session = db.session
            assert session.scalar(select(func.count()).select_from(Victim)) >= preset.victims
            assert session.scalar(select(func.count()).select_from(Case)) >= preset.cases
            assert session.scalar(select(func.count()).select_from(CaseUpdate)) >= preset.updates
            assert session.scalar(select(func.count()).select_from(OutboundMessage)) > 0
            measured = session.scalar(select(Case.id).where(Case.urn == data.timeline_urn))
            updates = select(func.count()).select_from(CaseUpdate).where(CaseUpdate.case_id == measured)
            assert session.scalar(updates) == TIMELINE_UPDATES
        app.extensions["database"].engine.dispose()
