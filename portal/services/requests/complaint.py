"""Complaints (Victims' Code, Right 12): who a complaint can be about, what the victim says, and what they
can do when the final response does not settle it.

A complaint is about an agency on one of the victim's cases (the police, the CPS, the witness care unit, the
Probation Service) or about this portal itself ("service"); only a complaint about the portal may be made
without a case. The agencies that have sent the victim updates on the case are suggested first: they are
the ones the victim has dealt with. The targets for acknowledging and answering are each agency's
(services/requests/kinds.py); the request itself is made by `lifecycle.submit`.

The answers stored (`VictimRequest.answers`) are {"what_happened": str, "what_you_want": str,
"happened_on": "YYYY-MM-DD" or None}.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy.orm import Session

from portal.data import updates as updates_data
from portal.data import victim_requests as requests_data
from portal.models import Case
from portal.models.victim_requests import COMPLAINT, SERVICE, VictimRequest
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.requests import lifecycle
from portal.services.vocabulary.deadlines import london_date

POLICE = "police"
CPS = "cps"
WITNESS_CARE = "witness_care"
PROBATION = "probation"
#: The agencies a complaint can be about, in the order they are offered when none is suggested.
AGENCIES: tuple[str, ...] = (POLICE, CPS, WITNESS_CARE, PROBATION)

WHAT_HAPPENED_MAX = 5000
WHAT_YOU_WANT_MAX = 2000

#: How the question "Who is your complaint about?" names each choice (and the check answers page).
SUBJECT_LABELS: dict[str, LazyString] = {
    POLICE: _l("The police"),
    CPS: _l("The Crown Prosecution Service (CPS)"),
    WITNESS_CARE: _l("The witness care unit"),
    PROBATION: _l("The Probation Service"),
    SERVICE: _l("This website (the victims' portal)"),
}

PHSO_URL = "https://www.ombudsman.org.uk/"
IOPC_URL = "https://www.policeconduct.gov.uk/"


class InvalidComplaint(ValueError):
    """Answers that cannot be sent: `errors` maps each field to the message the victim reads."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Subject:
    """One answer to "Who is your complaint about?"."""

    agency: str
    label: str
    #: The agency has sent the victim updates on this case.
    suggested: bool


# --- Who a complaint can be about -----------------------------------------------------------------------


def suggested_agencies(session: Session, victim_id: str, case: Case) -> list[str]:
    """The agencies that have sent this victim updates on the case (what their timeline shows), in the
    usual order of agencies."""
    counts = updates_data.update_counts_by_agency(session, case.id, victim_id)
    return [agency for agency in AGENCIES if counts.get(agency)]


def subjects(session: Session, actor: Actor, case: Case | None) -> list[Subject]:
    """What a complaint can be about: on a case, the agencies that sent updates on it first, then the other
    agencies, then this portal; without a case, only this portal."""
    if case is None:
        return [Subject(SERVICE, str(SUBJECT_LABELS[SERVICE]), False)]
    suggested = suggested_agencies(session, access.own_victim_id(actor), case)
    ordered = suggested + [agency for agency in AGENCIES if agency not in suggested]
    return [Subject(agency, str(SUBJECT_LABELS[agency]), agency in suggested) for agency in ordered] + [
        Subject(SERVICE, str(SUBJECT_LABELS[SERVICE]), False)
    ]


def subject_label(agency: str) -> str:
    return str(SUBJECT_LABELS[agency])


# --- What the victim says -------------------------------------------------------------------------------


def answer_labels() -> dict[str, LazyString]:
    """Each stored answer's key and how pages name it, in the order they are asked ("happened_on" is an
    ISO date, or None when the victim did not give one)."""
    return {
        "what_happened": _l("What happened"),
        "happened_on": _l("When it happened"),
        "what_you_want": _l("What you would like to happen"),
    }


def answer_values(answers: dict[str, Any]) -> dict[str, Any]:
    """Each answer in words for the reader (keyed as `answer_labels`): what the victim wrote as they wrote
    it, and the day it happened as a date in the reader's language ("14 March 2027", "14 Mawrth 2027");
    what they did not give left out."""
    shown: dict[str, Any] = {
        key: answers[key] for key in ("what_happened", "what_you_want") if answers.get(key) not in (None, "")
    }
    happened_on = answers.get("happened_on")
    if happened_on:
        try:
            shown["happened_on"] = format_date(date.fromisoformat(str(happened_on)), "d MMMM y")
        except ValueError:
            shown["happened_on"] = str(happened_on)
    return shown


