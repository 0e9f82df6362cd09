"""Each kind of request: who answers it, the targets for acknowledging and answering it, and the words a
victim reads for its statuses.

The targets are our best reading of each agency's published scheme and are marked unconfirmed: every one can
be changed without a code change through the REQUEST_TARGETS setting, e.g.
REQUEST_TARGETS="complaint:police=5/20,review:cps=5/30,statement:cps=5/-" (working days to acknowledge and
to answer; "-" for no target). The portal refuses to start when the setting cannot be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.models.victim_requests import (
    ACKNOWLEDGED,
    ANSWERED,
    COMPLAINT,
    IN_PROGRESS,
    RECEIVED,
    REVIEW,
    SERVICE,
    STATEMENT,
    WITHDRAWN,
)


@dataclass(frozen=True)
class Targets:
    """Working days to acknowledge and to answer, counted from the London date the request was made."""

    acknowledge_days: int | None
    answer_days: int | None
    unconfirmed: bool = True


#: (kind, agency) -> targets. An agency missing here has no published target for that kind.
DEFAULT_TARGETS: dict[tuple[str, str], Targets] = {
    # Victims' Right to Review: police (NPCC guidance) and CPS schemes.
    (REVIEW, "police"): Targets(5, 30),
    (REVIEW, "cps"): Targets(5, 30),
    # A statement is acknowledged when it is added to the case papers; it has no answer of its own.
    (STATEMENT, "cps"): Targets(5, None),
    (STATEMENT, "witness_care"): Targets(5, None),
    (STATEMENT, "police"): Targets(5, None),
    (STATEMENT, "probation"): Targets(5, None),
    # Complaints: each agency's feedback and complaints policy. The Victims' Code (Right 12) sets the
    # outer limit for every agency: a full response or an acknowledgement within 10 working days.
    # Probation: the standard complaints procedure (Probation Instruction 51/2014) says the complainant is
    # told within 5 working days and gets the outcome within 25 working days of that acknowledgement, so at
    # most 30 working days from receipt. The others are our reading of the agencies' policies.
    (COMPLAINT, "police"): Targets(5, 20),
    (COMPLAINT, "cps"): Targets(3, 20),
    (COMPLAINT, "witness_care"): Targets(3, 20),
    (COMPLAINT, "probation"): Targets(5, 30),
    (COMPLAINT, SERVICE): Targets(2, 10),
}

PREFIXES: dict[str, str] = {REVIEW: "REV", STATEMENT: "VPS", COMPLAINT: "CMP"}

KIND_NAMES: dict[str, LazyString] = {
    REVIEW: _l("Request for a review of a decision"),
    STATEMENT: _l("Victim Personal Statement"),
    COMPLAINT: _l("Complaint"),
}

#: What the victim reads for each status, by kind where the words differ.
STATUS_LABELS: dict[str, LazyString] = {
    RECEIVED: _l("Received"),
    ACKNOWLEDGED: _l("Acknowledged"),
    IN_PROGRESS: _l("Being considered"),
    ANSWERED: _l("Answered"),
    WITHDRAWN: _l("Withdrawn"),
}
KIND_STATUS_LABELS: dict[tuple[str, str], LazyString] = {
    (REVIEW, IN_PROGRESS): _l("Being reviewed"),
    (REVIEW, ANSWERED): _l("Decision made"),
    (STATEMENT, ACKNOWLEDGED): _l("Added to the case papers"),
    (STATEMENT, ANSWERED): _l("Used"),
    (COMPLAINT, IN_PROGRESS): _l("Being investigated"),
    (COMPLAINT, ANSWERED): _l("Final response sent"),
}


def status_label(kind: str, status: str) -> LazyString:
    return KIND_STATUS_LABELS.get((kind, status), STATUS_LABELS[status])


_TARGET_ITEM = re.compile(r"^(?P<kind>[a-z]+):(?P<agency>[a-z_]+)=(?P<ack>\d{1,3}|-)/(?P<answer>\d{1,3}|-)$")
#: Who may be asked for each kind (complaints may be about the portal itself).
_AGENCIES = ("police", "cps", "witness_care", "probation")


def parse_targets(text: str) -> dict[tuple[str, str], Targets]:
    """Read REQUEST_TARGETS ("kind:agency=acknowledge/answer,..."); ValueError naming the faulty item."""
    targets: dict[tuple[str, str], Targets] = {}
    for raw in text.split(","):
        item = raw.strip().replace(" ", "")
        if not item:
            continue
        match = _TARGET_ITEM.match(item)
        if match is None:
            raise ValueError(
                f"Cannot read the request target {raw.strip()!r}: write it as 'kind:agency=acknowledge/answer' "
                "in working days, '-' for none, for example 'complaint:police=5/20'."
            )
        kind, agency = match["kind"], match["agency"]
        agencies = (*_AGENCIES, SERVICE) if kind == COMPLAINT else _AGENCIES
        if kind not in PREFIXES or agency not in agencies:
            raise ValueError(f"There is no request target for {kind}:{agency}.")
        if (kind, agency) in targets:
            raise ValueError(f"The request target for {kind}:{agency} is given more than once.")
        acknowledge = None if match["ack"] == "-" else int(match["ack"])
        answer = None if match["answer"] == "-" else int(match["answer"])
        if acknowledge == 0 or answer == 0 or (acknowledge and answer and answer < acknowledge):
            raise ValueError(
                f"The request target for {kind}:{agency} must give at least 1 working day, and no less to answer "
                "than to acknowledge."
            )
        targets[(kind, agency)] = Targets(acknowledge, answer, unconfirmed=False)
    return targets


@lru_cache(maxsize=8)
def _configured(text: str) -> dict[tuple[str, str], Targets]:
    """REQUEST_TARGETS read once per process (per text: tests change the setting)."""
    return parse_targets(text)


def targets_for(kind: str, agency: str) -> Targets:
    """The targets for this kind and agency: REQUEST_TARGETS first, then the defaults."""
    configured = _configured(str(current_app.config.get("REQUEST_TARGETS") or ""))
    return configured.get((kind, agency)) or DEFAULT_TARGETS.get((kind, agency), Targets(None, None))
