"""Victims added by agency systems, and the preferences and needs agencies read back.

The preferences an agency records at reporting go through the preferences service (versioned, with the
agency as author and "agency at reporting" as source), the same way as the victim's own answers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from notifications import recipients
from portal.data import cases as cases_data
from portal.models import Case, CaseVictim, Victim
from portal.services.accounts import invitations
from portal.services.cases import records as case_records
from portal.services.common import access, audit
from portal.services.common.actors import ApiCaller
from portal.services.common.notify_settings import international_letters
from portal.services.court_needs import records as court_needs
from portal.services.preferences import contact_points
from portal.services.preferences import records as preferences
from portal.services.preferences.rules import (
    ACCESSIBILITY,
    CHANNELS,
    DAYS,
    FREQUENCIES,
    LANGUAGES,
    OPT_OUT_CATEGORIES,
    SOURCE_AGENCY_AT_REPORTING,
    SPECIAL_MEASURES,
    WRITTEN_CHANNELS,
    InvalidPreferences,
    normalise_phone,
)

#: The preference answers an agency may record at reporting, by name (the preferences document's keys).
PREFERENCE_CHOICES: dict[str, tuple[str, ...]] = {
    "channels": CHANNELS,
    "written_channels": WRITTEN_CHANNELS,
    "days": DAYS,
    "frequencies": FREQUENCIES,
    "languages": LANGUAGES,
    "opt_out_categories": OPT_OUT_CATEGORIES,
    "accessibility": ACCESSIBILITY,
    "special_measures": SPECIAL_MEASURES,
}


class InvalidVictim(ValueError):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _address_json(victim: Victim) -> dict[str, Any] | None:
    if not victim.address_line_1:
        return None
    address = {"line_1": victim.address_line_1, "town": victim.address_town, "postcode": victim.postcode}
    if victim.address_line_2:
        address["line_2"] = victim.address_line_2
    return address


def victim_json(victim: Victim, link: CaseVictim) -> dict[str, Any]:
    return {
        "id": victim.id,
        "given_name": victim.given_name,
        "family_name": victim.family_name,
        "email": victim.email,
        "phone": victim.phone,
        "address": _address_json(victim),
        "agency_person_reference": link.agency_person_reference,
        "enhanced_rights": bool(victim.enhanced_rights),
        "enhanced_reason": victim.enhanced_reason,
        "added_at": link.added_at.isoformat().replace("+00:00", "Z"),
    }


def contact_problems(body: dict[str, Any]) -> list[str]:
    """What GOV.UK Notify would refuse in the victim's contact details, in Notify's words, each naming the
    field: a victim's details are only worth keeping if a message can reach them."""
    problems = []
    if body.get("email"):
        try:
            recipients.validate_email_address(body["email"])
        except recipients.InvalidRecipient as error:
            problems.append(f"email: {error.message}")
    if body.get("phone"):
        try:
            normalise_phone(body["phone"])
        except ValueError:
            problems.append("phone: Not a valid phone number")
    address = body.get("address")
    if address:
        name = f"{body['given_name']} {body['family_name']}".strip()
        lines = [address.get(key) for key in ("line_1", "line_2", "town", "postcode")]
        try:
            recipients.validate_postal_address(
                [name, *(line for line in lines if line)], international=international_letters()
            )
        except recipients.InvalidRecipient as error:
            problems.append(f"address: {error.message}")
    return problems


def add_victim_from_agency(
    session: Session, caller: ApiCaller, case: Case, body: dict[str, Any]
) -> tuple[Victim, CaseVictim]:
    """Create the victim, put them on the case and record what they told the agency at reporting.
    Raises InvalidVictim for contact details Notify would refuse or preferences that are not valid."""
    problems = contact_problems(body)
    if problems:
        raise InvalidVictim(problems)
    address = body.get("address") or {}
    victim = Victim(
        given_name=body["given_name"].strip(),
        family_name=body["family_name"].strip(),
        email=body.get("email"),
        phone=body.get("phone"),
        address_line_1=address.get("line_1"),
        address_line_2=address.get("line_2"),
        address_town=address.get("town"),
        postcode=address.get("postcode"),
        enhanced_rights=bool(body.get("enhanced_rights", False)),
        enhanced_reason=body.get("enhanced_reason") if body.get("enhanced_rights") else None,
    )
    case_records.add_victim(session, case, victim, agency_person_reference=body["agency_person_reference"])
    initial = body.get("preferences")
    if initial:
        try:
            preferences.record_preferences(
                session,
                victim,
                initial,
                actor=None,
                actor_label=caller.name,
                source=SOURCE_AGENCY_AT_REPORTING,
            )
        except InvalidPreferences as error:
            raise InvalidVictim(
                [f"preferences.{key}: {message}" for key, message in error.errors.items()]
            ) from None
        _confirmed_at_reporting(session, caller, victim)
    # The invitation goes only by a channel confirmed safe at reporting; with none, nothing is sent and
    # the officer invites the victim after speaking to them.
    invitations.invite_victim(session, victim, invited_by_label=caller.name, case=case)
    link = cases_data.get_case_victim(session, case.id, victim.id)
    assert link is not None
    return victim, link


def preferences_json(session: Session, case: Case, victim_id: str) -> dict[str, Any]:
    """The victim's current preferences and needs, when they last changed and who changed them, with
    their dates to avoid and needs at court for this case (`court`, versioned on its own)."""
    link = access.case_victim_for_api_client(session, case, victim_id)
    current = preferences.current_preferences(session, link.victim_id)
    history = preferences.preference_history(session, link.victim_id)
    latest = history[0] if history else None
    return {
        "victim_id": link.victim_id,
        "recorded": current.version is not None,
        "version": current.version,
        "last_changed_at": latest.at.isoformat().replace("+00:00", "Z") if latest else None,
        "last_changed_by": latest.actor_label if latest else None,
        "last_changed_by_role": (latest.actor_role or "agency") if latest else None,
        "last_change_source": latest.source if latest else None,
        "changed_fields": list(latest.changed_fields) if latest else [],
        "preferences": current.to_document(),
        "contact_status": dict(current.contact_status),
        "safe_channels": preferences.safe_channels(current),
        "court": court_needs.court_json(session, link.victim_id, case.id),
    }


def _confirmed_at_reporting(session: Session, caller: ApiCaller, victim: Victim) -> None:
    """The email address and phone number an agency records with the victim at reporting, for the ways
    the victim chose there, count as confirmed: the agency took them from the victim (as it does today
    before it writes to them), so updates reach a victim who never signs in. Only these: any other
    address or number, and any change made later (online, by a support worker or an officer), is used
    only once the victim enters the code sent to it. Audited as confirmed by the agency."""
    prefs = preferences.current_preferences(session, victim.id)
    chosen = set(prefs.channels)
    for kind, value, channels in (
        ("email", prefs.email, {"email"}),
        ("phone", prefs.phone, {"sms", "phone"}),
    ):
        if value and chosen & channels:
            contact_points.record_verified(session, victim.id, kind, value)
            audit.record(
                session,
                caller.name,
                contact_points.CONTACT_VERIFIED,
                subject_victim_id=victim.id,
                detail={"kind": kind, "source": SOURCE_AGENCY_AT_REPORTING},
            )