def check_what_happened(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidComplaint({"what_happened": _("Enter what happened")})
    if len(text) > WHAT_HAPPENED_MAX:
        raise InvalidComplaint(
            {"what_happened": _("What happened must be %(max)d characters or fewer", max=WHAT_HAPPENED_MAX)}
        )
    return text


def check_what_you_want(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidComplaint({"what_you_want": _("Enter what you would like to happen")})
    if len(text) > WHAT_YOU_WANT_MAX:
        raise InvalidComplaint(
            {
                "what_you_want": _(
                    "What you would like to happen must be %(max)d characters or fewer",
                    max=WHAT_YOU_WANT_MAX,
                )
            }
        )
    return text


_MISSING_PART: dict[tuple[str, ...], LazyString] = {
    ("day",): _l("The date it happened must include a day"),
    ("month",): _l("The date it happened must include a month"),
    ("year",): _l("The date it happened must include a year"),
    ("day", "month"): _l("The date it happened must include a day and month"),
    ("day", "year"): _l("The date it happened must include a day and year"),
    ("month", "year"): _l("The date it happened must include a month and year"),
}


def parse_happened_on(day: str | None, month: str | None, year: str | None, *, today: date) -> date | None:
    """The optional date from a GOV.UK date input: None when left empty; InvalidComplaint (field
    "happened_on") when only part of it is given, it is not a real date, or it is in the future."""
    parts = {"day": (day or "").strip(), "month": (month or "").strip(), "year": (year or "").strip()}
    missing = [name for name, value in parts.items() if not value]
    if len(missing) == 3:
        return None
    if missing:
        raise InvalidComplaint({"happened_on": str(_MISSING_PART[tuple(missing)])})
    if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
        raise InvalidComplaint({"happened_on": _("The date it happened must be a real date")})
    try:
        happened = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise InvalidComplaint({"happened_on": _("The date it happened must be a real date")}) from None
    if happened > today:
        raise InvalidComplaint({"happened_on": _("The date it happened must be today or in the past")})
    return happened


def check_answers(answers: dict[str, Any], *, today: date) -> dict[str, Any]:
    """The answers as they are stored, checked again as a whole (the pages check each one as it is given)."""
    happened_on = answers.get("happened_on")
    if happened_on:
        try:
            when = date.fromisoformat(str(happened_on))
        except ValueError:
            raise InvalidComplaint({"happened_on": _("The date it happened must be a real date")}) from None
        if when > today:
            raise InvalidComplaint({"happened_on": _("The date it happened must be today or in the past")})
    return {
        "what_happened": check_what_happened(answers.get("what_happened")),
        "happened_on": str(happened_on) if happened_on else None,
        "what_you_want": check_what_you_want(answers.get("what_you_want")),
    }


# --- Sending it ------------------------------------------------------------------------------------------


def submit(
    session: Session,
    actor: Actor,
    *,
    case: Case | None,
    agency: str,
    answers: dict[str, Any],
    submitted_by_user_id: int | None,
    now: datetime,
) -> VictimRequest:
    """Record the victim's complaint about `agency` (on `case`, which must be theirs; None only for a
    complaint about this portal), with the agency's targets."""
    victim_id = access.own_victim_id(actor)
    allowed = {subject.agency for subject in subjects(session, actor, case)}
    if agency not in allowed:
        raise InvalidComplaint({"agency": _("Select who your complaint is about")})
    return lifecycle.submit(
        session,
        kind=COMPLAINT,
        victim_id=victim_id,
        agency=agency,
        answers=check_answers(answers, today=london_date(now)),
        submitted_by_user_id=submitted_by_user_id,
        case_id=None if case is None else case.id,
        now=now,
    )


def sent_complaint(session: Session, actor: Actor, request_id: str) -> VictimRequest | None:
    """One of the victim's own complaints by id (for its confirmation page), or None."""
    found = requests_data.get_request(session, request_id)
    if found is None or found.kind != COMPLAINT or found.victim_id != access.own_victim_id(actor):
        return None
    return found


# --- After the final response ----------------------------------------------------------------------------


def _ombudsman() -> list[str]:
    # (unconfirmed) Our reading of the Parliamentary Commissioner Act 1967 and the PHSO's own guidance:
    # the Parliamentary Ombudsman looks at complaints about government departments and public bodies only
    # when an MP refers them ("the MP filter"), normally within 12 months of the day the person first knew
    # they had reason to complain; it expects the organisation's own complaints process to be finished.
    return [
        _(
            "If you are still unhappy after the final response, you can ask your MP to refer your "
            "complaint to the Parliamentary and Health Service Ombudsman (PHSO). The PHSO is independent "
            "and free to use."
        ),
        _(
            "You should usually contact your MP within 12 months of when you first knew about the problem "
            "you are complaining about."
        ),
        _("Find out more about the PHSO at %(url)s", url=PHSO_URL),
    ]


def _police_review() -> list[str]:
    # (unconfirmed) Our reading of the Police Reform Act 2002 (Schedule 3) and the IOPC's guidance on
    # reviews: a complaint made on or after 1 February 2020 and handled under Schedule 3 has a right of
    # review by the "relevant review body" (the IOPC or the local police and crime commissioner, named in
    # the outcome letter); the application must reach it within 28 days of the day after the date of that
    # letter. The PHSO cannot look at complaints about police forces.
    return [
        _(
            "If the police answered your complaint and you are unhappy with the outcome or with how it was "
            "handled, you may be able to ask for a review. The final response should tell you who reviews "
            "it: the Independent Office for Police Conduct (IOPC) or your local police and crime "
            "commissioner."
        ),
        _(
            "Your request for a review must reach them within 28 days, counted from the day after the "
            "date on the final response."
        ),
        _("Find out more about reviews at %(url)s", url=IOPC_URL),
    ]


def after_final_response(agency: str) -> list[str]:
    """What the victim can do if they are still unhappy after the agency's final response: paragraphs
    for the victim, in their language (each may end with the address of the body's website)."""
    if agency == POLICE:
        return _police_review()
    if agency == WITNESS_CARE:
        # (unconfirmed) A witness care unit is run by the police with the CPS: which route applies depends
        # on who answered the complaint, which the final response says.
        return [
            _(
                "Witness care units are run by the police with the CPS. The final response should tell "
                "you who can look at your complaint next."
            ),
            *_police_review(),
            *_ombudsman(),
        ]
    # The CPS, the Probation Service (victims on the Victim Contact Scheme go to the PHSO, not the Prisons
    # and Probation Ombudsman) and this portal.
    return _ombudsman()
