"""What a victim may claim, and by when: compensation from the Criminal Injuries Compensation Authority,
witness expenses from the CPS, a visit to the court before the trial, restorative justice and the Unduly
Lenient Sentence scheme, each with its last day when it has one, whether that day has passed, what can
still be done then, and the official page.

Pure rules: what the victim's updates of one case say (event types, details, when they happened), the date
the crime was reported, what the case's hearings say (`CourtFacts`, from the standing's hearing rule) and
today's London date. Nothing here reads the database or a Flask app object.

The dates
---------
* **Compensation (CICA)**: the application must reach CICA within 2 years of the date of the crime. The
  last day is that date 2 years on (the corresponding date; a crime on 29 February gives 28 February, the
  earlier of the two readings). The case does not record when the crime happened, only when it was
  reported (`reported_on`): the date is counted from that, and the victim is told so, and that the 2 years
  really run from the crime. The exceptions (a victim under 18 at the time; one who could not apply
  earlier) are always stated, and are what can still be done once the date has passed.
* **Witness expenses**: offered once the victim is told they are needed as a witness (witness-required).
  Claimed from the CPS within 1 month of going to court: our reading of the CPS's claim process (its
  guidance sets no limit in law), so the wording asks the victim to claim "within 1 month" and, once it
  has passed, to ask Witness Care. The month runs from the day of the hearing the victim was needed at,
  once that day has come.
* **Pre-trial court visit**: while a hearing is still to come. No deadline: before the hearing.
* **Restorative justice**: at any stage, no deadline.
* **Unduly Lenient Sentence scheme**: 28 calendar days from the sentence (the vocabulary's
  UNDULY_LENIENT_SENTENCE and its clock start: the sentence update's `sentence_date`, else the London date
  it happened). The last day is the sentence date plus 28 days (the same weekday 4 weeks later); a hard
  limit: once passed, nothing can be done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l

from portal.services import vocabulary
from portal.services.vocabulary import deadlines

CICA, WITNESS_EXPENSES, COURT_VISIT, RESTORATIVE_JUSTICE, UNDULY_LENIENT = (
    "cica",
    "witness-expenses",
    "court-visit",
    "restorative-justice",
    "unduly-lenient-sentence",
)

CICA_URL = "https://www.gov.uk/claim-compensation-criminal-injury"
WITNESS_EXPENSES_URL = "https://www.cps.gov.uk/witnesses/expenses"
WITNESS_SERVICE_URL = "https://www.citizensadvice.org.uk/about-us/our-work/witness-service/"
RESTORATIVE_JUSTICE_URL = "https://restorativejustice.org.uk/"
UNDULY_LENIENT_URL = "https://www.gov.uk/report-sentence-unduly-lenient"

#: The CICA's limit: 2 years (24 calendar months) from the date of the crime.
CICA_MONTHS = 24
#: Witness expenses: claimed within 1 month of going to court (our reading of the CPS's process).
WITNESS_EXPENSES_MONTHS = 1


class UpdateLike(Protocol):
    """What is read of each update (`portal.services.cases.standing.UpdateFact` has it)."""

    @property
    def event_type(self) -> str: ...
    @property
    def details(self) -> Mapping[str, Any]: ...
    @property
    def occurred_at(self) -> datetime: ...


@dataclass(frozen=True)
class CourtFacts:
    """What the case's hearings say, by the standing's one hearing rule.

    `witness_required`: the victim has been told they are needed as a witness. `witness_hearing`: when the
    latest hearing they were needed at is or was (None when no date is known, or it was called off before
    it happened). `next_hearing`: when the next hearing still to come starts, if one is arranged."""

    witness_required: bool = False
    witness_hearing: datetime | None = None
    next_hearing: datetime | None = None


@dataclass(frozen=True)
class Entitlement:
    """Something the victim may claim or ask for. `until`: its last day, when it has one and it is known;
    `has_clock`: it has a time limit (a missing `until` then means the date is not known yet); `passed`:
    `until` is before today; `after`: what can still be done once it has passed; `note`: how the date was
    worked out, when the victim needs to know; `before`: for a visit to the court, the hearing it comes
    before."""

    key: str
    name: str
    text: str
    link_url: str
    link_text: str
    until: date | None = None
    has_clock: bool = False
    passed: bool = False
    note: str | None = None
    after: str | None = None
    before: datetime | None = None


def _cica(reported_on: date | None, today: date) -> Entitlement:
    until = deadlines.add_months(reported_on, CICA_MONTHS) if reported_on is not None else None
    passed = until is not None and until < today
    exceptions = _l(
        "If you were under 18 when it happened, you usually have until your 20th birthday, and a parent or "
        "guardian can apply for you before then. CICA can also accept a later application if you could not "
        "apply earlier, for example because of your physical or mental health."
    )
    note = (
        _l(
            "The 2 years run from the date of the crime. We only know when it was reported, so this date "
            "counts from then: if the crime happened earlier, your last day is earlier too."
        )
        if until is not None
        else None
    )
    return Entitlement(
        key=CICA,
        name=str(_l("Compensation for a criminal injury")),
        text=str(
            _l(
                "If you were physically or mentally injured by a violent crime, you may be able to get "
                "compensation from the Criminal Injuries Compensation Authority (CICA). In most cases you "
                "must apply within 2 years of the date of the crime. %(exceptions)s",
                exceptions=exceptions,
            )
        ),
        link_url=CICA_URL,
        link_text=str(_l("Claim compensation for a criminal injury on GOV.UK")),
        until=until,
        has_clock=True,
        passed=passed,
        note=str(note) if note is not None else None,
        after=str(
            _l(
                "The usual 2 years have passed, but you may still be able to apply. %(exceptions)s",
                exceptions=exceptions,
            )
        ),
    )


def _witness_expenses(court: CourtFacts, today: date) -> Entitlement:
    went_on = deadlines.london_date(court.witness_hearing) if court.witness_hearing is not None else None
    until = (
        deadlines.add_months(went_on, WITNESS_EXPENSES_MONTHS)
        if went_on is not None and went_on <= today
        else None
    )
    return Entitlement(
        key=WITNESS_EXPENSES,
        name=str(_l("Expenses for going to court as a witness")),
        text=str(
            _l(
                "You can claim back from the Crown Prosecution Service (CPS) reasonable travel costs, meals, "
                "lost earnings and childcare for going to court as a witness. Claim within 1 month of the "
                "day you go to court."
            )
        ),
        link_url=WITNESS_EXPENSES_URL,
        link_text=str(_l("Claim witness expenses from the CPS")),
        until=until,
        has_clock=True,
        passed=until is not None and until < today,
        after=str(_l("If you have not claimed yet, ask Witness Care whether you can still claim.")),
    )


def _court_visit(court: CourtFacts) -> Entitlement:
    return Entitlement(
        key=COURT_VISIT,
        name=str(_l("A visit to the court before the hearing")),
        text=str(
            _l(
                "The Witness Service, run by Citizens Advice, can show you round the court before the "
                "hearing, so that you know what to expect on the day. Ask Witness Care to arrange it, or "
                "contact the Witness Service yourself."
            )
        ),
        link_url=WITNESS_SERVICE_URL,
        link_text=str(_l("Find out about the Citizens Advice Witness Service")),
        before=court.next_hearing,
    )


def _restorative_justice() -> Entitlement:
    return Entitlement(
        key=RESTORATIVE_JUSTICE,
        name=str(_l("Restorative justice")),
        text=str(
            _l(
                "Restorative justice lets you communicate with the person who harmed you, if you both agree, "
                "with a trained facilitator, so you can tell them how the crime affected you. You can ask "
                "about it at any stage: ask the police or, once someone is sentenced, the Probation Service. "
                "Taking part is your choice, and you can stop at any time."
            )
        ),
        link_url=RESTORATIVE_JUSTICE_URL,
        link_text=str(_l("Find out about restorative justice from the Restorative Justice Council")),
    )


def sentence_deadline(sentence: UpdateLike) -> date:
    """The last day to ask under the Unduly Lenient Sentence scheme after this sentence update: the
    scheme's clock start (its `sentence_date`, else the London date it happened) plus its 28 calendar
    days, as the vocabulary counts them."""
    right = vocabulary.UNDULY_LENIENT_SENTENCE
    start = vocabulary.right_clock_start(right, sentence.details, None)
    if start is None:
        start = deadlines.london_date(sentence.occurred_at)
    assert right.calendar_days is not None
    return start + timedelta(days=right.calendar_days)


def _unduly_lenient(sentence: UpdateLike, today: date) -> Entitlement:
    right = vocabulary.UNDULY_LENIENT_SENTENCE
    until = sentence_deadline(sentence)
    return Entitlement(
        key=UNDULY_LENIENT,
        name=str(right.name),
        text=str(right.description),
        link_url=UNDULY_LENIENT_URL,
        link_text=str(_l("Ask for a sentence to be reviewed on GOV.UK")),
        until=until,
        has_clock=True,
        passed=until < today,
        after=str(_l("The 28 days have passed. This limit is set by law and cannot be extended.")),
    )


def entitlements(
    updates: Iterable[UpdateLike], *, reported_on: date | None, court: CourtFacts, today: date
) -> tuple[Entitlement, ...]:
    """What the victim may claim now, from their updates of one case (in any order), the date the crime
    was reported, what its hearings say and today's London date: those with a last day still to come
    first (the nearest first), then those with no date yet or none at all, then those whose last day has
    passed (shown, never hidden, with what can still be done)."""
    found = [_cica(reported_on, today), _restorative_justice()]
    if court.witness_required:
        found.append(_witness_expenses(court, today))
    if court.next_hearing is not None:
        found.append(_court_visit(court))
    sentences = [update for update in updates if update.event_type == "sentence"]
    if sentences:
        latest = max(sentences, key=lambda update: (sentence_deadline(update), update.occurred_at))
        found.append(_unduly_lenient(latest, today))
    order = {key: index for index, key in enumerate((UNDULY_LENIENT, WITNESS_EXPENSES, CICA, COURT_VISIT))}
    return tuple(
        sorted(
            found,
            key=lambda item: (
                item.passed,
                item.until is None,
                item.until or date.max,
                order.get(item.key, len(order)),
            ),
        )
    )


def next_deadline(items: Iterable[Entitlement], today: date, within_days: int = 28) -> Entitlement | None:
    """The entitlement whose last day comes next, if it is today or within `within_days` days."""
    due = [
        item
        for item in items
        if item.until is not None and today <= item.until <= today + timedelta(days=within_days)
    ]
    return min(due, key=lambda item: item.until or date.max, default=None)
