"""The agency API reads a case and its victims in one statement (`case_with_victims_by_urn`): it must give
what the two reads it replaces give, for a case with victims (some of whom gave a delegation), a case with
none, and a URN with no case."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.extensions import db
from portal.models import Case, CaseVictim, Delegation
from portal.services.cases import records as case_records


def _separately(session: Session, urn: str) -> tuple[Case | None, list[tuple[CaseVictim, bool]]]:
    case = cases_data.get_case_by_urn(session, urn)
    if case is None:
        return None, []
    return case, cases_data.case_victims_with_delegations(session, case.id)


def test_a_case_and_its_victims_in_one_statement_are_what_two_reads_give(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        empty, _ = case_records.upsert_case(session, "01ZZ9999926", offence="Criminal damage")
        urns = [urn for (urn,) in session.execute(select(Case.urn))]
        delegated = set(session.scalars(select(Delegation.victim_id)))
        assert delegated, "the demo data has a victim who gave a delegation"
        seen_victims = seen_delegated = 0
        for urn in [*urns, " 01zz9999926 ", "01XX0000000"]:
            together = cases_data.case_with_victims_by_urn(session, urn)
            assert together == _separately(session, urn), urn
            _case, links = together
            seen_victims += len(links)
            seen_delegated += sum(given for _link, given in links)
            assert all(given == (link.victim_id in delegated) for link, given in links)
            assert all(link.victim is not None and link.victim.id == link.victim_id for link, _ in links)
        assert cases_data.case_with_victims_by_urn(session, "01ZZ9999926") == (empty, [])
        assert cases_data.case_with_victims_by_urn(session, "01XX0000000") == (None, [])
        assert seen_victims > 1 and seen_delegated >= 1
