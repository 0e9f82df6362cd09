"""The audit trail: the one way to write an AuditEvent (append-only; who, what, when in UTC, request id).

Call `record(...)` from any service or blueprint. `detail` must never hold passwords, codes, tokens or
contact details: keys that name them are refused, and anything that looks like an email address or phone
number in a value is blanked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import audit as audit_data
from portal.data import audit_views as audit_views_data
from portal.models.base import utcnow
from portal.services.common import pagination
from portal.services.common.actors import Actor
from portal.services.common.redaction import redact_text

LONDON = ZoneInfo("Europe/London")

# Accounts and sign-in
SIGN_IN = "sign-in"
SIGN_IN_FAILED = "sign-in-failed"
ACCOUNT_LOCKED = "account-locked"
SECOND_FACTOR_FAILED = "second-factor-failed"
SIGNED_OUT = "signed-out"
SIGNED_OUT_EVERYWHERE = "signed-out-everywhere"
QUICK_EXIT = "quick-exit"
SESSION_TIMED_OUT = "session-timed-out"
PASSWORD_CHANGED = "password-changed"  # noqa: S105 - an action name
PASSWORD_RESET_REQUESTED = "password-reset-requested"  # noqa: S105 - an action name
PASSWORD_RESET = "password-reset"  # noqa: S105 - an action name
SECOND_FACTOR_SET_UP = "second-factor-set-up"
SECOND_FACTOR_CHANGED = "second-factor-changed"
SECOND_FACTOR_RESET = "second-factor-reset"
PASSWORD_CONFIRMED_FAILED = "password-confirm-failed"  # noqa: S105 - an action name
# GOV.UK One Login (services/accounts/one_login_accounts.py): a victim linked it to their new account; an
# officer removed it; One Login said the person's session there ended, so the portal's ended too.
ONE_LOGIN_LINKED = "one-login-linked"
ONE_LOGIN_UNLINKED = "one-login-unlinked"
ONE_LOGIN_LOGGED_OUT = "one-login-logged-out"
# Invitations and accounts
INVITATION_SENT = "invitation-sent"
INVITATION_RESENT = "invitation-resent"
INVITATION_CANCELLED = "invitation-cancelled"
ACCOUNT_CREATED = "account-created"
CASE_ADDED_TO_ACCOUNT = "case-added-to-account"
ACCOUNT_REVOKED = "account-revoked"
ORGANISATION_CREATED = "organisation-created"
ORGANISATION_CHANGED = "organisation-changed"
AUDIT_SEARCHED = "audit-searched"
# Written by other parts of the portal (the names are shared here so every writer uses the same ones)
CONTACT_DETAILS_CHANGED = "contact-details-changed"
SAFE_CONTACT_CHANGED = "safe-contact-changed"
DELEGATION_GRANTED = "delegation-granted"
DELEGATION_CHANGED = "delegation-changed"
DELEGATION_REVOKED = "delegation-revoked"
CASE_CONTACTS_CHANGED = "case-contacts-changed"
ACCESSIBLE_FORMAT_SENT = "accessible-format-sent"
VICTIM_DATA_VIEWED = "victim-data-viewed"
API_CALL = "api-call"
# Secure messages (services/secure_messages/inbox.py): an officer's reply or internal note; assigning or
# closing a thread.
MESSAGE_REPLIED = "message-replied"
MESSAGE_NOTE_ADDED = "message-note-added"
MESSAGE_THREAD_CHANGED = "message-thread-changed"
# An officer recorded telling a victim of updates by phone, in person... (services/cases/recorded_contacts.py).
CONTACT_RECORDED = "contact-recorded"

ACTIONS: tuple[str, ...] = (
    SIGN_IN,
    SIGN_IN_FAILED,
    ACCOUNT_LOCKED,
    SECOND_FACTOR_FAILED,
    SIGNED_OUT,
    SIGNED_OUT_EVERYWHERE,
    QUICK_EXIT,
    SESSION_TIMED_OUT,
    PASSWORD_CHANGED,
    PASSWORD_RESET_REQUESTED,
    PASSWORD_RESET,
    PASSWORD_CONFIRMED_FAILED,
    SECOND_FACTOR_SET_UP,
    SECOND_FACTOR_CHANGED,
    SECOND_FACTOR_RESET,
    ONE_LOGIN_LINKED,
    ONE_LOGIN_UNLINKED,
    ONE_LOGIN_LOGGED_OUT,
    INVITATION_SENT,
    INVITATION_RESENT,
    INVITATION_CANCELLED,
    ACCOUNT_CREATED,
    CASE_ADDED_TO_ACCOUNT,
    ACCOUNT_REVOKED,
    ORGANISATION_CREATED,
    ORGANISATION_CHANGED,
    AUDIT_SEARCHED,
    CONTACT_DETAILS_CHANGED,
    SAFE_CONTACT_CHANGED,
    DELEGATION_GRANTED,
    DELEGATION_CHANGED,
    DELEGATION_REVOKED,
    CASE_CONTACTS_CHANGED,
    ACCESSIBLE_FORMAT_SENT,
    VICTIM_DATA_VIEWED,
    API_CALL,
    MESSAGE_REPLIED,
    MESSAGE_NOTE_ADDED,
    MESSAGE_THREAD_CHANGED,
    CONTACT_RECORDED,
)

# What a victim sees on "Who has viewed your information": `record_view` writes the first; the staff
# case pages (services/reviews.py) write "staff.view_victim"; support workers' views "support.view_victim".
# An officer's reply to the victim's message, and their internal note on it, are shown too (their "what").
VIEW_ACTIONS: tuple[str, ...] = (
    VICTIM_DATA_VIEWED,
    "staff.view_victim",
    "support.view_victim",
    MESSAGE_REPLIED,
    MESSAGE_NOTE_ADDED,
    # Agency systems (portal/api/messages_routes.py): a message listed to them, a reply, a file downloaded.
    "api.read_message",
    "api.reply_to_message",
    "api.read_message_attachment",
)
# A staff page that lists many victims (the unit's review queue, the timeliness report) names each of them:
# audited, one event per victim listed (SECURITY.md 13), but it is not a look at any one victim's
# information, so the victim's "Who has viewed your information" does not show it.
VICTIM_LISTED = "staff.listed_victim"
# Such pages wrote "staff.view_victim" before they had their own action: those events are not shown either.
LIST_PAGES: tuple[str, ...] = ("review queue", "timeliness report")
VIEWS_PAGE_SIZE = 50

_FORBIDDEN_KEY = re.compile(r"password|passcode|code$|^code|token|secret|email|phone|mobile|address", re.I)
ALLOWED_CODE_KEYS = frozenset({"status_code", "event_code", "reason_code"})


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return _clean_detail(value)
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _clean_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in detail.items():
        if _FORBIDDEN_KEY.search(str(key)) and key not in ALLOWED_CODE_KEYS:
            raise ValueError(f"audit detail may not hold {key!r}: no secrets or contact details")
        cleaned[str(key)] = _clean(value)
    return cleaned


def current_request_id() -> str | None:
    if has_app_context():
        value = g.get("request_id")
        return str(value)[:64] if value else None
    return None


def record(
    session: Session,
    actor_label: str,
    action: str,
    *,
    actor_user_id: int | None = None,
    subject_victim_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one audit event in the caller's transaction. Takes the request id from flask.g. The event is
    written at once by the table's own INSERT (what the session holds is flushed first, as for any
    statement) and is not an object in the session: about half the work of adding it and flushing, on
    every agency API call and every page that records a view."""
    audit_data.add_audit_events(
        session, [_event(actor_label, action, actor_user_id, subject_victim_id, detail)]
    )


