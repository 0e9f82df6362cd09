"""Victims say whether an update was clear: "Was this update clear? Yes / No", and on No, optionally,
what was unclear. One answer per victim and update, which they can change. Only the victim is asked
(never a support worker, whose view of the timeline is discreet), and what they write is shown to
officers only without their name (portal.services.quality.report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.data import quality as quality_data
from portal.models import CaseUpdate, UpdateRating
from portal.models.quality import UNCLEAR_MAX
from portal.services import vocabulary
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound

__all__ = ["UNCLEAR_MAX", "Answer", "UpdateToRate", "answers_for_timeline", "rate", "update_to_rate"]


@dataclass(frozen=True)
class Answer:
    clear: bool
    unclear: str | None


@dataclass(frozen=True)
class UpdateToRate:
    urn: str
    update_id: str
    title: str
    answer: Answer | None


def _answer(rating: UpdateRating | None) -> Answer | None:
    return None if rating is None else Answer(rating.clear, rating.unclear)


def answers_for_timeline(session: Session, actor: Actor, update_ids: list[str]) -> dict[str, Answer]:
    """update id -> the signed-in victim's answer, for the updates on a page of their timeline."""
    victim_id = access.own_victim_id(actor)
    rows = quality_data.ratings_of_victim(session, victim_id, update_ids)
    return {update_id: Answer(row.clear, row.unclear) for update_id, row in rows.items()}


def _update(session: Session, actor: Actor, urn: str, update_id: str) -> tuple[str, CaseUpdate]:
    victim_id = access.own_victim_id(actor)
    case = access.case_for_actor(session, actor, urn)
    update = quality_data.update_on_timeline(session, case.id, victim_id, update_id.lower())
    if update is None:
        raise NotFound
    return victim_id, update


def update_to_rate(session: Session, actor: Actor, urn: str, update_id: str) -> UpdateToRate:
    """An update on the signed-in victim's own timeline, with their answer so far; NotFound otherwise."""
    victim_id, update = _update(session, actor, urn, update_id)
    try:
        title = str(vocabulary.get_event_type(update.event_type).title)
    except vocabulary.UnknownEventType:
        title = update.event_type
    return UpdateToRate(
        urn=update.case.urn,
        update_id=update.id,
        title=title,
        answer=_answer(quality_data.get_rating(session, update.id, victim_id)),
    )


def rate(
    session: Session, actor: Actor, urn: str, update_id: str, *, clear: bool, unclear: str | None
) -> None:
    """Record (or change) the victim's answer. What was unclear is kept only with No, trimmed."""
    victim_id, update = _update(session, actor, urn, update_id)
    text = (unclear or "").strip()[:UNCLEAR_MAX] if not clear else ""
    rating = quality_data.get_rating(session, update.id, victim_id)
    if rating is None:
        try:
            with session.begin_nested():
                quality_data.add_rating(
                    session,
                    UpdateRating(update_id=update.id, victim_id=victim_id, clear=clear, unclear=text or None),
                )
            return
        except IntegrityError:  # the same answer sent twice at once: the other one is there now
            rating = quality_data.get_rating(session, update.id, victim_id)
            assert rating is not None
    rating.clear = clear
    rating.unclear = text or None
    rating.rated_at = datetime.now(UTC)
    rating.demo = False
    session.flush()
