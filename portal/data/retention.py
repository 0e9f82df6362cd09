"""Queries for the retention schedule and for erasure: expired records found and removed in batches,
and everything held about one victim cleared; what the download of their information needs beyond the
other modules' queries. May flush, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, exists, func, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from notifications.outbox import FINAL_STATUSES, RETRY_STATUSES, OutboundMessage
from portal.data import chunks
from portal.models import (
    AccessibleFormatTask,
    AuditEvent,
    Case,
    CaseContact,
    CaseStanding,
    CaseUpdate,
    CaseVictim,
    Communication,
    ContactPoint,
    ContactVerification,
    CourtNeedsReview,
    CourtNeedsVersion,
    Delegation,
    HearingReminder,
    Invitation,
    MessageAttachment,
    MessageThread,
    OneLoginIdentity,
    PasswordReset,
    PreferenceDraft,
    PreferenceReview,
    PreferenceVersion,
    RecordedContact,
    SecureMessage,
    SignInCode,
    StatementDocument,
    StatementDraft,
    UpdateRating,
    User,
    Victim,
    VictimRequest,
    VictimRequestEvent,
)

ANONYMISED = "anonymised"
#: What a removed offence, name or account label reads as.
REMOVED_OFFENCE = "Removed"
ANONYMISED_NAME = ("Anonymised", "person")
ANONYMISED_LABEL = "Anonymised person"
ERASED_FAILURE = "the recipient's information was erased"

# One number per kind of work: a worker holds it, for one transaction, while it removes a batch.
_LOCK_BASE = 0x5245_0000  # "RE"


def take_lock(session: Session, kind: int) -> bool:
    """On PostgreSQL, try to take this kind's advisory lock for the rest of the transaction: False when
    another worker holds it (it is doing this work now). SQLite lets one writer at a time anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _LOCK_BASE + kind}))


def _ids(session: Session, query: Select[Any]) -> list[Any]:
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def delete_batch(session: Session, model: Any, where: ColumnElement[bool], limit: int) -> int:
    """Delete up to `limit` rows of `model` matching `where`; how many went."""
    ids = _ids(session, select(model.id).where(where).order_by(model.id).limit(limit))
    if ids:
        session.execute(
            delete(model).where(model.id.in_(ids)), execution_options={"synchronize_session": False}
        )
    return len(ids)


# --- Security codes, links, refusals, the audit trail -------------------------------------------------


def expired_codes_where(before: datetime) -> tuple[tuple[Any, ColumnElement[bool]], ...]:
    return (
        (SignInCode, SignInCode.expires_at < before),
        (ContactVerification, ContactVerification.expires_at < before),
    )


def ended_tokens_where(before: datetime) -> tuple[tuple[Any, ColumnElement[bool]], ...]:
    """Links that ended before `before`, and files held for a message that was never sent (uploaded
    before it: the victim's draft of the message is long abandoned)."""
    invitation_ended = func.coalesce(Invitation.used_at, Invitation.cancelled_at, Invitation.expires_at)
    return (
        (PasswordReset, func.coalesce(PasswordReset.used_at, PasswordReset.expires_at) < before),
        (Invitation, (invitation_ended < before) | (Invitation.expires_at < before)),
        (
            MessageAttachment,
            MessageAttachment.message_id.is_(None) & (MessageAttachment.uploaded_at < before),
        ),
    )


def api_refusals_where(before: datetime) -> ColumnElement[bool]:
    return AuditEvent.repeat_key.is_not(None) & (AuditEvent.at < before)


def audit_where(before: datetime) -> ColumnElement[bool]:
    return AuditEvent.at < before


# --- The communications log: what a message said, and to whom ----------------------------------------


def scrub_messages_batch(session: Session, before: datetime, limit: int) -> int:
    """Remove the text and recipient of up to `limit` messages that reached a final status before
    `before` (their channel, status and times stay: the communications log)."""
    ids = _ids(
        session,
        select(OutboundMessage.id)
        .where(
            OutboundMessage.status.in_(FINAL_STATUSES),
            OutboundMessage.updated_at < before,
            OutboundMessage.body != "",
        )
        .order_by(OutboundMessage.id)
        .limit(limit),
    )
    if ids:
        _scrub(session, ids)
    return len(ids)


