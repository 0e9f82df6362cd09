"""The checks run on each update an agency sends through the API: the results are stored with the update
and returned to the agency as `warnings` (the update is accepted whatever they find).

What is checked (portal.services.quality.elements says why):
- readability: the Flesch reading ease (textstat) of the agency's own words (`message` and the free-text
  details such as `reason`), when there are at least READABILITY_MIN_WORDS words: at least
  READABILITY_THRESHOLD passes;
- jargon: none of the terms in portal.services.quality.jargon, unexplained, in any of the agency's words;
- for decisions (elements.DECISIONS): a reason of at least REASON_MIN_WORDS words with no jargon in it; the
  detail the right to review depends on; the meeting offered where the victim has enhanced rights; words
  saying what happens next in the agency's message; a named contact (in the details, or the agency's
  named contact on the case);
- for hearings that moved or were adjourned: a reason.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from notifications.rows import Write
from portal.data import quality as quality_data
from portal.models import CaseUpdate, UpdateQualityCheck
from portal.models.base import utcnow
from portal.services import vocabulary
from portal.services.quality import elements, jargon

with warnings.catch_warnings():
    # textstat 0.7.4 imports pkg_resources, which newer setuptools releases warn about on import.
    warnings.simplefilter("ignore")
    import textstat

MESSAGE = "message"


@dataclass
class Result:
    readability: float | None = None
    words: int = 0
    checks: dict[str, bool] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def fail(self, check: str, at: str, message: str) -> None:
        self.checks[check] = False
        self.warnings.append({"check": check, "field": at, "message": message})


def _free_text_keys(event_type: str) -> tuple[tuple[str, bool], ...]:
    """(detail, is a sentence) for each free-text detail of the type: strings without a format or a fixed
    set of values, and lists of them (charges, conditions: checked for jargon, not scored as prose)."""
    try:
        properties = vocabulary.get_event_type(event_type).details_schema.get("properties", {})
    except vocabulary.UnknownEventType:
        return ()
    keys = []
    for key, spec in properties.items():
        if key in elements.CONTACT_DETAILS or key.endswith("_contact") or key.endswith("_phone"):
            continue
        if spec.get("type") == "string" and "format" not in spec and "enum" not in spec:
            keys.append((key, int(spec.get("maxLength", 0)) >= 200))
        elif spec.get("type") == "array" and spec.get("items", {}).get("type") == "string":
            keys.append((key, False))
    return tuple(keys)


def agency_texts(
    event_type: str, details: dict[str, Any], message: str | None
) -> list[tuple[str, str, bool]]:
    """(field, text, is prose) for every piece of the agency's own words in an update."""
    texts: list[tuple[str, str, bool]] = []
    if message and message.strip():
        texts.append((MESSAGE, message.strip(), True))
    for key, prose in _free_text_keys(event_type):
        value = details.get(key)
        if isinstance(value, str) and value.strip():
            texts.append((f"details.{key}", value.strip(), prose))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str) and item.strip():
                    texts.append((f"details.{key}[{index}]", item.strip(), False))
    return texts


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def readability(texts: Sequence[str]) -> tuple[float | None, int]:
    """(Flesch reading ease, words) of the texts read as one passage; None under the minimum words."""
    passage = " ".join(_sentence(text) for text in texts)
    words = elements.word_count(passage)
    if words < elements.READABILITY_MIN_WORDS:
        return None, words
    return float(textstat.flesch_reading_ease(passage)), words


def run(
    event_type: str, details: dict[str, Any], message: str | None, *, enhanced: bool, named_contact: bool
) -> Result:
    """Every check for one update. `named_contact`: the case has a named contact for the agency."""
    result = Result()
    texts = agency_texts(event_type, details, message)
    score, result.words = readability([text for _, text, prose in texts if prose])
    result.readability = score
    if score is not None:
        result.checks[elements.READABILITY] = score >= elements.READABILITY_THRESHOLD
        if score < elements.READABILITY_THRESHOLD:
            result.warnings.append(
                {
                    "check": elements.READABILITY,
                    "field": ", ".join(at for at, _, prose in texts if prose),
                    "message": (
                        f"hard to read: Flesch reading ease {score:.0f}, below "
                        f"{elements.READABILITY_THRESHOLD:.0f}. Use shorter sentences and everyday words"
                    ),
                }
            )
    if texts:
        result.checks[elements.JARGON] = True
        for at, text, _ in texts:
            for found in jargon.find(text):
                result.fail(elements.JARGON, at, f'"{found.term}" is jargon: say "{found.plain}" instead')
    applicable = elements.applicable(event_type, enhanced)
    decision = elements.DECISIONS.get(event_type)
    if decision is not None:
        _decision_checks(result, decision, applicable, details, message, named_contact)
    if elements.HEARING_REASON in applicable:
        reason = details.get("reason")
        result.checks[elements.HEARING_REASON] = bool(isinstance(reason, str) and reason.strip())
        if not result.checks[elements.HEARING_REASON]:
            result.fail(
                elements.HEARING_REASON,
                "details.reason",
                "no reason given for the hearing moving: tell the victim why, in plain words",
            )
    return result


