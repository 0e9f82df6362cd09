"""The agency API's JSON Schemas (draft 2020-12). They validate requests and are the OpenAPI document's
components (see openapi.py): one set of schemas, never written twice.

Each event type's `details` schema comes from the vocabulary, so a new event type appears in validation
and in the documentation at once.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

from jsonschema import FormatChecker

from portal.api import schemas_court_needs, schemas_messages, schemas_read, schemas_requests
from portal.api.schemas_quality import quality_warnings_schema
from portal.services import vocabulary
from portal.services.agency_api import ingest as api_ingest
from portal.services.cases import contacts

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MAX_BATCH = 100
REF = "#/components/schemas/"

FORMATS = FormatChecker(formats=("date", "uuid"))
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time with seconds and an offset, e.g. 2026-05-12T10:00:00+01:00."""
    if not isinstance(value, str):
        return True
    return bool(_DATE_TIME.match(value)) and datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


# Text an agency sends reaches victims' and officers' pages, messages and letters: no control characters.
# A name, an address line or an offence is one line (no tab, line break, line separator or other control
# character); free text (the victim's message, the details of an event) may have line breaks and tabs,
# nothing else. A pattern (validation.py reads "$" as the end of the text, as JSON Schema's ECMA-262
# regular expressions do), so part of the contract agencies read; an error names the field:
# "given_name: must not contain control characters (...)". Named contacts are checked by the contacts
# service itself (services/cases/contacts.py), with its own message.
SINGLE_LINE = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"


def _text(description: str, max_length: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        "description": description,
        "pattern": SINGLE_LINE,
        **extra,
    }


