"""SECURITY.md item 7, made able to fail: no GET changes state. Every page a GET reaches, with REAL ids (the
demo victim, case, delegation, organisation, user) so that pages answer rather than 404, is opened by every
role; then every table is compared with its contents before, row by row.

Only two tables may change on a GET, and both are records of the GET itself: the audit trail (who viewed
what) and `update_seen` (a victim opening an update is when they were told, which the Code measures).
What follows from them may change too, and nothing else: the victim's kept standing (`case_standing`, worked
out from what is stored and kept by the case page) and the revision the database's triggers raise when
`update_seen` changes (`case_victim.standing_revision`); every other column of `case_victim` is compared."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from portal.extensions import db
from portal.models import Base
from tests.support.demo import ADMIN, OFFICER, SUPPORT_WORKER, VICTIM
from tests.support.every_page import get_paths
from tests.support.signing_in import signed_in

pytestmark = pytest.mark.security(7)

#: Records of the GET itself (see the module docstring).
MAY_CHANGE = {"audit_event", "update_seen", "case_standing"}
#: Columns that follow from those records (see the module docstring), left out of the comparison.
FOLLOWING = {"case_victim": "standing_revision"}


def _snapshot(app: Flask) -> dict[str, list[tuple[str, ...]]]:
    with app.app_context():
        tables = {}
        for name in sorted(Base.metadata.tables):
            if name in MAY_CHANGE:
                continue
            result = db.session.execute(text(f'SELECT * FROM "{name}"'))
            kept = [index for index, column in enumerate(result.keys()) if column != FOLLOWING.get(name)]
            tables[name] = sorted(tuple(str(row[index]) for index in kept) for row in result.all())
        return tables


def test_sec07_no_get_by_any_role_changes_anything_but_records_of_itself(seeded: Flask) -> None:
    paths = get_paths(seeded)
    assert len(paths) > 40
    clients: list[FlaskClient] = [
        seeded.test_client(),
        *(signed_in(seeded, who) for who in (VICTIM, OFFICER, SUPPORT_WORKER, ADMIN)),
    ]
    before = _snapshot(seeded)
    answered = 0
    for client in clients:
        for path in paths:
            status = client.get(path).status_code
            assert status < 500, (path, status)
            answered += status == 200
    assert answered > 60  # real ids: most pages answered, so the GETs reached the code behind them
    after = _snapshot(seeded)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == [], changed
