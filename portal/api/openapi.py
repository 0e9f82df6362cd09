"""The OpenAPI 3.1 document (the contract) and the data for the readable reference page, both built from
the schemas in schemas.py. Every example works as it stands against the demo data (`flask seed`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from portal.api import examples, schemas_court_needs
from portal.api.schemas import REF, components
from portal.services import vocabulary
from portal.services.cases import contacts
from portal.services.vocabulary import deadlines

ERROR_RESPONSES = {
    "400": ("ValidationError", "The request is not valid: each message names the field and what is wrong."),
    "401": ("AuthError", "No token: send Authorization: Bearer <JWT>."),
    "403": (
        "AuthError",
        "The token was refused (signature, clock, replay, revoked key) or the case is another force's.",
    ),
    "404": (
        "NotFoundError",
        "No such case, victim or request, or it is outside what this API client can see.",
    ),
    "413": ("RequestTooLargeError", "The body is over the size limit."),
    "415": ("UnsupportedMediaTypeError", "Send JSON with Content-Type: application/json."),
    "429": (
        "RateLimitError",
        "Too many requests from this API client, or too many refused calls (bad or missing tokens) from "
        "this address (API_REFUSAL_RATE_LIMIT; answered before the token is looked at): wait for "
        "Retry-After seconds.",
    ),
    "500": ("ServerError", "Something went wrong on our side; quote the request id."),
    "503": ("ServiceUnavailableError", "The service is unavailable; try again after Retry-After seconds."),
}


def _error_response(code: str) -> dict[str, Any]:
    name, description = ERROR_RESPONSES[code]
    example = {
        "status_code": int(code),
        "errors": [{"error": name, "message": examples.ERROR_MESSAGES[code]}],
    }
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF + "Error"}, "example": example}},
    }
    if code in ("429", "503"):
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer"},
            }
        }
    return response


def _errors(*codes: str) -> dict[str, Any]:
    common = ("401", "403", "404", "429", "500", "503")
    return {code: {"$ref": f"#/components/responses/Error{code}"} for code in sorted({*codes, *common})}


def _json_content(schema: str, examples_: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": REF + schema}, "examples": examples_}}


def _named(examples_: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    return {name: {"summary": summary, "value": value} for name, (summary, value) in examples_.items()}


URN = {
    "name": "urn",
    "in": "path",
    "required": True,
    "description": "The case's unique reference number (URN): force code, 2 letters, 5 digits, 2-digit year.",
    "schema": {"type": "string", "pattern": r"^[0-9]{2}[A-Za-z]{2}[0-9]{7}$"},
    "example": examples.DEMO_URN,
}
REQUEST_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The request's id, as listed by GET /api/v1/requests.",
    "schema": {"type": "string", "format": "uuid"},
    "example": examples.DEMO_REVIEW_ID,
}


def _query_parameters() -> list[dict[str, Any]]:
    """GET /requests' query, from the RequestsQuery schema that validates it."""
    query = components()["RequestsQuery"]["properties"]
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": schema["description"],
            "schema": schema,
        }
        for name, schema in query.items()
    ]


VICTIM_ID = {
    "name": "victim_id",
    "in": "path",
    "required": True,
    "description": "The victim's id, as returned when the victim was added.",
    "schema": {"type": "string", "format": "uuid"},
    "example": examples.DEMO_VICTIM_ID,
}


def stored_example(
    item: dict[str, Any], agency: str, update_id: str, supersedes: str | None = None
) -> dict[str, Any]:
    """What the API answers for `item`, with the Code deadline computed exactly as the service does."""
    received = datetime.fromisoformat(item["received_at"])
    deadline = deadlines.code_deadline(received, item["type"], True, details=item.get("details"))
    return {
        "id": update_id,
        "event_id": item["event_id"],
        "type": item["type"],
        "agency": agency,
        "occurred_at": item["occurred_at"],
        "received_at": item["received_at"],
        "code_deadline": deadline.isoformat() if deadline else None,
        "enhanced": True,
        "details": item.get("details", {}),
        "message": item.get("message"),
        "victim_id": None,
        "supersedes": supersedes,
        "superseded": False,
        "created_at": examples.CREATED_AT,
        "warnings": [],
    }