def _without_control_characters(schema: Any) -> Any:
    """`schema` with every free-text string (no pattern, format, choice or constant of its own) free of
    control characters but line breaks and tabs: the typed details each event type's vocabulary entry
    defines."""
    if isinstance(schema, list):
        return [_without_control_characters(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _without_control_characters(value) for key, value in schema.items()}
    types = schema.get("type")
    is_text = types == "string" or (isinstance(types, list) and "string" in types)
    if is_text and not {"pattern", "format", "enum", "const"} & set(schema):
        out["pattern"] = MULTI_LINE
    return out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    out = dict(schema)
    out["type"] = [schema["type"], "null"]
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


PRINTABLE = r"^[!-~]+$"
EVENT_ID = _text(
    "Your system's own id for this update: unique within your agency (for police and witness care, "
    "within your force). Sending it again returns the first result and stores nothing new.",
    api_ingest.MAX_EVENT_ID,
    pattern=PRINTABLE,
    examples=["WCU01-HRG-000457"],
)
DATE_TIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
UUID = {"type": "string", "format": "uuid"}


def _details_schema(event: vocabulary.EventType) -> dict[str, Any]:
    schema = copy.deepcopy(event.details_schema)
    schema.pop("$schema", None)
    return dict(_without_control_characters(schema))


def event_codes() -> list[str]:
    return sorted(vocabulary.EVENT_TYPES)


def _update_variant(event: vocabulary.EventType) -> dict[str, Any]:
    """A case update of one event type: the envelope plus that type's typed details."""
    agencies = ", ".join(str(a) for a in event.agencies)
    return {
        "title": event.code,
        "type": "object",
        "description": f"{event.title} (sent by: {agencies}).",
        "additionalProperties": False,
        "required": ["event_id", "type", "occurred_at", "received_at"],
        "properties": {
            "event_id": EVENT_ID,
            "type": {"const": event.code, "description": "The event type, from the vocabulary."},
            "occurred_at": {**DATE_TIME, "description": "When it happened, with its UTC offset."},
            "received_at": {
                **DATE_TIME,
                "description": "When your agency had the information: the Victims' Code clock starts here.",
            },
            "details": {**_details_schema(event), "description": f"Details of {event.code}."},
            "message": _text(
                "Optional words for the victim, in plain English. Line breaks are kept; other control "
                "characters are refused.",
                2000,
                pattern=MULTI_LINE,
            ),
            "message_cy": _text(
                "Optional: the same words in Welsh (Cymraeg), for victims who chose Welsh. Without it, "
                "they read the English message, with a note that it was sent only in English.",
                2000,
                pattern=MULTI_LINE,
            ),
            "victim_id": {
                **UUID,
                "description": "Only for this victim on the case (from POST .../victims). Leave out for every victim.",
            },
            "supersedes": {
                **EVENT_ID,
                "description": "The event_id of an earlier update from your agency on this case that this "
                "one corrects. The earlier one leaves the victim's timeline but is kept.",
            },
        },
    }


def update_schema() -> dict[str, Any]:
    """One update: exactly one of the per-event-type shapes, chosen by `type`."""
    return {
        "oneOf": [_ref(variant_name(code)) for code in event_codes()],
        "discriminator": {
            "propertyName": "type",
            "mapping": {code: REF + variant_name(code) for code in event_codes()},
        },
    }


def variant_name(code: str) -> str:
    return "Update_" + code.replace("-", "_")


ADDRESS = {
    "type": "object",
    "additionalProperties": False,
    "required": ["line_1", "town", "postcode"],
    "properties": {
        "line_1": _text("First line of the address.", 100),
        "line_2": _text("Second line of the address.", 100),
        "town": _text("Town or city.", 100),
        "postcode": _text("Postcode.", 10, pattern=r"^[A-Za-z0-9 ]+$"),
    },
}


def _nullable_text(description: str, max_length: int, **extra: Any) -> dict[str, Any]:
    return {"type": ["string", "null"], "maxLength": max_length, "description": description, **extra}


def contact_schemas() -> dict[str, Any]:
    """Named contacts: what an agency sends (PUT) and what it reads back (PUT and GET)."""
    roles = list(contacts.CONTACT_ROLES)
    set_by = "; ".join(f"{role} by {' or '.join(agencies)}" for role, agencies in contacts.SET_BY.items())
    return {
        "ContactRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["role", "name"],
            "properties": {
                "role": {
                    "enum": roles,
                    "description": f"Who the contact is. Each agency sets its own roles: {set_by}.",
                },
                "name": {
                    **_nullable_text(
                        "As the victim should ask for them, e.g. DC Sam Patel. null clears this contact "
                        "(send nothing else with it).",
                        contacts.MAX_NAME,
                    ),
                    "minLength": 1,
                },
                "phone": _nullable_text(
                    "A number to call: any valid UK or international phone number, e.g. 01632 960 201. "
                    "Stored and returned as E.164 (+441632960201).",
                    32,
                ),
                "email": _nullable_text("An email address, e.g. sam.patel@example.police.uk.", 320),
                "when_to_reach": _nullable_text(
                    "When to get in touch, in plain words, e.g. Monday to Friday, 9am to 5pm.",
                    contacts.MAX_WHEN,
                ),
            },
        },
        "ContactsRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["contacts"],
            "properties": {
                "victim_id": {
                    **UUID,
                    "description": "Only for this victim on the case (from POST .../victims): for them it "
                    "replaces the case's contact in the same role. Leave out for every victim.",
                },
                "contacts": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": len(roles),
                    "items": _ref("ContactRequest"),
                    "description": "One entry per role to set or clear; roles left out are kept as they are.",
                },
            },
        },
        "Contact": {
            "type": "object",
            "required": [
                "role",
                "role_label",
                "name",
                "phone",
                "email",
                "when_to_reach",
                "victim_id",
                "updated_at",
                "updated_by",
            ],
            "properties": {
                "role": {"enum": roles},
                "role_label": {"type": "string", "description": "What the victim reads."},
                "name": {"type": "string"},
                "phone": {"type": ["string", "null"], "description": "E.164, e.g. +441632960201."},
                "email": {"type": ["string", "null"]},
                "when_to_reach": {"type": ["string", "null"]},
                "victim_id": {
                    **_nullable(UUID),
                    "description": "null: for every victim on the case; otherwise for this victim only.",
                },
                "updated_at": DATE_TIME,
                "updated_by": {"type": "string", "description": "The API client or officer who set it."},
            },
        },
        "Contacts": {
            "type": "object",
            "required": ["urn", "contacts"],
            "properties": {
                "urn": {"type": "string"},
                "contacts": {
                    "type": "array",
                    "items": _ref("Contact"),
                    "description": "Every named contact of the case, by role: the case's, then each victim's.",
                },
            },
        },
    }


