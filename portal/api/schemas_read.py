"""Response schemas for what agencies read back (preferences, the communications log), and the schema
of the initial preferences an agency may send with a new victim. Allowed values come from the
preferences service, so the API and the victim's own question pages accept exactly the same answers."""

from __future__ import annotations

from typing import Any

from portal.services.agency_api.victims import PREFERENCE_CHOICES as CHOICES
from portal.services.court_needs import records as court_needs_records

#: Preferences and needs known at reporting, as an agency sends them (also the example in the API reference).
PREFERENCES_EXAMPLE: dict[str, Any] = {
    "channels": ["email", "sms"],
    "safe": {"email": True, "sms": False},
    "safe_days": ["mon", "tue", "wed", "thu", "fri"],
    "safe_from": "09:00",
    "safe_to": "17:00",
    "language": "en",
    "support_referral": True,
    "special_measures": ["screens"],
}

DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_BOOL = {"type": ["boolean", "null"]}
TIME = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
    "description": "24-hour clock, HH:MM.",
}


def _subset(values: tuple[str, ...], description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"enum": list(values)},
        "uniqueItems": True,
        "maxItems": len(values),
        "description": description,
    }


def _flags(channels: tuple[str, ...], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {channel: {"type": "boolean"} for channel in channels},
        "description": description,
    }


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": 100, "description": description}


def initial_preferences() -> dict[str, Any]:
    """What an agency may record at reporting: the same answers as the victim's own question pages."""
    return {
        "type": "object",
        "additionalProperties": False,
        "description": "What the victim told your agency at reporting. Recorded as a version of their "
        "preferences and needs, with your API client as author; they can change it later. Contact "
        "details come from the victim's email, phone and address.",
        "properties": {
            "channels": _subset(CHOICES["channels"], "Ways to contact the victim, most preferred first."),
            "officer_phone_only": {
                "type": "boolean",
                "description": "No messages at all: only a call from an officer, when it is safe.",
            },
            "safe": _flags(CHOICES["channels"], "Which ways the victim confirmed are safe to use."),
            "detailed": _flags(
                CHOICES["written_channels"], "Where the victim chose detailed wording (discreet otherwise)."
            ),
            "safe_days": {**_subset(CHOICES["days"], "Days when it is safe to contact them."), "minItems": 1},
            "safe_from": TIME,
            "safe_to": TIME,
            "urgent_any_time": {
                "type": "boolean",
                "description": "News about release, escape and orders that protect the victim may be sent "
                "outside their safe times (never by a way that is not safe).",
            },
            "frequency": {"enum": list(CHOICES["frequencies"])},
            "opted_out": _subset(CHOICES["opt_out_categories"], "Kinds of news they do not want."),
            "language": {"enum": list(CHOICES["languages"])},
            "interpreter_needed": {"type": "boolean"},
            "interpreter_language": _text("The language an interpreter is needed for."),
            "accessibility": _subset(CHOICES["accessibility"], "Accessibility needs."),
            "advocate_name": _text("Who speaks on their behalf (with accessibility 'advocate')."),
            "support_referral": {"type": "boolean", "description": "Wants a referral to a support service."},
            "special_measures": _subset(CHOICES["special_measures"], "Help at court they may need."),
            "pre_trial_visit": {"type": "boolean"},
            "wants_vps": {"type": "boolean", "description": "Wishes to make a Victim Personal Statement."},
            "vcs_opt_in": {"type": "boolean", "description": "Opts in to the Victim Contact Scheme."},
        },
        "examples": [PREFERENCES_EXAMPLE],
    }