def paths() -> dict[str, Any]:
    update_examples = examples.update_requests()
    single = update_examples["witness_care"][1]
    return {
        "/api/v1/cases/{urn}": {
            "parameters": [URN],
            "put": {
                "operationId": "putCase",
                "summary": "Create or update a case",
                "description": "Creates the case if the URN is new (201), otherwise updates it (200). "
                "Fields you leave out keep their current values. Police and witness care clients can "
                "only send cases of their own force (the URN's first 2 digits).",
                "requestBody": {
                    "required": True,
                    "content": _json_content(
                        "CaseRequest", _named({"demo": ("The demo case", examples.CASE_REQUEST)})
                    ),
                },
                "responses": {
                    "200": {
                        "description": "Updated.",
                        "content": _json_content(
                            "Case", _named({"demo": ("The demo case", examples.CASE_RESPONSE)})
                        ),
                    },
                    "201": {
                        "description": "Created.",
                        "content": _json_content(
                            "Case", _named({"demo": ("A new case", examples.CASE_RESPONSE)})
                        ),
                    },
                    **_errors("400", "413", "415"),
                },
            },
        },
        "/api/v1/cases/{urn}/victims": {
            "parameters": [URN],
            "post": {
                "operationId": "addVictim",
                "summary": "Add a victim to a case",
                "description": "Adds a victim with their contact details, your reference for them, their "
                "enhanced-rights status and what they told you at reporting about contact and needs. "
                "The same agency_person_reference on the same case returns the victim already there (200).",
                "requestBody": {
                    "required": True,
                    "content": _json_content(
                        "VictimRequest",
                        _named({"new": ("A second victim on the demo case", examples.VICTIM_REQUEST)}),
                    ),
                },
                "responses": {
                    "201": {
                        "description": "Added.",
                        "content": _json_content(
                            "Victim", _named({"new": ("Added", examples.VICTIM_RESPONSE)})
                        ),
                    },
                    "200": {
                        "description": "Already on the case: the existing victim.",
                        "content": _json_content(
                            "Victim", _named({"existing": ("Already there", examples.VICTIM_RESPONSE)})
                        ),
                    },
                    **_errors("400", "413", "415"),
                },
            },
        },
        "/api/v1/cases/{urn}/updates": {
            "parameters": [URN],
            "post": {
                "operationId": "sendUpdates",
                "summary": "Send one update, or a batch",
                "description": "Each update has your own event_id, a type from the vocabulary, when it "
                "happened, when your agency had the information (the Victims' Code clock starts then) "
                'and the typed details for its type. A batch ({"updates": [...]}, up to 100) is all '
                "or nothing. Sending an event_id again returns the update stored the first time (200) "
                "and stores nothing. `supersedes` corrects an earlier update of yours.",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"oneOf": [{"$ref": REF + "Update"}, {"$ref": REF + "UpdateBatch"}]},
                            "examples": _named(
                                {
                                    **{
                                        f"{agency}": (summary, item)
                                        for agency, (summary, item) in update_examples.items()
                                    },
                                    "batch": ("A batch from witness care", examples.batch_request()),
                                    "correction": (
                                        "A correction of the witness care update",
                                        examples.correction_request(),
                                    ),
                                }
                            ),
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": 'Stored (a single update, or {"updates": [...]} for a batch).',
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [{"$ref": REF + "StoredUpdate"}, {"$ref": REF + "StoredUpdates"}]
                                },
                                "examples": _named(
                                    {
                                        "witness_care": (
                                            "Stored",
                                            stored_example(single, "witness_care", examples.UPDATE_ID),
                                        )
                                    }
                                ),
                            }
                        },
                    },
                    "200": {
                        "description": "A replay: every event_id was stored before; nothing new was stored.",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [{"$ref": REF + "StoredUpdate"}, {"$ref": REF + "StoredUpdates"}]
                                },
                                "examples": _named(
                                    {
                                        "replay": (
                                            "The first result",
                                            stored_example(single, "witness_care", examples.UPDATE_ID),
                                        )
                                    }
                                ),
                            }
                        },
                    },
                    **_errors("400", "413", "415"),
                },
            },
        },
        "/api/v1/cases/{urn}/victims/{victim_id}/preferences": {
            "parameters": [URN, VICTIM_ID],
            "get": {
                "operationId": "getPreferences",
                "summary": "Read a victim's current preferences and needs",
                "description": "What the victim wants now (recorded once, for every agency), when it last "
                "changed and who changed it. Use `safe_channels` only: never contact them another way. "
                "`court` holds the dates they cannot go to court and the help they need there, for this "
                "case, with its own version.",
                "responses": {
                    "200": {
                        "description": "The current preferences.",
                        "content": _json_content(
                            "PreferencesResponse",
                            _named({"demo": ("The demo victim", examples.PREFERENCES_RESPONSE)}),
                        ),
                    },
                    **_errors(),
                },
            },
        },
        "/api/v1/cases/{urn}/contacts": {
            "parameters": [URN],
            "put": {
                "operationId": "putContacts",
                "summary": "Set the named contacts of a case",
                "description": "Who the victim can reach about the case, how and when: the officer in "
                "the case (set by the police), the witness care officer (set by witness care or the CPS) "
                "and the Victim Liaison Officer (set by probation). Each entry sets or replaces the "
                "contact in its role; a null name clears it; roles left out are kept. With victim_id, "
                "the contacts are for that victim only, and for them replace the case's in the same "
                "role (a Victim Liaison Officer works with each victim). All or nothing: if any entry "
                "is wrong, nothing is changed and every problem is listed. Answers with every contact "
                "of the case now.",
                "requestBody": {
                    "required": True,
                    "content": _json_content("ContactsRequest", _named(examples.CONTACTS_REQUESTS)),
                },
                "responses": {
                    "200": {
                        "description": "Set: every named contact of the case now.",
                        "content": _json_content(
                            "Contacts", _named({"demo": ("The demo case", examples.CONTACTS_RESPONSE)})
                        ),
                    },
                    **_errors("400", "413", "415"),
                },
            },
            "get": {
                "operationId": "getContacts",
                "summary": "Read the named contacts of a case",
                "description": "Every named contact of the case, by role: those for every victim "
                "(victim_id null), then those for one victim.",
                "responses": {
                    "200": {
                        "description": "The contacts.",
                        "content": _json_content(
                            "Contacts", _named({"demo": ("The demo case", examples.CONTACTS_RESPONSE)})
                        ),
                    },
                    **_errors(),
                },
            },
        },
        "/api/v1/cases/{urn}/communications": {
            "parameters": [URN],
            "get": {
                "operationId": "getCommunications",
                "summary": "Read the communications log of a case",
                "description": "For each victim and each update: what they were told, when, by which "
                "channel, the delivery status, and whether it met the Victims' Code deadline.",
                "responses": {
                    "200": {
                        "description": "The log.",
                        "content": _json_content(
                            "Communications",
                            _named({"demo": ("The demo case", examples.COMMUNICATIONS_RESPONSE)}),
                        ),
                    },
                    **_errors(),
                },
            },
        },
        **request_paths(),
        **court_needs_paths(),
        **_message_paths(),
    }