def _event(
    actor_label: str,
    action: str,
    actor_user_id: int | None,
    subject_victim_id: str | None,
    detail: Mapping[str, Any] | None,
) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "actor_user_id": actor_user_id,
        "actor_label": (actor_label or "unknown")[:200],
        "action": action[:60],
        "subject_victim_id": subject_victim_id,
        "request_id": current_request_id(),
        "detail": _clean_detail(detail or {}),
    }


def record_each_victim(
    session: Session,
    actor: Actor,
    action: str,
    victim_ids: Iterable[str],
    detail: Mapping[str, Any] | None = None,
) -> None:
    """`record_for_actor` once per victim, written in one statement (a page listing many victims)."""
    cleaned = _clean_detail({"role": actor.role, **(detail or {})})
    request_id = current_request_id()
    audit_data.add_audit_events(
        session,
        [
            {
                "at": utcnow(),
                "actor_user_id": actor.user_id,
                "actor_label": (actor.label or "unknown")[:200],
                "action": action[:60],
                "subject_victim_id": victim_id,
                "request_id": request_id,
                "detail": cleaned,
            }
            for victim_id in dict.fromkeys(victim_ids)
        ],
    )


def record_for_actor(
    session: Session,
    actor: Actor,
    action: str,
    *,
    subject_victim_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    record(
        session,
        actor.label,
        action,
        actor_user_id=actor.user_id,
        subject_victim_id=subject_victim_id,
        detail={"role": actor.role, **(detail or {})},
    )


def record_view(session: Session, actor: Actor, victim_id: str, what: str) -> None:
    """A staff member or support worker looked at a victim's information (`what`: e.g. "case timeline")."""
    record_for_actor(session, actor, VICTIM_DATA_VIEWED, subject_victim_id=victim_id, detail={"what": what})


# What each page that records a view showed, in the words a victim reads: the "what" its caller records
# (services/cases/officer_views.py and officer_contacts.py, services/preferences/reviews.py, services/
# delegation/views.py and work.py, staff/account_routes.py and delivery_routes.py). Anything else is
# "looked at your information". tests/accounts/test_who_has_viewed.py opens every such page.
_VIEWED: dict[str, Any] = {
    "preferences review": _l("looked at your contact preferences and needs"),
    "record preferences by phone": _l(
        "opened your contact preferences to record what you told them by phone"
    ),
    "account status": _l("looked at your account for this service"),
    "people helping the victim": _l("looked at who you have let help you"),
    "messages not delivered": _l("looked at messages to you that did not arrive"),
    "accessible formats": _l("looked at the updates to send you in the format you need"),
    "list of cases": _l("looked at the list of your cases"),
    "contact preferences and needs": _l("looked at your contact preferences and needs"),
    "needs, to change them": _l("opened your needs to change them"),
}
# The same, for pages about one case: the "what" is these words and the case reference (URN).
_VIEWED_CASE: dict[str, Any] = {
    "case timeline": _l("looked at your case %(urn)s"),
    "find a case": _l("looked up your case %(urn)s"),
    "named contacts": _l("looked at who you can contact about your case %(urn)s"),
    "updates on case": _l("looked at the updates on your case %(urn)s"),
    # services/secure_messages/victim_views.py: a support worker's look at the messages on a case.
    "messages on case": _l("looked at your messages about your case %(urn)s"),
    # services/requests/views.py: a request the victim made, by its reference (not a URN).
    "request": _l("looked at your request %(urn)s"),
    # services/secure_messages/inbox.py: a message thread, by its reference (not a URN).
    "message": _l("read your message %(urn)s"),
    "reply to message": _l("replied to your message %(urn)s"),
    "note on message": _l("wrote a note for their team about your message %(urn)s"),
    # services/secure_messages/attachments.py: a file attached to a message, downloaded.
    "file on message": _l("downloaded a file from your message %(urn)s"),
}
_ROLES: dict[str, Any] = {
    "witness_care_officer": _l("a witness care officer"),
    "support_worker": _l("a support worker"),
    "admin": _l("an administrator"),
}


def describe_view(what: str | None) -> str:
    """What someone looked at, in plain words: "looked at your case 01YZ1234524"."""
    what = (what or "").strip()
    if what in _VIEWED:
        return str(_VIEWED[what])
    for start, words in _VIEWED_CASE.items():
        if what.startswith(start + " ") and what[len(start) + 1 :]:
            return str(words) % {"urn": what[len(start) + 1 :]}
    return str(_l("looked at your information"))


def describe_role(role: str | None) -> str:
    """The role in words: "a witness care officer" (empty for a role not known here)."""
    return str(_ROLES.get(role or "", ""))


@dataclass(frozen=True)
class ViewRecord:
    at: datetime
    who: str
    role: str  # in words: "a witness care officer"
    what: str  # in words: "looked at your case 01YZ1234524"


@dataclass(frozen=True)
class ViewDay:
    day: date  # UK time
    views: list[ViewRecord]


@dataclass(frozen=True)
class ViewsOfVictim:
    days: list[ViewDay]  # newest first, each day's views newest first
    pages: pagination.Page


def views_of_victim(session: Session, victim_id: str, page: int | None = None) -> ViewsOfVictim:
    """For the victim's "Who has viewed your information": one page of the views of their information,
    newest first, grouped by day (UK time). Pages that only listed them among other victims are not
    views of their information (VICTIM_LISTED, LIST_PAGES). NotFound for a page past the last."""
    total = audit_views_data.count_views_of_victim(session, victim_id, VIEW_ACTIONS, LIST_PAGES)
    pages = pagination.page_of(page, VIEWS_PAGE_SIZE, total)
    events = audit_views_data.views_of_victim(
        session, victim_id, VIEW_ACTIONS, offset=pages.offset, limit=pages.size, not_what=LIST_PAGES
    )
    days: list[ViewDay] = []
    for event in events:
        detail = event.detail or {}
        record = ViewRecord(
            at=event.at,
            who=event.actor_label,
            role=describe_role(detail.get("role")),
            what=describe_view(detail.get("what")),
        )
        day = event.at.astimezone(LONDON).date()
        if days and days[-1].day == day:
            days[-1].views.append(record)
        else:
            days.append(ViewDay(day, [record]))
    return ViewsOfVictim(days=days, pages=pages)


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    action: str
    actor_label: str
    actor_user_id: int | None
    subject_victim_id: str | None
    request_id: str | None
    detail: dict[str, Any]
    # How many times this happened: more than 1 only for refusals counted rather than repeated.
    occurrences: int = 1


def search(
    session: Session,
    *,
    action: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    user_email: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Sequence[AuditRow]:
    """The events that match, newest first: `limit` of them from position `offset` (from 0)."""
    return [
        AuditRow(
            at=event.at,
            action=event.action,
            actor_label=event.actor_label,
            actor_user_id=event.actor_user_id,
            subject_victim_id=event.subject_victim_id,
            request_id=event.request_id,
            detail=dict(event.detail or {}),
            occurrences=event.occurrences or 1,
        )
        for event in audit_data.search_audit_events(
            session,
            action=_stored_action(action),
            since=since,
            before=before,
            user_email=user_email,
            limit=limit,
            offset=offset,
        )
    ]


def count(
    session: Session,
    *,
    action: str | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    user_email: str | None = None,
) -> int:
    """How many events `search` would find with no limit."""
    return audit_data.count_audit_events(
        session, action=_stored_action(action), since=since, before=before, user_email=user_email
    )


def _stored_action(action: str | None) -> str | None:
    """What a searched action matches as stored: "Agency API call" (API_CALL) is every `api.<verb>` event."""
    return "api.*" if action == API_CALL else action
