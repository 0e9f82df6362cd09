"""Victims' dates to avoid and needs at court as a change feed for agencies' systems (issue 16): witness
care and the CPS learn that a victim's court needs changed without reading every victim's preferences.

Each change is a version (models/court_needs.py): the feed lists the versions made after `since` on the
cases the client may read (police and witness care: their force's cases; the CPS and probation: all; the
rule is services/common/access.py's), oldest first, each with what changed, who changed it (their role and
the name the change was recorded under: never a staff person's contact details) and the record as it now
stands. A victim no longer on the case is not listed.

Polling: `next_since` is the time of the last change listed; a page that would end part-way through
several changes made at the very same microsecond ends before them, as the requests feed does
(services/agency_api/requests.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Case, CaseVictim, CourtNeedsVersion
from portal.services.common import access
from portal.services.common.actors import ApiCaller
from portal.services.court_needs import records

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
#: Who can change a victim's court needs, as the feed names them.
ROLES: tuple[str, ...] = ("victim", "support_worker", "witness_care_officer")
SOURCES: tuple[str, ...] = records.SOURCES
PARTS: tuple[str, ...] = records.PARTS
REASONS: tuple[str, ...] = records.REASONS
NEEDS: tuple[str, ...] = records.NEEDS


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _versions(
    session: Session, caller: ApiCaller, since: datetime | None, limit: int
) -> list[tuple[CourtNeedsVersion, Case]]:
    """Versions made after `since` on the cases the caller may read, oldest first, at most `limit`."""
    if caller.force_scoped and not caller.force_code:
        return []
    query = (
        select(CourtNeedsVersion, Case)
        .join(Case, Case.id == CourtNeedsVersion.case_id)
        .join(
            CaseVictim,
            (CaseVictim.case_id == CourtNeedsVersion.case_id)
            & (CaseVictim.victim_id == CourtNeedsVersion.victim_id),
        )
    )
    if since is not None:
        query = query.where(CourtNeedsVersion.created_at > since)
    if caller.force_scoped:
        query = query.where(Case.force_code == caller.force_code)
    query = query.order_by(CourtNeedsVersion.created_at, CourtNeedsVersion.id).limit(limit)
    rows = [(row[0], row[1]) for row in session.execute(query)]
    # The one rule, applied again to what was read: nothing another force's reaches a force's system.
    return [
        (version, case) for version, case in rows if access.api_client_covers_force(caller, case.force_code)
    ]


def change_json(version: CourtNeedsVersion, case: Case) -> dict[str, Any]:
    needs = records.CourtNeeds.from_document(version.document)
    return {
        "urn": case.urn,
        "victim_id": version.victim_id,
        "version": version.version,
        "changed_fields": list(version.changed_fields or ()),
        "changed_by": {
            "role": version.actor_role,
            "label": version.actor_label,
            "source": version.source,
        },
        "changed_at": _iso(version.created_at),
        "court": needs.to_document(),
    }


def changes_for(session: Session, caller: ApiCaller, *, since: datetime | None, limit: int) -> dict[str, Any]:
    """The court needs changes the caller may read, made after `since`, oldest first."""
    rows = _versions(session, caller, since, limit + 1)
    more = len(rows) > limit
    if more:
        boundary = rows[limit][0].created_at
        page = rows[:limit]
        # Never end a page part-way through changes made at the same instant (see the module's note).
        trimmed = [row for row in page if row[0].created_at != boundary]
        rows = trimmed or page
    last = rows[-1][0].created_at if rows else since
    return {
        "changes": [change_json(version, case) for version, case in rows],
        "next_since": _iso(last),
        "more": more,
    }