def _decision_checks(
    result: Result,
    decision: elements.Decision,
    applicable: Iterable[str],
    details: dict[str, Any],
    message: str | None,
    named_contact: bool,
) -> None:
    reason = details.get(decision.reason)
    reason_text = reason.strip() if isinstance(reason, str) else ""
    result.checks[elements.REASON] = True
    if elements.word_count(reason_text) < elements.REASON_MIN_WORDS:
        result.fail(
            elements.REASON,
            f"details.{decision.reason}",
            "no reason given for the decision: explain it in plain words",
        )
    elif jargon.find(reason_text):
        result.fail(
            elements.REASON,
            f"details.{decision.reason}",
            "the reason is in jargon: explain it in plain words",
        )
    if elements.REVIEW in applicable and decision.review_detail is not None:
        given = details.get(decision.review_detail) is not None
        result.checks[elements.REVIEW] = given
        if not given:
            result.fail(
                elements.REVIEW,
                f"details.{decision.review_detail}",
                f"give {decision.review_detail} so that the victim is told whether and how they can ask "
                "for a review, and by when",
            )
    if elements.MEETING in applicable:
        offered = details.get("meeting_offered") is True
        result.checks[elements.MEETING] = offered
        if not offered:
            result.fail(
                elements.MEETING,
                "details.meeting_offered",
                "the victim has enhanced rights: offer a meeting to explain the decision",
            )
    next_steps = bool(message and elements.says_what_happens_next(message))
    result.checks[elements.NEXT_STEPS] = next_steps
    if not next_steps:
        result.fail(elements.NEXT_STEPS, MESSAGE, "say what happens next, and what the victim can do")
    contact = named_contact or any(details.get(key) for key in elements.CONTACT_DETAILS)
    result.checks[elements.CONTACT] = contact
    if not contact:
        result.fail(
            elements.CONTACT,
            "details.officer_name",
            "no named contact: give the name of someone the victim can contact, or set the case's contact",
        )


def _named_contact(contacts: set[tuple[str, str | None]], update: CaseUpdate) -> bool:
    """Whether the case has the agency's named contact for every victim, or for the update's victim."""
    role = elements.CONTACT_ROLE_BY_AGENCY.get(update.agency)
    if role is None:
        return False
    return (role, None) in contacts or (update.victim_id is not None and (role, update.victim_id) in contacts)


def _new_check(
    update: CaseUpdate, contacts: set[tuple[str, str | None]], *, demo: bool
) -> UpdateQualityCheck:
    result = run(
        update.event_type,
        update.details or {},
        update.message,
        enhanced=bool(update.enhanced),
        named_contact=_named_contact(contacts, update),
    )
    return UpdateQualityCheck(
        update_id=update.id,
        checked_at=utcnow(),
        readability=result.readability,
        words=result.words,
        checks=result.checks,
        warnings=result.warnings,
        demo=demo,
    )


def check_updates(
    session: Session,
    updates: Sequence[CaseUpdate],
    *,
    demo: bool = False,
    just_stored: bool = False,
    writes: list[Write] | None = None,
) -> dict[str, UpdateQualityCheck]:
    """update id -> its checks: run now and stored for an update never checked (quality_data.add_checks:
    those objects are not in the session), or those stored before (an update is checked once). A few
    statements whatever the number of updates.

    `just_stored=True`: the updates were all stored in this transaction, so none has checks yet and none are
    looked for. `writes`: the new checks' rows are added to it for the caller to write (with other rows, in
    one round trip: rows.insert_tables) rather than written here."""
    found = {} if just_stored else quality_data.checks_by_update(session, [u.id for u in updates])
    contacts_by_case: dict[int, set[tuple[str, str | None]]] = {}
    new = []
    for update in updates:
        if update.id in found:
            continue
        if update.event_type not in elements.DECISIONS:  # only a decision's checks ask for a named contact
            contacts: set[tuple[str, str | None]] = set()
        elif update.case_id in contacts_by_case:
            contacts = contacts_by_case[update.case_id]
        else:
            contacts = contacts_by_case[update.case_id] = quality_data.contact_roles(session, update.case_id)
        check = _new_check(update, contacts, demo=demo)
        found[update.id] = check
        new.append(check)
    if writes is None:
        quality_data.add_checks(session, new)
    elif new:
        writes.append(quality_data.check_rows(new))
    return found