def court_needs() -> dict[str, Any]:
    """The victim's dates to avoid and needs at court for the case in the path, versioned on their own."""
    return {
        "type": "object",
        "description": "Dates the victim cannot go to court and the help they need there, for this case. "
        "Every change is a new version. `recorded` false: the victim has not said anything yet.",
        "required": ["recorded", "version", "dates", "needs"],
        "properties": {
            "recorded": {"type": "boolean"},
            "version": {"type": ["integer", "null"]},
            "last_changed_at": {**DATE_TIME, "type": ["string", "null"]},
            "last_changed_by": {"type": ["string", "null"]},
            "last_changed_by_role": {"type": ["string", "null"]},
            "last_change_source": {"type": ["string", "null"], "enum": [*court_needs_records.SOURCES, None]},
            "changed_fields": {"type": "array", "items": {"type": "string"}},
            "dates": {
                "type": "array",
                "description": "Dates to avoid, earliest first (past dates included until the next change).",
                "items": {
                    "type": "object",
                    "required": ["date", "part", "reason"],
                    "properties": {
                        "date": {"type": "string", "format": "date"},
                        "part": {
                            "type": "string",
                            "enum": list(court_needs_records.PARTS),
                            "description": "day: all day; morning: before 13:00 UK time; afternoon: from 13:00.",
                        },
                        "reason": {"type": "string", "enum": list(court_needs_records.REASONS)},
                    },
                },
            },
            "needs": {"type": "array", "items": {"type": "string", "enum": list(court_needs_records.NEEDS)}},
            "interpreter_language": {"type": ["string", "null"]},
            "access_needs": {"type": ["string", "null"]},
            "anything_else": {"type": ["string", "null"]},
        },
    }


def components() -> dict[str, Any]:
    return {
        "InitialPreferences": initial_preferences(),
        "PreferencesResponse": {
            "type": "object",
            "required": [
                "victim_id",
                "recorded",
                "version",
                "last_changed_at",
                "last_changed_by",
                "preferences",
            ],
            "properties": {
                "victim_id": {"type": "string", "format": "uuid"},
                "recorded": {
                    "type": "boolean",
                    "description": "False: nothing recorded yet; `preferences` shows the safe defaults.",
                },
                "version": {"type": ["integer", "null"]},
                "last_changed_at": {**DATE_TIME, "type": ["string", "null"]},
                "last_changed_by": {"type": ["string", "null"], "description": "Who made the last change."},
                "last_changed_by_role": {"type": ["string", "null"]},
                "last_change_source": {
                    "type": ["string", "null"],
                    "description": "victim online, officer by phone, support worker or agency at reporting.",
                },
                "changed_fields": {"type": "array", "items": {"type": "string"}},
                "preferences": {"type": "object", "description": "The whole current document."},
                "contact_status": {"type": "object", "additionalProperties": {"type": "string"}},
                "safe_channels": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Ways that may be used now: confirmed safe, with a verified contact point.",
                },
                "court": {"$ref": "#/components/schemas/CourtNeeds"},
            },
        },
        "CourtNeeds": court_needs(),
        "Communications": {
            "type": "object",
            "required": ["urn", "communications"],
            "properties": {
                "urn": {"type": "string"},
                "communications": {"type": "array", "items": {"$ref": "#/components/schemas/Communication"}},
            },
        },
        "Communication": {
            "type": "object",
            "required": ["victim_id", "update", "told_at", "told_by", "met_code_deadline", "deliveries"],
            "properties": {
                "victim_id": {"type": "string", "format": "uuid"},
                "update": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "event_id": {
                            "type": ["string", "null"],
                            "description": "Only for your agency's updates.",
                        },
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "agency": {"type": "string"},
                        "occurred_at": DATE_TIME,
                        "received_at": DATE_TIME,
                        "code_deadline": {"type": ["string", "null"], "format": "date"},
                        "superseded": {"type": "boolean"},
                    },
                },
                "told_at": {
                    "type": ["string", "null"],
                    "format": "date-time",
                    "description": "First delivery to the victim, first read in the portal, or first "
                    "contact an officer recorded (by phone, in person...).",
                },
                "told_by": {
                    "type": ["string", "null"],
                    "description": "email, sms, letter or portal; or, recorded by an officer, phone, in-person, "
                    "at-court or letter-by-hand.",
                },
                "met_code_deadline": {
                    **NULLABLE_BOOL,
                    "description": "null while not yet due, or when the event has no Code timescale.",
                },
                "deliveries": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "channel": {"type": "string"},
                            "to": {"enum": ["victim", "support worker"]},
                            "status": {"type": "string"},
                            "queued_at": {"type": ["string", "null"]},
                            "sent_at": {"type": ["string", "null"]},
                            "delivered_at": {"type": ["string", "null"]},
                        },
                    },
                },
            },
        },
    }