def components() -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "CaseRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["offence"],
            "properties": {
                "offence": _text("The offence as the victim would describe it, e.g. 'Assault'.", 200),
                "crn": {
                    "type": "string",
                    "pattern": r"^[A-Z][0-9]{6}$",
                    "description": "Probation case reference number (CRN), e.g. X123456.",
                },
                "reported_on": {**DATE, "description": "The day the crime was reported."},
            },
            "examples": [{"offence": "Assault", "reported_on": "2026-03-02"}],
        },
        "Case": {
            "type": "object",
            "required": [
                "urn",
                "force_code",
                "offence",
                "crn",
                "reported_on",
                "status",
                "created_at",
                "updated_at",
            ],
            "properties": {
                "urn": {"type": "string"},
                "force_code": {"type": "string"},
                "offence": {"type": "string"},
                "crn": {"type": ["string", "null"]},
                "reported_on": _nullable(DATE),
                "status": {"type": "string"},
                "created_at": DATE_TIME,
                "updated_at": DATE_TIME,
            },
        },
        "Address": ADDRESS,
        "VictimRequest": {
            "type": "object",
            "additionalProperties": False,
            "required": ["given_name", "family_name", "agency_person_reference"],
            "properties": {
                "given_name": _text("Given name.", 100),
                "family_name": _text("Family name.", 100),
                "email": {"type": "string", "format": "email", "maxLength": 320, "pattern": SINGLE_LINE},
                "phone": {"type": "string", "pattern": r"^\+?[0-9][0-9 ()-]{6,20}$"},
                "address": _ref("Address"),
                "agency_person_reference": _text(
                    "Your system's reference for this person. Sending the same reference for the same "
                    "case again returns the victim already added.",
                    64,
                    pattern=PRINTABLE,
                ),
                "enhanced_rights": {
                    "type": "boolean",
                    "description": "Entitled to enhanced rights under the Victims' Code (shorter timescales).",
                },
                "enhanced_reason": _text(
                    "Why: e.g. victim of domestic abuse, persistently targeted, vulnerable or intimidated.",
                    200,
                ),
                "preferences": _ref("InitialPreferences"),
            },
            "if": {"properties": {"enhanced_rights": {"const": True}}, "required": ["enhanced_rights"]},
            "then": {"required": ["enhanced_reason"]},
        },
        "Victim": {
            "type": "object",
            "required": ["id", "given_name", "family_name", "agency_person_reference", "enhanced_rights"],
            "properties": {
                "id": UUID,
                "given_name": {"type": "string"},
                "family_name": {"type": "string"},
                "email": {"type": ["string", "null"]},
                "phone": {"type": ["string", "null"]},
                "address": {"type": ["object", "null"]},
                "agency_person_reference": {"type": ["string", "null"]},
                "enhanced_rights": {"type": "boolean"},
                "enhanced_reason": {"type": ["string", "null"]},
                "added_at": DATE_TIME,
            },
        },
        "Update": update_schema(),
        "UpdateBatch": {
            "type": "object",
            "additionalProperties": False,
            "required": ["updates"],
            "properties": {
                "updates": {"type": "array", "minItems": 1, "maxItems": MAX_BATCH, "items": _ref("Update")}
            },
        },
        "StoredUpdate": {
            "type": "object",
            "required": [
                "id",
                "event_id",
                "type",
                "agency",
                "occurred_at",
                "received_at",
                "code_deadline",
                "warnings",
            ],
            "properties": {
                "id": UUID,
                "event_id": {"type": "string"},
                "type": {"type": "string"},
                "agency": {"enum": list(api_ingest.AGENCIES)},
                "occurred_at": DATE_TIME,
                "received_at": DATE_TIME,
                "code_deadline": {
                    **_nullable(DATE),
                    "description": "The last day (UK time) by which the victim must be told, under the "
                    "Victims' Code; null when the event has no timescale.",
                },
                "enhanced": {"type": "boolean"},
                "details": {"type": "object"},
                "message": {"type": ["string", "null"]},
                "message_cy": {"type": ["string", "null"]},
                "victim_id": _nullable(UUID),
                "supersedes": {"type": ["string", "null"]},
                "superseded": {"type": "boolean"},
                "created_at": DATE_TIME,
                "warnings": quality_warnings_schema(),
            },
        },
        "StoredUpdates": {
            "type": "object",
            "required": ["updates"],
            "properties": {"updates": {"type": "array", "items": _ref("StoredUpdate")}},
        },
        "Error": {
            "type": "object",
            "required": ["status_code", "errors"],
            "properties": {
                "status_code": {"type": "integer"},
                "errors": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["error", "message"],
                        "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        },
    }
    for code in event_codes():
        schemas[variant_name(code)] = _update_variant(vocabulary.get_event_type(code))
    schemas.update(schemas_read.components())
    schemas.update(contact_schemas())
    schemas.update(schemas_requests.components())
    schemas.update(schemas_court_needs.components())
    schemas.update(schemas_messages.components())
    return schemas