def _message_paths() -> dict[str, Any]:
    """Secure messages (portal/api/openapi_messages.py, which uses this module's helpers)."""
    from portal.api import openapi_messages

    return openapi_messages.message_paths()


def request_paths() -> dict[str, Any]:
    """Victims' requests: what an agency must answer, and moving each through its statuses."""
    return {
        "/api/v1/requests": {
            "get": {
                "operationId": "listRequests",
                "summary": "List the victims' requests your agency must answer",
                "description": "Reviews of decisions, Victim Personal Statements and complaints made to "
                "your agency (police and witness care: on your force's cases), with what the victim said, "
                "the dates to acknowledge and answer by and every status so far; oldest change first. "
                "Poll: send the `next_since` of your last call as `since` to have only what changed "
                "after it (a new request, a status changed by an officer, a request withdrawn by the "
                "victim). Complaints about the portal itself are never listed.",
                "parameters": _query_parameters(),
                "responses": {
                    "200": {
                        "description": "The requests.",
                        "content": _json_content(
                            "Requests", _named({"police": ("The demo review", examples.REQUESTS_RESPONSE)})
                        ),
                    },
                    **_errors("400"),
                },
            },
        },
        "/api/v1/requests/{id}/status": {
            "parameters": [REQUEST_ID],
            "post": {
                "operationId": "setRequestStatus",
                "summary": "Acknowledge, consider or answer a victim's request",
                "description": "Moves the request forward: acknowledged, in-progress, answered (with the "
                "outcome in words for the victim, and in Welsh if you have it). Any step may be skipped; "
                "a status never goes back, and nothing changes once it is answered or the victim withdrew "
                "it (400, saying why). The victim is told discreetly that there is news and reads it "
                "when they sign in. Another agency's or force's request answers 404, as an unknown id does.",
                "requestBody": {
                    "required": True,
                    "content": _json_content("RequestStatusChange", _named(examples.REQUEST_STATUS_CHANGES)),
                },
                "responses": {
                    "200": {
                        "description": "Changed: the request now.",
                        "content": _json_content(
                            "Request", _named({"answered": ("Answered", examples.REQUEST_STATUS_RESPONSE)})
                        ),
                    },
                    **_errors("400", "413", "415"),
                },
            },
        },
        "/api/v1/requests/{id}/document": {
            "parameters": [REQUEST_ID],
            "get": {
                "operationId": "getRequestDocument",
                "summary": "Download the document sent with a Victim Personal Statement",
                "description": "The file the victim uploaded with their statement (its name and type are "
                "in the request's `answers.document`), exactly as they sent it: a PDF or a Word document "
                "(.docx), checked by its content when uploaded. A download, not to be cached or shown "
                "in a browser. A request that is not yours, or has no document (another kind, or a "
                "statement written in the portal), answers 404. Every download is audited.",
                "responses": {
                    "200": {
                        "description": "The document.",
                        "headers": {
                            "Content-Disposition": {
                                "description": "attachment, with the file's name as the victim gave it.",
                                "schema": {"type": "string"},
                            }
                        },
                        "content": {
                            media: {"schema": {"type": "string", "format": "binary"}}
                            for media in ("application/pdf", DOCX_MEDIA_TYPE)
                        },
                    },
                    **_errors(),
                },
            },
        },
    }


DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def court_needs_paths() -> dict[str, Any]:
    """Victims' dates to avoid and needs at court, as a feed of changes."""
    query = components()["CourtNeedsChangesQuery"]["properties"]
    return {
        "/api/v1/court-needs/changes": {
            "get": {
                "operationId": "listCourtNeedsChanges",
                "summary": "List changes to victims' dates to avoid and needs at court",
                "description": "Every change a victim (or an officer or support worker for them) made to "
                "the dates they cannot go to court and the help they need there, on the cases you may read "
                "(police and witness care: your force's cases; the CPS and probation: all), oldest first: "
                "what changed, who changed it and the record as it now stands. Poll: send the "
                "`next_since` of your last call as `since` to have only the changes made after it; each "
                "change is listed once. The latest record is also in GET "
                ".../preferences (`court`).",
                "parameters": [
                    {
                        "name": name,
                        "in": "query",
                        "required": False,
                        "description": schema["description"],
                        "schema": schema,
                    }
                    for name, schema in query.items()
                ],
                "responses": {
                    "200": {
                        "description": "The changes.",
                        "content": _json_content(
                            "CourtNeedsChanges",
                            _named(
                                {"witness_care": ("A victim's change", schemas_court_needs.CHANGES_EXAMPLE)}
                            ),
                        ),
                    },
                    **_errors("400"),
                },
            },
        },
    }


def document(base_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Updates about your case: agency API",
            "version": "1.0.0",
            "description": examples.INTRODUCTION,
        },
        "servers": [{"url": base_url.rstrip("/")}],
        "security": [{"bearerAuth": []}],
        "paths": paths(),
        "components": {
            "schemas": components(),
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A JWT signed with HS256 using your key's secret: iss = your client id, "
                    "iat = now (within 30 seconds), jti = a new unique id for every request.",
                }
            },
            "responses": {f"Error{code}": _error_response(code) for code in ERROR_RESPONSES},
        },
    }


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def reference(base_url: str) -> dict[str, Any]:
    """What the reference page shows, taken from the OpenAPI document."""
    doc = document(base_url)
    operations = []
    for path, item in doc["paths"].items():
        for method in ("put", "post", "get"):
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            responses = []
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    continue
                content = response.get("content", {}).get("application/json", {})
                named: dict[str, dict[str, Any]] = content.get("examples", {})
                first: dict[str, Any] = next(iter(named.values()), {})
                shown = first.get("value")
                responses.append(
                    {
                        "status": status,
                        "description": response["description"],
                        "example": _pretty(shown) if shown is not None else None,
                    }
                )
            operations.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation["summary"],
                    "description": operation["description"],
                    "requests": [
                        {"summary": example["summary"], "body": _pretty(example["value"])}
                        for example in body.get("examples", {}).values()
                    ],
                    "responses": responses,
                    "errors": sorted(status for status, r in operation["responses"].items() if "$ref" in r),
                }
            )
    event_types = [
        {
            "code": event.code,
            "title": str(event.title),
            "agencies": [str(a) for a in event.agencies],
            "days": "none"
            if event.standard_days is None
            else f"{event.standard_days} / {event.enhanced_days}"
            + (" (unconfirmed: configurable)" if event.unconfirmed else ""),
            "urgent": event.urgent,
            "required": event.details_schema.get("required", []),
            "fields": sorted(event.details_schema.get("properties", {})),
            "example": _pretty(event.details_schema.get("examples", [{}])[0]),
        }
        for event in vocabulary.EVENT_TYPES.values()
    ]
    return {
        "base_url": base_url.rstrip("/"),
        "operations": operations,
        "event_types": event_types,
        "errors": [
            {"status": code, "error": name, "description": text}
            for code, (name, text) in ERROR_RESPONSES.items()
        ],
        "python_example": examples.python_example(base_url.rstrip("/")),
        "demo_keys": examples.demo_keys(),
        "demo_victim_id": examples.DEMO_VICTIM_ID,
        "demo_urn": examples.DEMO_URN,
        "contact_roles": [
            {"role": role, "label": str(contacts.ROLE_LABELS[role]), "set_by": list(contacts.SET_BY[role])}
            for role in contacts.CONTACT_ROLES
        ],
    }
