"""Where the suspect or offender is: the statuses with their labels and hints, what the person is called
at each stage, whose conditions protect the victim, any restraining order, and the step each update
takes (`_CUSTODY_STEPS`), read in the order things happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.services.cases.standing.hearings import _acquitted
from portal.services.cases.standing.update_facts import UpdateFact, _date, _text, _texts

NOT_CHARGED = "not-charged"
ON_BAIL = "on-bail"
REMANDED = "remanded"
WANTED = "wanted"
SERVING = "serving"
ON_LICENCE = "on-licence"
UNLAWFULLY_AT_LARGE = "unlawfully-at-large"
TEMPORARY_RELEASE = "temporary-release"
HOME_DETENTION_CURFEW = "home-detention-curfew"
NOT_PROSECUTED = "not-prosecuted"
CASE_CLOSED = "case-closed"
UNKNOWN = "unknown"

STATUS_LABELS: dict[str, LazyString] = {
    NOT_CHARGED: _l("Not charged"),
    ON_BAIL: _l("On bail"),
    REMANDED: _l("Remanded in custody"),
    WANTED: _l("Wanted on a court warrant"),
    SERVING: _l("Serving a sentence"),
    ON_LICENCE: _l("Released on licence"),
    UNLAWFULLY_AT_LARGE: _l("Unlawfully at large"),
    TEMPORARY_RELEASE: _l("On temporary release"),
    HOME_DETENTION_CURFEW: _l("On home detention curfew"),
    NOT_PROSECUTED: _l("Not being prosecuted"),
    CASE_CLOSED: _l("Case closed"),
    UNKNOWN: _l("Not known"),
}
STATUS_HINTS: dict[str, LazyString] = {
    NOT_CHARGED: _l("No one has been charged yet."),
    ON_BAIL: _l("They are living outside prison until the case continues, and must keep to bail conditions."),
    REMANDED: _l("They are being kept in prison until the case continues."),
    WANTED: _l(
        "They did not come to court, so the court has issued a warrant for their arrest. If you are in "
        "danger, call 999."
    ),
    SERVING: _l("The court has sentenced them."),
    ON_LICENCE: _l(
        "They have been released from prison, and must keep to licence conditions. They can be sent back to "
        "prison if they break them."
    ),
    UNLAWFULLY_AT_LARGE: _l(
        "They have escaped, or have not gone back to custody when they had to. The police are looking for "
        "them. If you see them, or they contact you, call 999."
    ),
    TEMPORARY_RELEASE: _l("They are allowed out of prison for a short time, and must keep to conditions."),
    HOME_DETENTION_CURFEW: _l(
        "They have been released early and must stay at home at set times, wearing an electronic tag."
    ),
    NOT_PROSECUTED: _l("Unless the decision is changed after a review, there will be no prosecution."),
    CASE_CLOSED: _l("The case has ended."),
    UNKNOWN: _l("We have not been told yet."),
}
#: What the person is called at each stage: before charge, once charged, once sentenced.
SUSPECT, DEFENDANT, OFFENDER = "suspect", "defendant", "offender"
ROLE_LABELS: dict[str, LazyString] = {
    SUSPECT: _l("The suspect"),
    DEFENDANT: _l("The defendant"),
    OFFENDER: _l("The offender"),
}
#: Whose conditions protect the victim now.
BAIL, LICENCE, RESOLUTION = "bail", "licence", "resolution"


@dataclass(frozen=True)
class RestrainingOrder:
    terms: tuple[str, ...]
    until: date | None
    until_further_order: bool


@dataclass
class _Custody:
    status: str = UNKNOWN
    since: datetime | None = None
    conditions: tuple[str, ...] = ()
    kind: str | None = None
    charged: bool = False
    sentenced: bool = False
    ended_by: str | None = None
    # Licence conditions set before release, shown once the offender is out.
    licence_conditions: tuple[str, ...] = ()
    expected_release: date | None = None
    # Temporary release or home detention curfew: its first and last days, when given.
    out_from: date | None = None
    out_until: date | None = None
    curfew_hours: str | None = None
    order: RestrainingOrder | None = None

    def set(
        self, fact: UpdateFact, status: str, conditions: tuple[str, ...] = (), kind: str | None = None
    ) -> None:
        self.status, self.since = status, fact.occurred_at
        self.conditions, self.kind = conditions, kind if conditions else None
        self.out_from = self.out_until = self.curfew_hours = None

    def end(self, fact: UpdateFact, status: str, conditions: tuple[str, ...] = ()) -> None:
        self.set(fact, status, conditions, RESOLUTION)
        self.ended_by = fact.event_type

    def in_custody_after_sentence(self, fact: UpdateFact) -> None:
        self.sentenced = True
        self.set(fact, SERVING)


def _investigating(state: _Custody, fact: UpdateFact) -> None:
    if state.status == UNKNOWN and not state.charged:
        state.set(fact, NOT_CHARGED)


def _arrested(state: _Custody, fact: UpdateFact) -> None:
    if not state.charged:
        state.ended_by = None
        state.set(fact, NOT_CHARGED)


def _released_under_investigation(state: _Custody, fact: UpdateFact) -> None:
    if not state.charged:
        state.set(fact, NOT_CHARGED)


def _bailed(state: _Custody, fact: UpdateFact) -> None:
    state.ended_by = None
    state.set(fact, ON_BAIL, _texts(fact.details.get("bail_conditions")) or (), BAIL)


def _bail_changed(state: _Custody, fact: UpdateFact) -> None:
    given = _texts(fact.details.get("bail_conditions"))
    kept = state.conditions if state.status == ON_BAIL else ()
    state.set(fact, ON_BAIL, given if given is not None else kept, BAIL)


def _bail_decided(state: _Custody, fact: UpdateFact) -> None:
    decision = fact.details.get("decision")
    conditions = _texts(fact.details.get("bail_conditions"))
    if decision == "remanded-in-custody":
        state.set(fact, REMANDED)
    elif decision == "bail-granted" or conditions is not None:
        state.set(fact, ON_BAIL, conditions or (), BAIL)


def _arrested_on_warrant(state: _Custody, fact: UpdateFact) -> None:
    if fact.details.get("decision") is not None or fact.details.get("bail_conditions") is not None:
        _bail_decided(state, fact)
    else:
        state.set(fact, SERVING if state.sentenced else REMANDED)


def _charged(state: _Custody, fact: UpdateFact) -> None:
    # Charged: on bail or in custody, which the court decides (bail-decision) and Witness Care tells.
    state.charged, state.ended_by = True, None
    state.set(fact, UNKNOWN)


def _not_prosecuted(state: _Custody, fact: UpdateFact) -> None:
    state.end(fact, NOT_PROSECUTED)


def _closed(state: _Custody, fact: UpdateFact) -> None:
    state.end(fact, CASE_CLOSED, _texts(fact.details.get("conditions")) or ())


def _verdict(state: _Custody, fact: UpdateFact) -> None:
    if _acquitted(fact):
        state.end(fact, CASE_CLOSED)


def _sentenced(state: _Custody, fact: UpdateFact) -> None:
    state.ended_by = None
    state.in_custody_after_sentence(fact)


#: A review that overturns one of these decisions reopens the case (no evidence offered cannot be undone).
_REOPENABLE = frozenset(
    {
        "suspect-released-no-further-action",
        "investigation-closed",
        "cps-no-charge-decision",
        "case-discontinued",
    }
)


def _reviewed(state: _Custody, fact: UpdateFact) -> None:
    if fact.details.get("outcome") == "overturned" and state.ended_by in _REOPENABLE:
        state.ended_by = None
        state.set(fact, UNKNOWN if state.charged else NOT_CHARGED)


def _after_sentence(state: _Custody, fact: UpdateFact) -> None:
    """News from probation means there was a sentence, even if no update said so."""
    if not state.sentenced:
        state.in_custody_after_sentence(fact)


def _licence_conditions_set(state: _Custody, fact: UpdateFact) -> None:
    _after_sentence(state, fact)
    conditions = _texts(fact.details.get("conditions"))
    if conditions is not None:
        state.licence_conditions = conditions
        if state.status in (ON_LICENCE, HOME_DETENTION_CURFEW):
            state.conditions, state.kind = conditions, LICENCE if conditions else None


def _release_date(state: _Custody, fact: UpdateFact) -> None:
    _after_sentence(state, fact)
    release = _date(fact.details.get("release_date")) or _date(fact.details.get("new_release_date"))
    if release is not None:
        state.expected_release = release


def _parole_decided(state: _Custody, fact: UpdateFact) -> None:
    _after_sentence(state, fact)
    conditions = _texts(fact.details.get("conditions"))
    if fact.details.get("outcome") == "release" and conditions is not None:
        state.licence_conditions = conditions


def _released(state: _Custody, fact: UpdateFact, status: str = ON_LICENCE) -> None:
    state.sentenced = True
    conditions = _texts(fact.details.get("conditions"))
    if conditions is None:
        conditions = state.licence_conditions
    state.set(fact, status, conditions, LICENCE)
    state.expected_release = None


def _home_detention_curfew(state: _Custody, fact: UpdateFact) -> None:
    _released(state, fact, HOME_DETENTION_CURFEW)
    state.out_from = _date(fact.details.get("release_date"))
    state.curfew_hours = _text(fact.details.get("curfew_hours"))


def _temporary_release(state: _Custody, fact: UpdateFact) -> None:
    state.sentenced = True
    state.set(fact, TEMPORARY_RELEASE, _texts(fact.details.get("conditions")) or (), LICENCE)
    state.out_from = _date(fact.details.get("starts_on"))
    state.out_until = _date(fact.details.get("ends_on"))


def _recalled(state: _Custody, fact: UpdateFact) -> None:
    state.in_custody_after_sentence(fact)


def _at_large(state: _Custody, fact: UpdateFact) -> None:
    state.set(fact, UNLAWFULLY_AT_LARGE)


def _wanted(state: _Custody, fact: UpdateFact) -> None:
    state.set(fact, WANTED)


def _returned(state: _Custody, fact: UpdateFact) -> None:
    state.set(fact, SERVING if state.sentenced else REMANDED)


def _order_made(state: _Custody, fact: UpdateFact) -> None:
    state.order = RestrainingOrder(
        terms=_texts(fact.details.get("terms")) or (),
        until=_date(fact.details.get("order_until")),
        until_further_order=fact.details.get("until_further_order") is True,
    )


def _order_varied(state: _Custody, fact: UpdateFact) -> None:
    if fact.details.get("change") == "ended":
        state.order = None
        return
    before = state.order or RestrainingOrder((), None, False)
    terms = _texts(fact.details.get("terms"))
    until = _date(fact.details.get("order_until"))
    further = fact.details.get("until_further_order")
    state.order = RestrainingOrder(
        terms=terms if terms is not None else before.terms,
        until=until if until is not None else (None if further is True else before.until),
        until_further_order=further is True or (before.until_further_order and until is None),
    )


_CUSTODY_STEPS: dict[str, Callable[[_Custody, UpdateFact], None]] = {
    "crime-recorded": _investigating,
    "support-referral-made": _investigating,
    "investigation-update": _investigating,
    "suspect-interviewed": _investigating,
    "suspect-arrested": _arrested,
    "suspect-released-under-investigation": _released_under_investigation,
    "suspect-bailed": _bailed,
    "bail-conditions-changed": _bail_changed,
    "suspect-released-no-further-action": _not_prosecuted,
    "cps-no-charge-decision": _not_prosecuted,
    "case-discontinued": _not_prosecuted,
    "no-evidence-offered": _not_prosecuted,
    "investigation-closed": _closed,
    "out-of-court-resolution": _closed,
    "vrr-outcome": _reviewed,
    "suspect-charged": _charged,
    "bail-decision": _bail_decided,
    "arrest-warrant-issued": _wanted,
    "offender-arrested-on-warrant": _arrested_on_warrant,
    "verdict": _verdict,
    "sentence": _sentenced,
    "vcs-referral": _after_sentence,
    "vlo-contact": _after_sentence,
    "parole-review-started": _after_sentence,
    "parole-summary-available": _after_sentence,
    "offender-transferred": _after_sentence,
    "licence-conditions-set": _licence_conditions_set,
    "release-date-set": _release_date,
    "release-date-changed": _release_date,
    "parole-decision": _parole_decided,
    "offender-released": _released,
    "home-detention-curfew": _home_detention_curfew,
    "temporary-release": _temporary_release,
    "offender-recalled": _recalled,
    "offender-escaped": _at_large,
    "offender-absconded": _at_large,
    "offender-returned": _returned,
    "restraining-order-made": _order_made,
    "restraining-order-varied": _order_varied,
}


def _as_of(state: _Custody, today: date) -> _Custody:
    """Temporary release and home detention curfew have dates: before the first day the offender is
    still in prison (due out on it, for a curfew), after a temporary release's last day back in prison."""
    if state.status not in (TEMPORARY_RELEASE, HOME_DETENTION_CURFEW):
        return state
    if state.out_from is not None and state.out_from > today:
        due = state.out_from if state.status == HOME_DETENTION_CURFEW else state.expected_release
        return replace(state, status=SERVING, since=None, conditions=(), kind=None, expected_release=due)
    if state.out_until is not None and state.out_until < today:
        return replace(state, status=SERVING, since=None, conditions=(), kind=None)
    return state


def _role(state: _Custody) -> str:
    if state.sentenced:
        return OFFENDER
    return DEFENDANT if state.charged else SUSPECT
