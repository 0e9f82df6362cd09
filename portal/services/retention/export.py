"""A victim's information given back to them (a download, as a readable web page and as JSON).

What it holds: what we hold about them (name, contact details, account), their cases with every update
meant for them and when they opened it, their preferences and needs with every earlier version (who
changed it is given by role and how, never a staff member's own details), every message we sent them
(text, channel, delivery status), the requests they made (reviews, personal statements, complaints,
with what they wrote, in words as well, every status and the answer), their dates to avoid and needs at
court on each case with every earlier version, the personal statements they are writing and not yet sent,
the names of the statement documents they uploaded (never the documents themselves: those are theirs
already), their secure messages (never internal notes), the contacts officers recorded with them and the
reminders sent before hearings (export_contact.py), and who has viewed their information. It holds nobody
else's personal data: other victims on the same case are never named, updates meant for another victim
alone are left out, copies sent to a support worker are left out, and staff members' names and contact
details (named contacts, the officer named in an update) are left out; who viewed the information is
given as the portal shows it ("Who has viewed your information": the name they act under and their
role).

Its words (update titles, roles, how preferences were changed) are in the language the victim reads the
portal in; its keys and codes are the same in every language. export_page.py words the readable page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import Session

from portal.data import audit_views as audit_views_data
from portal.data import contact_points as contact_points_data
from portal.data import court_needs as court_needs_data
from portal.data import erasure_requests as erasure_data
from portal.data import preferences as preferences_data
from portal.data import statement_drafts as statement_drafts_data
from portal.data import updates as updates_data
from portal.data import users as users_data
from portal.data import victim_requests as requests_data
from portal.data import victims as victims_data
from portal.models import StatementDocument
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.preferences import labels as preference_labels
from portal.services.requests import views as request_views
from portal.services.requests.kinds import KIND_NAMES, status_label
from portal.services.requests.statement import PURPOSE_NAMES, PURPOSES
from portal.services.retention import export_contact
from portal.services.vocabulary import registry

INFORMATION_DOWNLOADED = "information-downloaded"
#: Update details that name or reach a member of staff (their own personal data): left out of the download.
#: The organisations' (a court, a support service) stay.
STAFF_DETAILS = frozenset({"officer_name", "officer_contact", "vlo_name", "vlo_contact"})
#: Views listed in the download, at most (newest first).
MAX_VIEWS = 10_000


def _iso(value: Any) -> str | None:
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else None


def _title(event_type: str) -> str:
    try:
        return str(registry.get_event_type(event_type).title)
    except LookupError:
        return event_type


def _about(session: Session, victim_id: str) -> dict[str, Any]:
    victim = victims_data.get_victim(session, victim_id)
    if victim is None:
        raise NotFound
    user = users_data.get_user_by_victim(session, victim_id)
    address = [line for line in (victim.address_line_1, victim.address_line_2, victim.address_town) if line]
    return {
        "name": victim.full_name,
        "email": victim.email,
        "phone": victim.phone,
        "address": address + ([victim.postcode] if victim.postcode else []),
        "enhanced_rights": victim.enhanced_rights,
        "enhanced_rights_reason": victim.enhanced_reason,
        "first_recorded_at": _iso(victim.created_at),
        "account": None
        if user is None
        else {
            "email": user.email,
            "security_codes_by": user.mfa_method,
            "created_at": _iso(user.created_at),
            "last_signed_in_at": _iso(user.last_sign_in_at),
            "password_changed_at": _iso(user.password_changed_at),
        },
        "contact_details": [
            {
                "kind": point.kind,
                "value": point.value,
                "confirmed_at": _iso(point.verified_at),
                "not_working_since": _iso(point.unusable_at),
            }
            for point in contact_points_data.contact_points_for_victim(session, victim_id)
        ],
    }


def _cases(session: Session, actor: Actor, victim_id: str) -> list[dict[str, Any]]:
    cases = access.own_cases(session, actor)
    updates = updates_data.updates_for_victim(session, [case.id for case in cases], victim_id)
    seen = erasure_data.seen_times(session, victim_id)
    by_case: dict[int, list[dict[str, Any]]] = {case.id: [] for case in cases}
    for update in updates:
        by_case[update.case_id].append(
            {
                "what": _title(update.event_type),
                "event_type": update.event_type,
                "from": update.agency,
                "happened_at": _iso(update.occurred_at),
                "agency_had_it_at": _iso(update.received_at),
                "tell_you_by": update.code_deadline.isoformat() if update.code_deadline else None,
                "message": update.message,
                "message_cy": update.message_cy,
                "details": {k: v for k, v in (update.details or {}).items() if k not in STAFF_DETAILS},
                "you_opened_it_at": _iso(seen.get(update.id)),
            }
        )
    return [
        {
            "reference": case.urn,
            "offence": case.offence,
            "reported_on": case.reported_on.isoformat() if case.reported_on else None,
            "updates": by_case[case.id],
        }
        for case in cases
    ]


def _requests(session: Session, actor: Actor, victim_id: str) -> list[dict[str, Any]]:
    """The reviews, personal statements and complaints they made, newest first, with every status."""
    urns = {case.id: case.urn for case in access.own_cases(session, actor)}
    requests = requests_data.requests_of_victim(session, victim_id)
    history: dict[str, list[dict[str, Any]]] = {request.id: [] for request in requests}
    kinds_of = {request.id: request.kind for request in requests}
    for event in requests_data.events_of(session, [request.id for request in requests]):
        history[event.request_id].append(
            {
                "status": event.status,
                "status_words": str(status_label(kinds_of[event.request_id], event.status)),
                "at": _iso(event.at),
                "note": event.note,
            }
        )
    return [
        {
            "reference": request.reference,
            "what": str(KIND_NAMES[request.kind]),
            "kind": request.kind,
            "case_reference": urns.get(request.case_id) if request.case_id is not None else None,
            "to": request.agency,
            "status": request.status,
            "status_words": str(status_label(request.kind, request.status)),
            "made_at": _iso(request.submitted_at),
            "acknowledge_by": request.acknowledge_by.isoformat() if request.acknowledge_by else None,
            "answer_by": request.answer_by.isoformat() if request.answer_by else None,
            "acknowledged_at": _iso(request.acknowledged_at),
            "answered_at": _iso(request.answered_at),
            "what_you_said": dict(request.answers or {}),
            "what_you_said_in_words": [
                {"question": row.label, "answer": row.values}
                for row in request_views.answer_rows(request.kind, request.answers or {})
            ],
            "answer": request.outcome,
            "answer_in_welsh": request.outcome_cy,
            "history": history[request.id],
        }
        for request in requests
    ]


def _changed_by(role: str | None, source: str) -> str:
    who = audit.describe_role(role) or (gettext("you") if role == "victim" else "")
    how = preference_labels.source_label(source)
    return f"{who} ({how})" if who else how


def _preferences(session: Session, victim_id: str) -> dict[str, Any]:
    versions = preferences_data.versions_for_victim(session, victim_id)
    history = [
        {
            "version": version.version,
            "changed_at": _iso(version.created_at),
            "changed_by": _changed_by(version.actor_role, version.source),
            "what_changed": list(version.changed_fields or []),
            "preferences": dict(version.document or {}),
        }
        for version in sorted(versions, key=lambda v: v.version)
    ]
    return {"current": history[-1]["preferences"] if history else None, "history": history}


def _court_needs(session: Session, actor: Actor, victim_id: str) -> list[dict[str, Any]]:
    """Their dates to avoid and needs at court, on each case where they gave them, every version."""
    found = []
    for case in access.own_cases(session, actor):
        versions = court_needs_data.versions_for_victim_case(session, victim_id, case.id)
        if not versions:
            continue
        history = [
            {
                "version": version.version,
                "changed_at": _iso(version.created_at),
                "changed_by": _changed_by(version.actor_role, version.source),
                "what_changed": list(version.changed_fields or []),
                "court_needs": dict(version.document or {}),
            }
            for version in sorted(versions, key=lambda v: v.version)
        ]
        found.append({"case_reference": case.urn, "current": history[-1]["court_needs"], "history": history})
    return found


def _document(document: StatementDocument) -> dict[str, Any]:
    """A statement document described (its name, type, size and when it was uploaded), never its bytes."""
    return {
        "name": document.filename,
        "type": document.content_type,
        "size_in_bytes": document.size,
        "uploaded_at": _iso(document.uploaded_at),
    }


def _statements(session: Session, actor: Actor, victim_id: str) -> dict[str, Any]:
    """The personal statements they are writing (kept between visits until sent), and every statement
    document they uploaded, sent or not, by name."""
    drafts = []
    documents = []
    cases = access.own_cases(session, actor)
    for case in cases:
        for purpose in PURPOSES:
            draft = statement_drafts_data.get_draft(session, victim_id, case.id, purpose)
            pending = statement_drafts_data.pending_document(session, victim_id, case.id, purpose)
            if draft is None and pending is None:
                continue
            drafts.append(
                {
                    "case_reference": case.urn,
                    "for": purpose,
                    "for_words": str(PURPOSE_NAMES[purpose]),
                    "text": draft.text if draft is not None else None,
                    "last_saved_at": _iso(draft.updated_at) if draft is not None else None,
                    "document": None if pending is None else _document(pending),
                }
            )
            if pending is not None:
                documents.append({**_document(pending), "case_reference": case.urn, "sent_with": None})
    statements = requests_data.requests_of_victim(session, victim_id, kind="statement")
    sent = statement_drafts_data.documents_of_requests(session, [request.id for request in statements])
    urns = {case.id: case.urn for case in cases}
    for request in statements:
        document = sent.get(request.id)
        if document is not None:
            documents.append(
                {
                    **_document(document),
                    "case_reference": urns.get(request.case_id or 0),
                    "sent_with": request.reference,
                }
            )
    return {"being_written": drafts, "documents_uploaded": documents}


def _messages(session: Session, victim_id: str) -> list[dict[str, Any]]:
    return [
        {
            "created_at": _iso(message.created_at),
            "channel": communication.channel,
            "about": communication.purpose,
            "to": message.recipient or (list(message.address or []) or None),
            "subject": message.subject,
            "text": message.body or None,
            "status": message.status,
            "sent_at": _iso(message.sent_at),
            "delivered_at": _iso(message.delivered_at),
        }
        for communication, message in erasure_data.messages_to_victim(session, victim_id)
    ]


def _views(session: Session, victim_id: str) -> list[dict[str, Any]]:
    events = audit_views_data.views_of_victim(
        session, victim_id, audit.VIEW_ACTIONS, offset=0, limit=MAX_VIEWS, not_what=audit.LIST_PAGES
    )
    return [
        {
            "at": _iso(event.at),
            "who": event.actor_label,
            "role": audit.describe_role((event.detail or {}).get("role")),
            "what": audit.describe_view((event.detail or {}).get("what")),
        }
        for event in events
    ]


def information_for(session: Session, actor: Actor, now: datetime) -> dict[str, Any]:
    """Everything the download holds for the signed-in victim (NotFound for anyone else)."""
    victim_id = access.own_victim_id(actor)
    about_you = _about(session, victim_id)
    cases = access.own_cases(session, actor)
    return {
        "service": gettext("Updates about your case"),
        "created_at": _iso(now),
        "about_you": about_you,
        "cases": _cases(session, actor, victim_id),
        "requests": _requests(session, actor, victim_id),
        "preferences_and_needs": _preferences(session, victim_id),
        "court_needs": _court_needs(session, actor, victim_id),
        "personal_statements": _statements(session, actor, victim_id),
        "messages_sent_to_you": _messages(session, victim_id),
        "secure_messages": export_contact.secure_messages(session, cases, victim_id, about_you["name"]),
        "contacts_recorded": export_contact.contacts_recorded(session, cases, victim_id),
        "hearing_reminders": export_contact.hearing_reminders(session, cases, victim_id),
        "who_has_viewed_your_information": _views(session, victim_id),
    }


def record_download(session: Session, actor: Actor, file_format: str) -> None:
    """The victim downloaded their information: audited, with the format only."""
    audit.record_for_actor(
        session,
        actor,
        INFORMATION_DOWNLOADED,
        subject_victim_id=access.own_victim_id(actor),
        detail={"format": file_format},
    )
