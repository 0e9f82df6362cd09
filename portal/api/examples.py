"""Examples for the OpenAPI document and the reference page. They use the demo data (`flask seed`): the
demo case URN, the demo victim's fixed id, real event types and the demo keys, so each one works as it
stands. The tests send every request example to a seeded portal."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

from portal.api.schemas_read import PREFERENCES_EXAMPLE
from portal.services import demo_data
from portal.services.agency_api import clients as api_clients
from portal.services.secure_messages import demo as messages_demo
from portal.services.secure_messages import threads as message_threads
from portal.services.vocabulary import deadlines

DEMO_URN = demo_data.DEMO_CASE_URN
DEMO_VICTIM_ID = demo_data.DEMO_VICTIM_ID
UPDATE_ID = "3f6c2a9e-8b1d-4c55-9e0a-6d2f1b7c4e10"
CREATED_AT = "2026-11-27T09:30:01Z"

INTRODUCTION = (
    "Police, CPS, witness care and probation systems send cases, victims and updates to the victims' "
    "portal, and read back each victim's preferences and needs and what they were told. Authenticate "
    "as with GOV.UK Notify: a JWT signed with HS256 using your API key's secret, sent as "
    "`Authorization: Bearer <JWT>`. Errors have Notify's shape: "
    '`{"status_code": 400, "errors": [{"error": "ValidationError", "message": "..."}]}`.'
)

ERROR_MESSAGES = {
    "400": "updates[0].details.hearing_at: is not a valid date-time",
    "401": "Unauthorized: authentication token must be provided",
    "403": "Error: your system clock must be accurate to within 30 seconds (iat is too old or in the future)",
    "404": "Not found: no such resource, or it is outside what this API client can see",
    "413": "Request body too large: the limit is 262144 bytes",
    "415": "Content-Type must be application/json",
    "429": "Exceeded rate limit for this API client: 3000 per 1 minute",
    "500": "Internal server error. Quote the request id 4c1f0e9b2a7d4e6f8a9b0c1d2e3f4a5b if you report it",
    "503": "Service unavailable. Try again later",
}

CASE_REQUEST = {"offence": "Assault", "reported_on": "2026-03-02"}
CASE_RESPONSE = {
    "urn": DEMO_URN,
    "force_code": "01",
    "offence": "Assault",
    "crn": None,
    "reported_on": "2026-03-02",
    "status": "open",
    "created_at": "2026-11-27T09:00:00Z",
    "updated_at": "2026-11-27T09:30:00Z",
}

VICTIM_REQUEST = {
    "given_name": "Alex",
    "family_name": "Example",
    "email": "alex@demo.example",
    "phone": "07700900456",
    "address": {"line_1": "2 Demo Street", "town": "Exampletown", "postcode": "EX1 1AB"},
    "agency_person_reference": "DEMO-PERSON-2",
    "enhanced_rights": True,
    "enhanced_reason": "Vulnerable or intimidated victim",
    "preferences": copy.deepcopy(PREFERENCES_EXAMPLE),
}
VICTIM_RESPONSE = {
    "id": "9b0d7c6e-2f4a-4e1b-8c3d-5a6f7e8d9c0b",
    **{key: VICTIM_REQUEST[key] for key in ("given_name", "family_name", "email", "phone", "address")},
    "agency_person_reference": "DEMO-PERSON-2",
    "enhanced_rights": True,
    "enhanced_reason": "Vulnerable or intimidated victim",
    "added_at": "2026-11-27T09:30:00Z",
}

_OCCURRED = "2026-11-26T14:30:00Z"
_RECEIVED = "2026-11-26T15:00:00Z"


def _update(event_id: str, code: str, details: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": code,
        "occurred_at": _OCCURRED,
        "received_at": _RECEIVED,
        "details": details,
        **extra,
    }


def update_requests() -> dict[str, tuple[str, dict[str, Any]]]:
    """One update from each agency, by agency: (summary, body)."""
    return {
        "police": (
            "From the police",
            _update(
                "POL01-2026-000311",
                "investigation-update",
                {
                    "next_update_by": "2026-12-11",
                    "officer_name": "DC Sam Patel",
                    "officer_contact": "01632 960 201",
                },
            ),
        ),
        "cps": (
            "From the CPS",
            _update(
                "CPS-2026-004417",
                "charge-altered",
                {
                    "charges": ["assault by beating"],
                    "reason": "the medical evidence does not show an injury serious enough for the original charge",
                    "meeting_offered": True,
                },
            ),
        ),
        "witness_care": (
            "From witness care",
            _update(
                "WCU01-2026-000457",
                "hearing-changed",
                {
                    "hearing_at": "2027-02-01T10:00:00+00:00",
                    "court_name": "Exampletown Crown Court",
                    "court_address": "2 Demo Street, Exampletown",
                    "hearing_type": "other",
                    "previous_hearing_at": "2027-01-18T10:00:00+00:00",
                    "reason": "the court needs the courtroom for a longer trial",
                },
                message="Witness care will call you this week to talk about the new date.",
                # The same words in Welsh, for victims who chose Welsh (optional).
                message_cy="Bydd yr Uned Gofal Tystion yn eich ffonio'r wythnos hon i siarad am y dyddiad newydd.",
            ),
        ),
        "probation": (
            "From probation",
            _update("PRB-2026-000912", "release-date-set", {"release_date": "2027-09-10"}),
        ),
    }


def batch_request() -> dict[str, Any]:
    return {
        "updates": [
            _update(
                "WCU01-2026-000460",
                "witness-required",
                {
                    "hearing_at": "2027-02-01T10:00:00+00:00",
                    "court_name": "Exampletown Crown Court",
                    "special_measures": ["a screen so you do not see the defendant"],
                    "pre_trial_visit_offered": True,
                },
            ),
            _update(
                "WCU01-2026-000461",
                "bail-decision",
                {
                    "decision": "bail-granted",
                    "bail_conditions": ["not to contact you"],
                    "bail_until": "2027-02-01",
                },
            ),
        ]
    }


def correction_request() -> dict[str, Any]:
    corrected = copy.deepcopy(update_requests()["witness_care"][1])
    corrected["event_id"] = "WCU01-2026-000458"
    corrected["details"]["hearing_at"] = "2027-02-01T14:00:00+00:00"
    corrected["supersedes"] = "WCU01-2026-000457"
    return corrected


PREFERENCES_RESPONSE = {
    "victim_id": DEMO_VICTIM_ID,
    "recorded": True,
    "version": 1,
    "last_changed_at": "2026-03-02T10:00:00Z",
    "last_changed_by": "Sam Sample",
    "last_changed_by_role": "victim",
    "last_change_source": "victim online",
    "changed_fields": ["channels", "safe.email"],
    "preferences": {"channels": ["email"], "safe": {"email": True}, "language": "en"},
    "contact_status": {"email": "verified", "phone": "unverified", "address": "unverified"},
    "safe_channels": ["email"],
}

COMMUNICATIONS_RESPONSE = {
    "urn": DEMO_URN,
    "communications": [
        {
            "victim_id": DEMO_VICTIM_ID,
            "update": {
                "id": UPDATE_ID,
                "event_id": None,
                "type": "hearing-scheduled",
                "title": "A court hearing has been arranged",
                "agency": "witness_care",
                "occurred_at": "2026-11-03T10:00:00Z",
                "received_at": "2026-11-03T10:00:00Z",
                "code_deadline": "2026-11-04",
                "superseded": False,
            },
            "told_at": "2026-11-03T10:05:12Z",
            "told_by": "email",
            "met_code_deadline": True,
            "deliveries": [
                {
                    "channel": "email",
                    "to": "victim",
                    "status": "delivered",
                    "queued_at": "2026-11-03T10:00:01Z",
                    "sent_at": "2026-11-03T10:00:03Z",
                    "delivered_at": "2026-11-03T10:05:12Z",
                }
            ],
        }
    ],
}


def _contact(role: str, name: str, phone: str, email: str, when: str) -> dict[str, Any]:
    return {"role": role, "name": name, "phone": phone, "email": email, "when_to_reach": when}


CONTACTS_REQUESTS: dict[str, tuple[str, dict[str, Any]]] = {
    "police": (
        "The officer in the case, from the police",
        {
            "contacts": [
                _contact(
                    "officer-in-case",
                    "DC Sam Patel",
                    "01632 960 201",
                    "sam.patel@example.police.uk",
                    "Monday to Friday, 8am to 6pm",
                )
            ]
        },
    ),
    "witness_care": (
        "The witness care officer, from witness care",
        {
            "contacts": [
                _contact(
                    "witness-care-officer",
                    "Olive Officer",
                    "01632 960 345",
                    "witness.care@example.police.uk",
                    "Monday to Friday, 9am to 5pm. Leave a message out of hours and we will call you back",
                )
            ]
        },
    ),
    "probation": (
        "A Victim Liaison Officer for one victim, from probation",
        {
            "victim_id": DEMO_VICTIM_ID,
            "contacts": [
                _contact(
                    "victim-liaison-officer",
                    "Jordan Ellis",
                    "01632 960 512",
                    "jordan.ellis@example.probation.gov.uk",
                    "Tuesday to Thursday, 10am to 4pm",
                )
            ],
        },
    ),
    # Sent by the police (the tests send examples not named after an agency as the police).
    "clear": (
        "Clearing the officer in the case, from the police",
        {"contacts": [{"role": "officer-in-case", "name": None}]},
    ),
}

CONTACTS_RESPONSE = {
    "urn": DEMO_URN,
    "contacts": [
        {
            "role": "officer-in-case",
            "role_label": "Officer in the case",
            "name": "DC Sam Patel",
            "phone": "+441632960201",
            "email": "sam.patel@example.police.uk",
            "when_to_reach": "Monday to Friday, 8am to 6pm",
            "victim_id": None,
            "updated_at": CREATED_AT,
            "updated_by": "Demo police",
        },
        {
            "role": "witness-care-officer",
            "role_label": "Witness care officer",
            "name": "Olive Officer",
            "phone": "+441632960345",
            "email": "witness.care@example.police.uk",
            "when_to_reach": "Monday to Friday, 9am to 5pm. Leave a message out of hours and we will call you back",
            "victim_id": None,
            "updated_at": CREATED_AT,
            "updated_by": "Demo witness care",
        },
        {
            "role": "victim-liaison-officer",
            "role_label": "Victim Liaison Officer",
            "name": "Jordan Ellis",
            "phone": "+441632960512",
            "email": "jordan.ellis@example.probation.gov.uk",
            "when_to_reach": "Tuesday to Thursday, 10am to 4pm",
            "victim_id": DEMO_VICTIM_ID,
            "updated_at": CREATED_AT,
            "updated_by": "Demo probation",
        },
    ],
}


# Victims' requests: the demo review, as the police's system reads it and answers it.
DEMO_REVIEW_ID = demo_data.DEMO_REVIEW_ID
_REVIEW_SUBMITTED = date(2025, 4, 22)
_REVIEW_HISTORY: list[dict[str, Any]] = [
    {
        "status": "received",
        "at": "2025-04-22T18:40:00Z",
        "by": "victim",
        "by_api_client_id": None,
        "note": None,
    }
]
_REVIEW: dict[str, Any] = {
    "id": DEMO_REVIEW_ID,
    "reference": demo_data.DEMO_REVIEW_REFERENCE,
    "type": "review",
    "status": "received",
    "agency": "police",
    "urn": demo_data.EARLIER_CASE_URN,
    "victim_id": DEMO_VICTIM_ID,
    "update_id": "0e6b3c5d-9a2f-4d71-8c4e-5f1a7b2d9c60",
    "supersedes": None,
    "submitted_at": "2025-04-22T18:40:00Z",
    "acknowledge_by": deadlines.add_working_days(_REVIEW_SUBMITTED, 5).isoformat(),
    "answer_by": deadlines.add_working_days(_REVIEW_SUBMITTED, 30).isoformat(),
    "acknowledged_at": None,
    "answered_at": None,
    "updated_at": "2025-04-22T18:40:00Z",
    "answers": {
        "reasons": "The officer did not speak to the neighbour who saw the person leave my house, and "
        "nobody checked the doorbell camera footage I offered.",
        "anything_else": "I can send the footage again if it helps.",
    },
    "outcome": None,
    "outcome_cy": None,
    "history": _REVIEW_HISTORY,
}
REQUESTS_RESPONSE = {"requests": [_REVIEW], "next_since": "2025-04-22T18:40:00Z", "more": False}

_ACKNOWLEDGE = {
    "status": "acknowledged",
    "note": "We have your request. An inspector who was not involved in the decision will review it.",
}
_ANSWER = {
    "status": "answered",
    "decision": "overturned",
    "note": "The review is finished.",
    "outcome": "The reviewing officer agreed that the doorbell footage should have been looked at. The "
    "investigation has been reopened and PC Jo Hughes will contact you within 5 working days.",
    "outcome_cy": "Cytunodd y swyddog a adolygodd y penderfyniad y dylid bod wedi edrych ar y fideo o gloch y "
    "drws. Mae'r ymchwiliad wedi'i ailagor a bydd PC Jo Hughes yn cysylltu â chi o fewn 5 diwrnod gwaith.",
}
# Sent in this order, by the police (the tests send examples not named after an agency as the police).
REQUEST_STATUS_CHANGES: dict[str, tuple[str, dict[str, Any]]] = {
    "acknowledge": ("Acknowledging the demo review, from the police", _ACKNOWLEDGE),
    "answer": ("Answering it, with the outcome in English and Welsh", _ANSWER),
}
_CLIENT_ID = "5d2c7e90-4b1a-4f3e-8a6d-2c9b0e7f1a48"
REQUEST_STATUS_RESPONSE = {
    **_REVIEW,
    "status": "answered",
    "acknowledged_at": "2026-11-27T09:30:00Z",
    "answered_at": "2026-11-27T10:15:00Z",
    "updated_at": "2026-11-27T10:15:00Z",
    "outcome": _ANSWER["outcome"],
    "outcome_cy": _ANSWER["outcome_cy"],
    "history": [
        *_REVIEW_HISTORY,
        {
            "status": "acknowledged",
            "at": "2026-11-27T09:30:00Z",
            "by": "agency system",
            "by_api_client_id": _CLIENT_ID,
            "note": _ACKNOWLEDGE["note"],
        },
        {
            "status": "answered",
            "at": "2026-11-27T10:15:00Z",
            "by": "agency system",
            "by_api_client_id": _CLIENT_ID,
            "note": _ANSWER["note"],
        },
    ],
}


# Secure messages: the demo victim's message to the Victim Liaison Officer, as probation's system reads it
# and answers it.
DEMO_MESSAGE_ID = messages_demo.DEMO_MESSAGE_ID
DEMO_ATTACHMENT_ID = messages_demo.DEMO_ATTACHMENT_ID
_MESSAGE_WRITTEN = messages_demo.DEMO_MESSAGE_WRITTEN
_MESSAGE: dict[str, Any] = {
    "id": DEMO_MESSAGE_ID,
    "thread_reference": messages_demo.DEMO_THREAD_REFERENCE,
    "urn": DEMO_URN,
    "victim_id": DEMO_VICTIM_ID,
    "to": "victim-liaison-officer",
    "subject": messages_demo.DEMO_SUBJECT,
    "body": messages_demo.DEMO_BODY,
    "author": "Sam Sample",
    "attachments": [
        {
            "id": messages_demo.DEMO_ATTACHMENT_ID,
            "filename": messages_demo.DEMO_ATTACHMENT_NAME,
            "content_type": "application/pdf",
            "size": len(messages_demo.demo_pdf()),
            "url": f"/api/v1/messages/{DEMO_MESSAGE_ID}/attachments/{messages_demo.DEMO_ATTACHMENT_ID}",
        }
    ],
    "written_at": "2026-11-26T18:05:00Z",
    "reply_due": deadlines.add_working_days(
        _MESSAGE_WRITTEN.date(), message_threads.DEFAULT_REPLY_DAYS
    ).isoformat(),
    "replied_at": None,
}
MESSAGES_RESPONSE = {"messages": [_MESSAGE], "next_since": "2026-11-26T18:05:00Z", "more": False}
_MESSAGE_REPLY = {
    "body": "Thank you for your message, and for the letter. He will have licence conditions that stop him "
    "contacting you and going to your street. I will call you on Tuesday to explain them.",
    "author": "Victim Liaison Officer Jordan Ellis",
}
# Sent by probation (the tests send an example named after an agency as that agency).
MESSAGE_REPLIES: dict[str, tuple[str, dict[str, Any]]] = {
    "probation": ("The Victim Liaison Officer answers the demo victim", _MESSAGE_REPLY),
}
MESSAGE_REPLY_RESPONSE = {
    "id": "f1c7a3e9-5b2d-4a86-9e04-2d6b8f1c7a35",
    "in_reply_to": DEMO_MESSAGE_ID,
    "thread_reference": messages_demo.DEMO_THREAD_REFERENCE,
    "urn": DEMO_URN,
    "victim_id": DEMO_VICTIM_ID,
    **_MESSAGE_REPLY,
    "written_at": "2026-11-27T10:15:00Z",
}


def demo_keys() -> list[dict[str, str]]:
    return [
        {"agency": demo.agency, "name": demo.name, "force_code": demo.force_code or "", "key": demo.key}
        for demo in api_clients.DEMO_CLIENTS
    ]


def python_example(base_url: str) -> str:
    key = api_clients.demo_client("witness_care").key
    body = update_requests()["witness_care"][1]
    lines = json.dumps(body, indent=4, ensure_ascii=False)  # no true/false/null: valid Python as well
    return f'''import time
import uuid

import jwt  # pip install PyJWT
import requests

BASE_URL = "{base_url}"
API_KEY = "{key}"  # keep your key secret

CLIENT_ID, SECRET = API_KEY[-73:-37], API_KEY[-36:]


def auth_headers():
    """A new token for every request: iss is your client id, iat now, jti unique."""
    claims = {{"iss": CLIENT_ID, "iat": int(time.time()), "jti": str(uuid.uuid4())}}
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    return {{"Authorization": f"Bearer {{token}}"}}


update = {lines}

response = requests.post(
    f"{{BASE_URL}}/api/v1/cases/{DEMO_URN}/updates", json=update, headers=auth_headers(), timeout=30
)
print(response.status_code, response.json())
'''