def _scrub(session: Session, message_ids: Sequence[str]) -> None:
    session.execute(
        update(OutboundMessage)
        .where(OutboundMessage.id.in_(message_ids))
        .values(recipient=None, address=None, subject=None, body=""),
        execution_options={"synchronize_session": False},
    )


# --- Closed cases -----------------------------------------------------------------------------------


def candidate_cases(session: Session, before: datetime, after_id: int, limit: int) -> list[Case]:
    """Cases not yet anonymised, after `after_id` in id order, that might have been closed since before
    `before`: `closed_at` before it, or no update received since it (the caller checks the last update)."""
    recent = exists().where(
        CaseUpdate.case_id == Case.id, CaseUpdate.received_at >= before, CaseUpdate.superseded.is_(False)
    )
    any_update = exists().where(CaseUpdate.case_id == Case.id)
    query = (
        select(Case)
        .where(
            Case.id > after_id,
            Case.status != ANONYMISED,
            (Case.closed_at < before) | (any_update & ~recent & Case.closed_at.is_(None)),
        )
        .order_by(Case.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Case)
    return list(session.scalars(query))


def last_updates(session: Session, case_ids: Sequence[int]) -> dict[int, CaseUpdate]:
    """case id -> its newest update by when it happened (corrections' originals left out): one statement
    for the whole batch. Cases without updates are left out."""
    if not case_ids:
        return {}
    ranked = (
        select(
            CaseUpdate.id.label("update_id"),
            func.row_number()
            .over(
                partition_by=CaseUpdate.case_id,
                order_by=(CaseUpdate.occurred_at.desc(), CaseUpdate.received_at.desc(), CaseUpdate.id.desc()),
            )
            .label("rank"),
        )
        .where(CaseUpdate.case_id.in_(list(case_ids)), CaseUpdate.superseded.is_(False))
        .subquery()
    )
    rows = session.scalars(
        select(CaseUpdate).join(ranked, ranked.c.update_id == CaseUpdate.id).where(ranked.c.rank == 1)
    )
    return {update.case_id: update for update in rows}


def anonymise_case(session: Session, case: Case, closed_at: datetime) -> int:
    """Clear one case's information; the updates' types and dates stay (statistics). How many updates."""
    cleared = _count(
        session.execute(
            update(CaseUpdate)
            .where(CaseUpdate.case_id == case.id)
            .values(details={}, message=None, message_cy=None),
            execution_options={"synchronize_session": False},
        )
    )
    session.execute(delete(CaseContact).where(CaseContact.case_id == case.id))
    session.execute(delete(CourtNeedsVersion).where(CourtNeedsVersion.case_id == case.id))
    session.execute(delete(CourtNeedsReview).where(CourtNeedsReview.case_id == case.id))
    session.execute(delete(StatementDraft).where(StatementDraft.case_id == case.id))
    session.execute(delete(StatementDocument).where(StatementDocument.case_id == case.id))
    session.execute(delete(HearingReminder).where(HearingReminder.case_id == case.id))
    remove_requests(session, VictimRequest.case_id == case.id)
    remove_message_threads(session, MessageThread.case_id == case.id)
    session.execute(
        update(RecordedContact).where(RecordedContact.case_id == case.id).values(note=None),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        update(CaseVictim).where(CaseVictim.case_id == case.id).values(agency_person_reference=None),
        execution_options={"synchronize_session": False},
    )
    case.offence = REMOVED_OFFENCE
    case.crn = None
    case.status = ANONYMISED
    case.closed_at = case.closed_at or closed_at
    session.flush()
    return cleared


def victims_with_no_case_left(session: Session, case_id: int) -> list[str]:
    """Victims on this case, not yet anonymised, every one of whose cases is anonymised."""
    other_live = (
        exists()
        .where(CaseVictim.victim_id == Victim.id)
        .where(CaseVictim.case_id == Case.id, Case.status != ANONYMISED)
    )
    on_case = exists().where(CaseVictim.victim_id == Victim.id, CaseVictim.case_id == case_id)
    return list(
        session.scalars(select(Victim.id).where(on_case, ~other_live, Victim.anonymised_at.is_(None)))
    )


# --- One victim: everything personal cleared (erasure, or every case of theirs expired) ---------------


def _count(result: Any) -> int:
    return int(result.rowcount or 0)


def remove_requests(session: Session, where: ColumnElement[bool]) -> int:
    """Delete victims' requests (reviews, statements, complaints) and their status histories: what the
    victim wrote and what the agency answered. How many requests went."""
    ids = list(session.scalars(select(VictimRequest.id).where(where)))
    if not ids:
        return 0
    session.execute(delete(VictimRequestEvent).where(VictimRequestEvent.request_id.in_(ids)))
    session.execute(
        update(VictimRequest).where(VictimRequest.id.in_(ids)).values(supersedes_id=None),
        execution_options={"synchronize_session": False},
    )
    return _count(
        session.execute(
            delete(VictimRequest).where(VictimRequest.id.in_(ids)),
            execution_options={"synchronize_session": False},
        )
    )


def remove_message_threads(session: Session, where: ColumnElement[bool]) -> dict[str, int]:
    """Delete secure message threads with every message in them (the victim's, the replies, the internal
    notes about them) and their attachments, files first (foreign keys): what was written, by whom and
    when. 500 threads at a time (`chunks`). How many threads, messages and files went."""
    removed = {"message threads": 0, "secure messages": 0, "message attachments": 0}
    ids = list(session.scalars(select(MessageThread.id).where(where).order_by(MessageThread.id)))
    for chunk in chunks(ids):
        in_threads = select(SecureMessage.id).where(SecureMessage.thread_id.in_(chunk))
        for name, model, chosen in (
            ("message attachments", MessageAttachment, MessageAttachment.message_id.in_(in_threads)),
            ("secure messages", SecureMessage, SecureMessage.thread_id.in_(chunk)),
            ("message threads", MessageThread, MessageThread.id.in_(chunk)),
        ):
            removed[name] += _count(
                session.execute(delete(model).where(chosen), execution_options={"synchronize_session": False})
            )
    return removed


def clear_victim(session: Session, victim_id: str, now: datetime) -> dict[str, int]:
    """Remove everything personal held about one victim; keep what says that something happened (the
    cases, the updates' types and dates, which messages went by which channel and when, the audit trail
    with their name taken out of it). Returns how many of each were removed or cleared."""
    removed: dict[str, int] = {}
    victim = session.get(Victim, victim_id)
    if victim is None:
        return removed
    user_ids = list(session.scalars(select(User.id).where(User.victim_id == victim_id)))
    for name, model, where in (
        ("contact points", ContactPoint, ContactPoint.victim_id == victim_id),
        ("contact confirmations", ContactVerification, ContactVerification.victim_id == victim_id),
        ("preference versions", PreferenceVersion, PreferenceVersion.victim_id == victim_id),
        ("preference reviews", PreferenceReview, PreferenceReview.victim_id == victim_id),
        ("preference drafts", PreferenceDraft, PreferenceDraft.victim_id == victim_id),
        ("court needs", CourtNeedsVersion, CourtNeedsVersion.victim_id == victim_id),
        ("court needs reviews", CourtNeedsReview, CourtNeedsReview.victim_id == victim_id),
        ("statement drafts", StatementDraft, StatementDraft.victim_id == victim_id),
        ("statement documents", StatementDocument, StatementDocument.victim_id == victim_id),
        ("delegations", Delegation, Delegation.victim_id == victim_id),
        ("named contacts", CaseContact, CaseContact.victim_id == victim_id),
        ("kept standings", CaseStanding, CaseStanding.victim_id == victim_id),
        ("hearing reminders", HearingReminder, HearingReminder.victim_id == victim_id),
        ("files held for a message", MessageAttachment, MessageAttachment.held_for_victim_id == victim_id),
        ("invitations", Invitation, (Invitation.victim_id == victim_id) | Invitation.user_id.in_(user_ids)),
        ("security codes", SignInCode, SignInCode.user_id.in_(user_ids)),
        ("reset links", PasswordReset, PasswordReset.user_id.in_(user_ids)),
        ("GOV.UK One Login links", OneLoginIdentity, OneLoginIdentity.user_id.in_(user_ids)),
    ):
        removed[name] = _count(session.execute(delete(model).where(where)))
    removed["requests"] = remove_requests(session, VictimRequest.victim_id == victim_id)
    removed |= remove_message_threads(session, MessageThread.victim_id == victim_id)
    removed["updates for them alone"] = _count(
        session.execute(
            update(CaseUpdate)
            .where(CaseUpdate.victim_id == victim_id)
            .values(details={}, message=None, message_cy=None),
            execution_options={"synchronize_session": False},
        )
    )
    session.execute(
        update(CaseVictim).where(CaseVictim.victim_id == victim_id).values(agency_person_reference=None),
        execution_options={"synchronize_session": False},
    )
    # What they wrote about an update, and the language they need an interpreter in, go; that they rated
    # an update, and that a task for an accessible format was done (or not), stay for the figures.
    removed["comments on updates"] = _count(
        session.execute(
            update(UpdateRating)
            .where(UpdateRating.victim_id == victim_id, UpdateRating.unclear.is_not(None))
            .values(unclear=None),
            execution_options={"synchronize_session": False},
        )
    )
    session.execute(
        update(AccessibleFormatTask).where(AccessibleFormatTask.victim_id == victim_id).values(language=None),
        execution_options={"synchronize_session": False},
    )
    # What an officer noted about telling them goes; that and when they were told stay (the figures).
    removed["notes of contacts recorded"] = _count(
        session.execute(
            update(RecordedContact)
            .where(RecordedContact.victim_id == victim_id, RecordedContact.note.is_not(None))
            .values(note=None),
            execution_options={"synchronize_session": False},
        )
    )
    message_ids = list(
        session.scalars(select(Communication.outbound_message_id).where(Communication.victim_id == victim_id))
    )
    removed["messages"] = len(set(message_ids))
    if message_ids:
        session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id.in_(message_ids), OutboundMessage.status.in_(RETRY_STATUSES))
            .values(status="failed", failure_reason=ERASED_FAILURE, next_attempt_at=None),
            execution_options={"synchronize_session": False},
        )
        _scrub(session, message_ids)
    if user_ids:
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.actor_user_id.in_(user_ids))
            .values(actor_label=ANONYMISED_LABEL),
            execution_options={"synchronize_session": False},
        )
    for user in session.scalars(select(User).where(User.id.in_(user_ids))):
        user.email = f"anonymised-{user.id}@anonymised.invalid"
        user.display_name = ANONYMISED_LABEL
        user.password_hash = None
        user.mfa_method = None
        user.totp_secret = None
        user.totp_pending_secret = None
        user.is_active = False
        user.session_generation = (user.session_generation or 0) + 1
    removed["accounts"] = len(user_ids)
    victim.given_name, victim.family_name = ANONYMISED_NAME
    victim.email = victim.phone = None
    victim.address_line_1 = victim.address_line_2 = victim.address_town = victim.postcode = None
    victim.enhanced_reason = None
    victim.anonymised_at = now
    session.flush()
    return removed


# --- The download of their information ------------------------------------------------------------------


def hearing_reminders_of(session: Session, victim_id: str) -> list[tuple[HearingReminder, str | None]]:
    """The reminders a victim was sent before hearings, the latest queued first, each with its message's
    delivery status (None if the message has gone)."""
    rows = session.execute(
        select(HearingReminder, OutboundMessage.status)
        .outerjoin(OutboundMessage, OutboundMessage.id == HearingReminder.outbound_message_id)
        .where(HearingReminder.victim_id == victim_id)
        .order_by(HearingReminder.queued_at.desc(), HearingReminder.id.desc())
    )
    return [(reminder, status) for reminder, status in rows]
