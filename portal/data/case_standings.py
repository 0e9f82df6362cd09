"""A victim's standing in a case, kept between views (`portal.models.CaseStanding`): read with the pair's
current revision in one statement, and written, replacing any older copy, in one more. The database's
triggers (migration 0028) make a kept copy stale, and delete it, whenever anything it was worked out
from changes; see `portal.services.cases.kept_standing` for what is kept and for how long."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.models import CaseStanding, CaseVictim


class KeptCopy(NamedTuple):
    revision: int
    good_until: datetime
    payload: str


class KeptStanding(NamedTuple):
    """The pair's revision now, read before anything the standing is worked out from (so a copy worked
    out from what is read next is kept at a revision no newer than what it saw), and the kept copy in
    this locale, if there is one, whatever its revision."""

    revision: int
    copy: KeptCopy | None


@functools.cache
def _read_statement() -> Any:
    """Built once per process; parameters case_id, victim_id and locale."""
    return (
        select(
            CaseVictim.standing_revision, CaseStanding.revision, CaseStanding.good_until, CaseStanding.payload
        )
        .select_from(CaseVictim)
        .outerjoin(
            CaseStanding,
            and_(
                CaseStanding.case_id == CaseVictim.case_id,
                CaseStanding.victim_id == CaseVictim.victim_id,
                CaseStanding.locale == bindparam("locale"),
            ),
        )
        .where(CaseVictim.case_id == bindparam("case_id"), CaseVictim.victim_id == bindparam("victim_id"))
    )


def read(session: Session, case_id: int, victim_id: str, locale: str) -> KeptStanding | None:
    """The pair's revision and its kept copy in `locale` (None: the victim is not on the case)."""
    row = session.execute(
        _read_statement(), {"case_id": case_id, "victim_id": victim_id, "locale": locale}
    ).one_or_none()
    if row is None:
        return None
    current, revision, good_until, payload = row
    copy = KeptCopy(revision, good_until, payload) if revision is not None else None
    return KeptStanding(current, copy)


def keep(
    session: Session,
    case_id: int,
    victim_id: str,
    locale: str,
    *,
    revision: int,
    good_until: datetime,
    payload: str,
) -> None:
    """Keep this copy of the standing, replacing the pair's copy in this locale."""
    insert_into = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = {
        "case_id": case_id,
        "victim_id": victim_id,
        "locale": locale,
        "revision": revision,
        "good_until": good_until,
        "payload": payload,
    }
    session.execute(
        insert_into(CaseStanding)
        .values(**values)
        .on_conflict_do_update(
            index_elements=[CaseStanding.case_id, CaseStanding.victim_id, CaseStanding.locale],
            set_={name: values[name] for name in ("revision", "good_until", "payload")},
        )
    )
