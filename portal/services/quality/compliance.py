"""Victims' Code compliance by right and agency: the figures an agency reports under the Victims and
Prisoners Act 2024, for rights 6, 7, 8, 9 and 11. Each measure counts (update or case, victim) pairs as
met or not met:

- told-on-time (every right): each update with a Code deadline whose event type serves the right, and
  each victim it is for, whose deadline has passed or who has been told: told by the end of the deadline
  day (portal.services.cases.timeliness.assess) or not. Counted for the agency that sent the update.
- vps-offered (right 7): each victim of a case on which a suspect was charged (counted for the agency
  that sent the charge): told of an update that offers a Victim Personal Statement (the charge itself, a
  crime recorded with a witness statement taken, a guilty verdict, a Parole Board review), or not.
- review-explained (right 6): each decision whose right to review applies (the CPS's decisions; the
  police's when the suspect was interviewed under caution), and each victim: told of it, with the detail
  that lets the right be explained with its time limit (the CPS letter's date; the police's interview
  flag), or not.
- vcs-referral-in-time (right 11): each victim of a case with a sentence eligible for the Victim Contact
  Scheme: a referral (vcs-referral from probation) that the agency had within 10 working days of the
  sentence, or not. Counted for probation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import quality as quality_data
from portal.data import timeliness as timeliness_data
from portal.services import vocabulary
from portal.services.cases import timeliness
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.vocabulary import deadlines

RIGHTS: tuple[int, ...] = (6, 7, 8, 9, 11)
TOLD_ON_TIME = "told-on-time"
VPS_OFFERED = "vps-offered"
REVIEW_EXPLAINED = "review-explained"
VCS_REFERRAL = "vcs-referral-in-time"
MEASURE_LABELS = {
    TOLD_ON_TIME: "Victims told within the Code's time",
    VPS_OFFERED: "Victim Personal Statement offered",
    REVIEW_EXPLAINED: "Right to review explained",
    VCS_REFERRAL: "Referred to the Victim Contact Scheme within 10 working days of sentence",
}
_VPS_OFFERS = {"suspect-charged": None, "crime-recorded": "witness_statement_taken", "verdict": "guilty"}
_VPS_ALWAYS = {"parole-review-started"}
_REVIEW_DETAIL = {
    "suspect-released-no-further-action": "suspect_interviewed_under_caution",
    "investigation-closed": "suspect_interviewed_under_caution",
    "cps-no-charge-decision": "letter_date",
    "case-discontinued": "letter_date",
    "no-evidence-offered": "letter_date",
}
_POLICE_FLAG = "suspect_interviewed_under_caution"


@dataclass(frozen=True)
class Measure:
    right: int
    agency: str
    measure: str
    met: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.met / self.total, 1) if self.total else None

    @property
    def label(self) -> str:
        return MEASURE_LABELS[self.measure]

    @property
    def agency_label(self) -> str:
        return str(vocabulary.AGENCY_LABELS[vocabulary.Agency(self.agency)])


class _Tally:
    def __init__(self) -> None:
        self.counts: dict[tuple[int, str, str], list[int]] = {}

    def add(self, right: int, agency: str, measure: str, met: bool) -> None:
        pair = self.counts.setdefault((right, agency, measure), [0, 0])
        pair[0] += int(met)
        pair[1] += 1

    def measures(self) -> list[Measure]:
        order = {m: i for i, m in enumerate(MEASURE_LABELS)}
        agencies = {a: i for i, a in enumerate(timeliness.AGENCY_ORDER)}
        return [
            Measure(right, agency, measure, met, total)
            for (right, agency, measure), (met, total) in sorted(
                self.counts.items(), key=lambda kv: (kv[0][0], agencies.get(kv[0][1], 9), order[kv[0][2]])
            )
        ]


def _rights(code: str) -> tuple[int, ...]:
    try:
        return vocabulary.get_event_type(code).rights
    except vocabulary.UnknownEventType:
        return ()


def _offers_vps(code: str, details: dict) -> bool:
    if code in _VPS_ALWAYS:
        return True
    if code not in _VPS_OFFERS:
        return False
    flag = _VPS_OFFERS[code]
    return flag is None or details.get(flag) is True


def measures_for_force(
    session: Session, force_code: str, period: timeliness.Period, now: datetime
) -> list[Measure]:
    """Every measure over the updates on the force's cases that the agency had in the period."""
    start, before = period.bounds()
    rows = timeliness_data.updates_for_force(session, force_code, start, before)
    told = timeliness_data.told_times_by_update_and_victim(
        session, timeliness_data.update_ids_for_force(force_code, start, before), deadlines.told_by_message
    )
    tally = _Tally()
    charged: dict[tuple[int, str], str] = {}  # (case, victim) -> agency that sent the charge
    vps_told: set[tuple[int, str]] = set()
    eligible_sentence: set[tuple[int, str]] = set()
    referred: set[tuple[int, str]] = set()
    for update in rows:
        details = update.details or {}
        key = (update.case_id, update.victim_id)
        told_at = told.get((update.update_id, update.victim_id))
        status, _, _ = timeliness.assess(update.received_at, update.code_deadline, told_at, now)
        if status != timeliness.PENDING:
            for right in _rights(update.event_type):
                if right in RIGHTS:
                    tally.add(right, update.agency, TOLD_ON_TIME, status == timeliness.ON_TIME)
        if update.event_type == "suspect-charged":
            charged.setdefault(key, update.agency)
        if told_at is not None and _offers_vps(update.event_type, details):
            vps_told.add(key)
        review_detail = _REVIEW_DETAIL.get(update.event_type)
        applies = review_detail is not None and (
            review_detail != _POLICE_FLAG or details.get(_POLICE_FLAG) is not False
        )
        if applies and status != timeliness.PENDING:
            explained = told_at is not None and details.get(review_detail or "") is not None
            tally.add(6, update.agency, REVIEW_EXPLAINED, explained)
        if update.event_type == "sentence" and details.get("vcs_eligible") is True:
            eligible_sentence.add(key)
        if update.event_type == "vcs-referral" and deadlines.is_on_time(
            update.code_deadline, update.received_at
        ):
            referred.add(key)
    for key, agency in charged.items():
        tally.add(7, agency, VPS_OFFERED, key in vps_told)
    for key in eligible_sentence:
        tally.add(11, "probation", VCS_REFERRAL, key in referred)
    return tally.measures()


def unit_measures(
    session: Session, actor: Actor, period: timeliness.Period, *, now: datetime | None = None
) -> list[Measure]:
    return measures_for_force(session, access.officer_force_code(actor), period, now or datetime.now(UTC))


def all_measures(
    session: Session, period: timeliness.Period, *, now: datetime | None = None
) -> list[Measure]:
    """Every force's measures added together (for /metrics)."""
    moment = now or datetime.now(UTC)
    return _sum(
        measure
        for force in quality_data.force_codes(session)
        for measure in measures_for_force(session, force, period, moment)
    )


def _sum(measures: Iterable[Measure]) -> list[Measure]:
    tally = _Tally()
    for m in measures:
        pair = tally.counts.setdefault((m.right, m.agency, m.measure), [0, 0])
        pair[0] += m.met
        pair[1] += m.total
    return tally.measures()
