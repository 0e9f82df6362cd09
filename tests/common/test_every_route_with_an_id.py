"""SECURITY.md item 11 over every route that takes an id: someone else's id gives a 404, for every role.

The routes are read from the app's `url_map`, never listed by hand: every rule with a variable is either
requested here or in ALLOWED with the reason it may take an id from anyone. Each variable is filled from
SOMEONE_ELSE, the records that belong to someone other than the person asking (another victim, another
unit's case, another organisation's delegation, an expired or a revoked one, another person's
invitation...); a variable with no such value fails the test, naming the route, so a new route cannot
slip past. Each (route, role) is one test: the demo victim, the demo witness care officer (force 01),
the demo support worker, the admin, and a visitor who is signed out.

Each request is made with GET and, where the route takes it, POST with a valid CSRF token (every other
method too). A signed-in role must get a 404 (not a 403, which would confirm the record exists); a
signed-out visitor must be sent to sign in. No page on the way, redirects followed, may show the other
person's name or case reference. So that a 404 means "not yours" rather than "no such page", a route
that answers GET is first opened by the role whose blueprint it is (OWNER) with that role's own ids
(OWN), where it has them, and must answer 200.

The world is built once per module and database (the tests only read: every request is refused), so the
whole matrix stays fast.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select
from werkzeug.routing import Rule

from notifications.base import metadata
from portal import create_app
from portal.extensions import db, limiter
from portal.models import (
    AccessibleFormatTask,
    Case,
    Delegation,
    Invitation,
    OrganisationKind,
    Role,
    User,
    Victim,
)
from portal.models.messages import TO_WITNESS_CARE
from portal.models.statement_drafts import StatementDocument
from portal.models.victim_requests import COMPLAINT, REVIEW, SERVICE
from portal.services import demo_data
from portal.services.accounts import invitations
from portal.services.accounts.users import signed_in_user
from portal.services.agency_api.clients import demo_client
from portal.services.delegation.rules import SCOPES
from portal.services.requests import lifecycle
from portal.services.secure_messages import attachments, threads
from tests.support import demo
from tests.support.builders import (
    create_case,
    create_delegation,
    create_organisation,
    create_preferences_version,
    create_user,
    create_victim,
    create_victim_in_two_forces,
)
from tests.support.pages import csrf_from, page_text
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import signed_in

pytestmark = pytest.mark.security(11)

VICTIM, OFFICER, SUPPORT_WORKER, ADMIN = "victim", "officer", "support-worker", "admin"
SIGNED_OUT = "signed-out"
ROLES = (VICTIM, OFFICER, SUPPORT_WORKER, ADMIN, SIGNED_OUT)
EVERYONE = frozenset(ROLES)
EMAIL = {VICTIM: demo.VICTIM, OFFICER: demo.OFFICER, SUPPORT_WORKER: demo.SUPPORT_WORKER, ADMIN: demo.ADMIN}
# A page each signed-in role can open (it carries a CSRF token, in the session timeout dialog).
HOME = {VICTIM: "/cases", OFFICER: "/staff/review", SUPPORT_WORKER: "/support", ADMIN: "/admin/users"}
# Whose pages each blueprint's are: that role opens the route with its own ids first (the control).
OWNER = {"victim": VICTIM, "staff": OFFICER, "support": SUPPORT_WORKER, "admin": ADMIN}

PAT_URN = "02CD1111125"  # create_other_unit: Pat Placeholder, force 02
NIA_URN = "01CD3333326"  # Nia Newperson, another victim of the demo unit (force 01)
ELLIS_URN, REMY_URN, ORLA_URN, CLEO_URN, IVY_URN = (
    "02EX1111126",
    "02RV1111126",
    "02OO1111126",
    "02CL1111126",
    "02IV1111126",
)
TESS_URN_02 = "02TF2222226"  # builders.create_victim_in_two_forces: Tess's case in force 02
NOTE_FILE_MARKER = "For the unit only"  # in the content of the file on an internal note

# --- What the ids may be -------------------------------------------------------------------------------

# Rules that take an id from anyone, or whose variable names no record: (the roles it applies to, why).
_API = (
    "the agency API: a JWT per agency client, no session; its scoping to the client's force is tested in "
    "tests/agency_api/ (test_auth.py, test_refusals.py)"
)
_OWN_FORM_PAGE = (
    "the variable names a step of the signed-in victim's own form, never a record: there is nobody else's "
    "value to give (who may open the form: tests/accounts/test_role_access.py)"
)
_STATIC = "a static file, the same for everyone"
ALLOWED: dict[str, tuple[frozenset[str], str]] = {
    # Bearer links: the random single-use token is the only credential, whoever holds it; opening one
    # signs the visitor out. Single use, expiry and reuse: tests/accounts/test_invitations.py and
    # test_password_reset.py.
    "/invitation/<token>": (
        EVERYONE,
        "a public invitation link: the random single-use token is the credential",
    ),
    "/password-reset/<token>": (
        EVERYONE,
        "a public reset link: the random single-use token is the credential",
    ),
    "/static/<path:filename>": (EVERYONE, _STATIC),
    "/language/<code>": (
        EVERYONE,
        "a language (en or cy) to show the portal in, kept in the visitor's own session: no one's record",
    ),
    "/assets/<path:filename>": (EVERYONE, _STATIC),
    "/api/v1/static/<path:filename>": (EVERYONE, _STATIC + " (the API documentation's)"),
    "/api/<path:path>": (EVERYONE, "the API's catch-all: a JSON 404 for any path the API does not have"),
    "/api/v1/cases/<urn>": (EVERYONE, _API),
    "/api/v1/cases/<urn>/communications": (EVERYONE, _API),
    "/api/v1/cases/<urn>/contacts": (EVERYONE, _API),
    "/api/v1/cases/<urn>/updates": (EVERYONE, _API),
    "/api/v1/cases/<urn>/victims": (EVERYONE, _API),
    "/api/v1/cases/<urn>/victims/<victim_id>/preferences": (EVERYONE, _API),
    "/api/v1/requests/<request_id>/status": (
        EVERYONE,
        "the agency API (a JWT, no session): another agency's or force's request is the same 404 as an "
        "unknown id, tested in tests/requests/test_api.py",
    ),
    "/api/v1/requests/<request_id>/document": (
        EVERYONE,
        "the agency API (a JWT, no session): only the agency a statement is for may read its document, "
        "tested in tests/requests/test_api_document.py",
    ),
    "/api/v1/messages/<message_id>/replies": (
        EVERYONE,
        "the agency API (a JWT, no session): another agency's or force's message, a reply or a note is the "
        "same 404 as an unknown id, tested in tests/secure_messages/test_api.py",
    ),
    "/api/v1/messages/<message_id>/attachments/<attachment_id>": (
        EVERYONE,
        "the agency API (a JWT, no session): a file of a message another agency or force answers, or of "
        "another message, is a 404, tested in tests/secure_messages/test_api.py",
    ),
    "/complaint/about-this-website/<step>": (EVERYONE, _OWN_FORM_PAGE),
    "/people-helping-you/new/<step>": (EVERYONE, _OWN_FORM_PAGE),
    "/preferences/<section>/<step_name>": (EVERYONE, _OWN_FORM_PAGE),
    "/preferences/<section>/cancel": (EVERYONE, _OWN_FORM_PAGE),
    "/preferences/<section>/check": (EVERYONE, _OWN_FORM_PAGE),
    "/preferences/<section>/confirmation": (EVERYONE, _OWN_FORM_PAGE),
    "/preferences/<section>/start": (EVERYONE, _OWN_FORM_PAGE),
    "/preferences/confirm/<kind>": (EVERYONE, _OWN_FORM_PAGE),
    "/preferences/confirm/<kind>/send": (EVERYONE, _OWN_FORM_PAGE),
    # An admin manages every organisation and every API client (neither holds victim data); for the
    # other roles these routes are tested.
    "/admin/organisations/<int:organisation_id>/edit": (
        frozenset({ADMIN}),
        "an admin manages every organisation; an organisation holds no victim data",
    ),
    "/admin/api-clients/<client_id>/revoke": (
        frozenset({ADMIN}),
        "an admin manages every agency API client; a client holds no victim data",
    ),
}

# Variables that choose what to do with the record, not which record: every value is tried.
SELECTORS: dict[str, tuple[str, ...]] = {
    "action": ("revoke", "sign-out-everywhere", "resend-invitation", "reset-security-codes"),
    "answer": ("accept", "decline"),
    # A Victim Personal Statement for the court or for the Parole Board.
    "purpose": ("court", "parole"),
    # A step of the complaint form on someone else's case (the case is the id).
    "step": ("who", "what-happened", "what-you-want"),
}


@dataclass(frozen=True)
class SomeoneElse:
    """Records of someone other than the person asking. `values`: route variable -> key in the world's
    ids. `markers`: text that must never show (their name, their case reference). `foreign_to`: the roles
    for whom these are someone else's. `whole`: the values are wrong only together (the officer may see
    Tess, not Tess's case in another force), so only routes that take every one of them use it."""

    label: str
    values: Mapping[str, str]
    markers: tuple[str, ...]
    foreign_to: frozenset[str] = EVERYONE
    whole: bool = False


SOMEONE_ELSE: tuple[SomeoneElse, ...] = (
    SomeoneElse(
        "another unit's victim, with an account",
        {"victim_id": "pat", "urn": "pat_urn", "user_id": "pat_user"},
        ("Placeholder", PAT_URN),
    ),
    SomeoneElse(
        "another victim of the same unit, with an account",
        {"victim_id": "nia", "urn": "nia_urn", "user_id": "nia_user", "delegation_id": "nia_delegation"},
        ("Newperson", NIA_URN),
        foreign_to=EVERYONE - {OFFICER},  # Nia is on a case of the officer's unit
    ),
    SomeoneElse(
        "a client whose delegation to the worker expired",
        {"victim_id": "ellis", "urn": "ellis_urn", "delegation_id": "ellis_delegation"},
        ("Expirington", ELLIS_URN),
    ),
    SomeoneElse(
        "a request to the worker that expired unanswered",
        {"delegation_id": "ellis_request"},
        ("Expirington",),
    ),
    SomeoneElse(
        "a client who revoked the worker's delegation",
        {"victim_id": "remy", "urn": "remy_urn", "delegation_id": "remy_delegation"},
        ("Revokesby", REMY_URN),
    ),
    SomeoneElse(
        "a request to the worker that the victim withdrew", {"delegation_id": "remy_request"}, ("Revokesby",)
    ),
    SomeoneElse(
        "a victim helped by another organisation's worker",
        {"victim_id": "orla", "urn": "orla_urn", "delegation_id": "orla_delegation"},
        ("Otherorgson", ORLA_URN),
    ),
    SomeoneElse("a request to another organisation", {"delegation_id": "orla_request"}, ("Otherorgson",)),
    SomeoneElse(
        "a victim helped by a colleague (named, same organisation)",
        {"victim_id": "cleo", "urn": "cleo_urn", "delegation_id": "cleo_delegation"},
        ("Colleaguesby", CLEO_URN),
    ),
    SomeoneElse("a request named to a colleague", {"delegation_id": "cleo_request"}, ("Colleaguesby",)),
    SomeoneElse(
        "a victim invited by another unit, no account yet",
        {"victim_id": "ivy", "urn": "ivy_urn", "invitation_id": "ivy_invitation"},
        ("Invitewell", IVY_URN),
    ),
    SomeoneElse(
        "a staff member's invitation and account",
        {"invitation_id": "quinn_invitation", "user_id": "quinn_user"},
        ("Queuedstaff",),
        foreign_to=EVERYONE - {ADMIN},  # an admin manages staff accounts and their invitations
    ),
    SomeoneElse("an update on another force's case", {"update_id": "tess_update_02"}, (TESS_URN_02,)),
    SomeoneElse("another unit's accessible format task", {"task_id": "tess_task_02"}, (TESS_URN_02,)),
    SomeoneElse("another unit's victim's complaint", {"reference": "pat_reference"}, (PAT_URN,)),
    SomeoneElse(
        "another victim's review request in the same unit",
        {"reference": "nia_reference"},
        (NIA_URN,),
        foreign_to=EVERYONE - {OFFICER},  # the unit reads the reviews on its cases
    ),
    SomeoneElse(
        "the victim's own request, through a case of the unit it is not about",
        {"urn": "nia_urn", "reference": "sam_reference"},
        (NIA_URN,),
        whole=True,
    ),
    SomeoneElse("another victim's statement document", {"document_id": "pat_document"}, (PAT_URN,)),
    # Secure messages: threads and their files (the file's content names whose it is).
    SomeoneElse(
        "another unit's victim's message thread and its file",
        {"thread_id": "pat_thread", "attachment_id": "pat_attachment"},
        ("Placeholder", PAT_URN),
    ),
    SomeoneElse(
        "another victim's message thread in the same unit, and its file",
        {"thread_id": "nia_thread", "attachment_id": "nia_attachment"},
        ("Newperson", NIA_URN),
        foreign_to=EVERYONE - {OFFICER},  # the unit answers Nia's messages
    ),
    SomeoneElse(
        "the file of the unit's internal note on the victim's own thread",
        {"thread_id": "sam_thread", "attachment_id": "sam_note_attachment"},
        (NOTE_FILE_MARKER,),
        foreign_to=EVERYONE - {OFFICER},
        whole=True,
    ),
    SomeoneElse(
        "the victim's case in another force (the unit sees the victim, not that case)",
        {"victim_id": "tess", "urn": "tess_urn_02"},
        (TESS_URN_02,),
        whole=True,
    ),
    SomeoneElse(
        "a case of the unit that the victim is not on",
        {"victim_id": "sam", "urn": "nia_urn"},
        (NIA_URN,),
        whole=True,
    ),
    SomeoneElse(
        "another victim's delegation, under the victim's own id",
        {"victim_id": "sam", "delegation_id": "nia_delegation"},
        ("Newperson",),
        whole=True,
    ),
    SomeoneElse(
        "another unit's organisation record",
        {"organisation_id": "other_unit"},
        ("Other Witness Care Unit",),
        foreign_to=EVERYONE - {ADMIN},
    ),
    SomeoneElse(
        "an agency's API client",
        {"client_id": "police_client"},
        ("Demo police",),
        foreign_to=EVERYONE - {ADMIN},
    ),
)

# Each role's own ids: the context a foreign value is put in (Sam's own case, with Nia's delegation...)
# and the control that shows the route opens for its owner.
OWN: dict[str, dict[str, str]] = {
    VICTIM: {
        "urn": "sam_urn",
        "delegation_id": "sam_delegation",
        "reference": "sam_reference",
        "thread_id": "sam_thread",
        "attachment_id": "sam_attachment",
    },
    OFFICER: {
        "victim_id": "sam",
        "urn": "sam_urn",
        "delegation_id": "sam_delegation",
        "reference": "sam_reference",
        "thread_id": "sam_thread",
        "attachment_id": "sam_attachment",
    },
    SUPPORT_WORKER: {
        "victim_id": "sam",
        "urn": "sam_urn",
        "thread_id": "sam_thread",
        "attachment_id": "sam_attachment",
    },
    ADMIN: {"user_id": "officer_user", "organisation_id": "demo_unit", "client_id": "cps_client"},
    SIGNED_OUT: {},
}

# Routes whose control needs another record of the role's own than OWN gives: a request not about any case
# is opened at /requests/<reference>, one about a case only through its case.
OWN_FOR_ROUTE: dict[str, dict[str, str]] = {
    "/requests/<reference>": {"reference": "sam_service_reference"},
    "/requests/<reference>/withdraw": {"reference": "sam_service_reference"},
}

# Steps that need earlier answers: with none yet, the control is sent (302) to an earlier page about the
# same case (the first question, the summary, the case), rather than shown.
CONTROL_REDIRECTS: dict[str, str] = {
    "/cases/<urn>/complaint/check": "a check-answers page with nothing to check goes to the first question",
    "/cases/<urn>/complaint/sent": "a confirmation with nothing sent goes to the start of the journey",
    "/cases/<urn>/court-needs/check": "a check-answers page with no changes goes back to the summary",
    "/cases/<urn>/messages/new/check": "a check-answers page with nothing to check goes to the first question",
    "/cases/<urn>/messages/sent": "a confirmation with nothing sent goes to the case's messages",
}

# Holes found: (rule, role) -> what leaks. The test is xfail(strict=True) there, so it is seen, and
# fails the day the hole is closed (then remove the entry).
KNOWN_HOLES: dict[tuple[str, str], str] = {}


# --- The routes, read from the url_map ------------------------------------------------------------------


def _route_app() -> Flask:
    """An app only to read its url_map at collection (no database is opened)."""
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "sqlite://",
            "SECRET_KEY": "routes-only-" + uuid.uuid4().hex,
            "NOTIFY_CALLBACK_TOKEN": "routes-only",
            "PORTAL_BASE_URL": "http://127.0.0.1:5000",
        }
    )


VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")  # <name> or <converter:name> in a rule
RULES_WITH_VARIABLES: dict[str, Rule] = {
    rule.rule: rule
    for rule in sorted(_route_app().url_map.iter_rules(), key=str)
    if VARIABLE.search(rule.rule)
}


def _cases() -> Iterator[Any]:
    for path in RULES_WITH_VARIABLES:
        for role in ROLES:
            if path in ALLOWED and role in ALLOWED[path][0]:
                continue
            hole = KNOWN_HOLES.get((path, role))
            marks = [pytest.mark.xfail(strict=True, reason=hole)] if hole else []
            yield pytest.param(path, role, id=f"{path} as {role}", marks=marks)


def _variables(rule: Rule) -> tuple[list[str], list[str]]:
    """The rule's id variables and its selector variables, in the rule's order."""
    names = VARIABLE.findall(rule.rule)
    return [n for n in names if n not in SELECTORS], [n for n in names if n in SELECTORS]


def _applies(someone: SomeoneElse, ids: list[str], role: str) -> bool:
    if role not in someone.foreign_to:
        return False
    if someone.whole:
        return set(someone.values) <= set(ids)
    return bool(set(someone.values) & set(ids))


def _coverage_problems(path: str, role: str) -> list[str]:
    """Why this route cannot be requested with someone else's ids as this role (empty: it can)."""
    ids, _selectors = _variables(RULES_WITH_VARIABLES[path])
    known = {name for someone in SOMEONE_ELSE for name in someone.values}
    problems = [
        f"{path}: no someone-else's value for <{name}>: add one to SOMEONE_ELSE (or a selector's values "
        f"to SELECTORS, or the rule to ALLOWED with the reason)"
        for name in ids
        if name not in known
    ]
    if not problems and not any(_applies(someone, ids, role) for someone in SOMEONE_ELSE):
        problems.append(
            f"{path} as {role}: no entry in SOMEONE_ELSE is someone else's for {role}: add one, "
            "or the rule and role to ALLOWED with the reason"
        )
    return problems


# --- The world: the demo data, and someone else for every kind of id -----------------------------------


@dataclass
class World:
    ids: dict[str, Any]
    clients: dict[str, FlaskClient] = field(default_factory=dict)
    csrf_tokens: dict[str, str] = field(default_factory=dict)  # one per session, valid on every form


def _empty_all_tables(app: Flask) -> None:
    """As tests/conftest.py does before each test (this module's world lives for the module)."""
    engine = app.extensions["database"].engine
    with engine.begin() as conn:
        existing = set(inspect(conn).get_table_names())
        for table in reversed(metadata.sorted_tables):
            if table.name in existing:
                conn.execute(table.delete())


def _build(app: Flask) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        demo_data.seed(session, password=demo.DEMO_PASSWORD, totp_secret=demo.DEMO_TOTP_SECRET)
    other = create_other_unit(app)  # Pat Placeholder on force 02's case, and force 02's unit
    ids.update(pat=other["victim_id"], pat_urn=other["urn"])
    with app.app_context(), db.job() as session:

        def user(email: str) -> User:
            found = session.scalar(select(User).where(User.email == email))
            assert found is not None, email
            return found

        sam, worker, officer = user(demo.VICTIM), user(demo.SUPPORT_WORKER), user(demo.OFFICER)
        assert sam.victim_id is not None and worker.organisation_id is not None
        sam_delegation = session.scalar(select(Delegation).where(Delegation.victim_id == sam.victim_id))
        assert sam_delegation is not None
        sam_delegation.scopes = list(SCOPES)  # so the worker's control opens every client page
        other_unit = session.scalar(
            select(User.organisation_id).where(User.email == "other.officer@demo.example")
        )
        other_org = create_organisation(
            session, "Other Support Service", kind=OrganisationKind.SUPPORT_SERVICE
        )
        colleague = create_user(
            session,
            "colleague@demo.example",
            display_name="Cory Colleague",
            role=Role.SUPPORT_WORKER,
            organisation_id=worker.organisation_id,
        )
        stranger = create_user(
            session,
            "stranger@demo.example",
            display_name="Stevie Stranger",
            role=Role.SUPPORT_WORKER,
            organisation_id=other_org.id,
        )
        ids.update(
            sam=sam.victim_id,
            sam_urn=demo_data.DEMO_CASE_URN,
            sam_delegation=sam_delegation.id,
            officer_user=officer.id,
            demo_unit=officer.organisation_id,
            other_unit=other_unit,
            pat_user=user("pat@demo.example").id,
            police_client=demo_client("police").client_id,
            cps_client=demo_client("cps").client_id,
        )

        def victim(key: str, urn: str, given: str, family: str) -> Victim:
            case = create_case(session, urn, offence="Harassment")
            person = create_victim(session, given, family, case=case, email=f"{key}@demo.example")
            ids.update({key: person.id, f"{key}_urn": urn})
            return person

        def delegation(key: str, victim_id: str, **fields: Any) -> None:
            ids[key] = create_delegation(session, victim_id, **fields).id

        nia = victim("nia", NIA_URN, "Nia", "Newperson").id
        ids["nia_user"] = create_user(
            session,
            "nia@demo.example",
            display_name="Nia Newperson",
            role=Role.VICTIM,
            victim_id=nia,
            mfa_method="email",
        ).id
        delegation("nia_delegation", nia, worker=stranger.id)

        ellis = victim("ellis", ELLIS_URN, "Ellis", "Expirington").id
        ended = {"starts_at": now - timedelta(days=60), "ends_at": now - timedelta(days=1)}
        delegation("ellis_delegation", ellis, worker=worker.id, **ended)
        delegation("ellis_request", ellis, worker=worker.id, accepted=False, **ended)

        remy = victim("remy", REMY_URN, "Remy", "Revokesby").id
        revoked = {"revoked_at": now - timedelta(hours=2), "revoked_by_label": "Remy Revokesby"}
        delegation("remy_delegation", remy, worker=worker.id, **revoked)
        delegation("remy_request", remy, worker=worker.id, accepted=False, **revoked)

        orla = victim("orla", ORLA_URN, "Orla", "Otherorgson").id
        delegation("orla_delegation", orla, worker=stranger.id)
        delegation("orla_request", orla, organisation=other_org.id, accepted=False)

        cleo = victim("cleo", CLEO_URN, "Cleo", "Colleaguesby").id
        delegation("cleo_delegation", cleo, worker=colleague.id)
        delegation("cleo_request", cleo, worker=colleague.id, accepted=False)

        ivy = victim("ivy", IVY_URN, "Ivy", "Invitewell")
        create_preferences_version(session, ivy, {"channels": ["email"], "safe": {"email": True}})
        invitation = invitations.invite_victim(session, ivy, invited_by_label="Police (test)")
        assert invitation is not None
        ids["ivy_invitation"] = invitation.id

        quinn = invitations.invite_staff(
            session,
            signed_in_user(user(demo.ADMIN)).actor,
            email="quinn@demo.example",
            display_name="Quinn Queuedstaff",
            role=Role.WITNESS_CARE_OFFICER,
            organisation_id=other_unit,
        )
        ids["quinn_user"] = quinn.id
        ids["quinn_invitation"] = session.scalar(select(Invitation.id).where(Invitation.user_id == quinn.id))

        tess = create_victim_in_two_forces(session)
        ids.update(tess=tess["victim_id"], tess_urn_02=tess["urn_02"], tess_update_02=tess["update_02"])
        # An accessible format task on Tess's force-02 case: another unit's work.
        tess_case_02 = session.scalar(select(Case).where(Case.urn == tess["urn_02"]))
        assert tess_case_02 is not None
        task = AccessibleFormatTask(
            victim_id=tess["victim_id"], case_id=tess_case_02.id, update_id=tess["update_02"], kind="braille"
        )
        session.add(task)
        session.flush()
        ids["tess_task_02"] = task.id

        # Requests: the demo victim's complaint to witness care (theirs, and their unit's to answer), a
        # complaint by another unit's victim, a review by another victim of the same unit, and another
        # victim's statement document.
        ids["sam_reference"] = demo_data.DEMO_COMPLAINT_REFERENCE
        ids["sam_service_reference"] = lifecycle.submit(
            session,
            kind=COMPLAINT,
            victim_id=sam.victim_id,
            agency=SERVICE,
            answers={"what_happened": "The page timed out"},
            submitted_by_user_id=sam.id,
        ).reference
        pat_case = session.scalar(select(Case).where(Case.urn == PAT_URN))
        nia_case = session.scalar(select(Case).where(Case.urn == NIA_URN))
        assert pat_case is not None and nia_case is not None
        for key, person, case, kind, agency in (
            ("pat_reference", ids["pat"], pat_case, COMPLAINT, "witness_care"),
            ("nia_reference", nia, nia_case, REVIEW, "cps"),
        ):
            made = lifecycle.submit(
                session,
                kind=kind,
                victim_id=person,
                agency=agency,
                answers={"what_happened": "Placeholder"},
                submitted_by_user_id=None,
                case_id=case.id,
            )
            ids[key] = made.reference
        document = StatementDocument(
            victim_id=ids["pat"],
            case_id=pat_case.id,
            purpose="court",
            filename="statement.pdf",
            content_type="application/pdf",
            size=9,
            content=b"%PDF-1.7\n",
        )
        session.add(document)
        session.flush()
        ids["pat_document"] = document.id

        # Secure messages: a thread of each victim's, each with a file, and an internal note with a file on
        # the demo victim's thread.
        sam_case = session.scalar(select(Case).where(Case.urn == demo_data.DEMO_CASE_URN))
        assert sam_case is not None
        for key, person, case, name in (
            ("sam", sam.victim_id, sam_case, "Sam Sample"),
            ("pat", ids["pat"], pat_case, "Pat Placeholder"),
            ("nia", nia, nia_case, "Nia Newperson"),
        ):
            thread, message = threads.start(
                session,
                victim_id=person,
                case=case,
                recipient=TO_WITNESS_CARE,
                subject=f"A message from {name}",
                body=f"From {name} about {case.urn}",
                written_by_user_id=None,
                author_label=name,
            )
            [attached] = attachments.attach(
                session, message, [attachments.check_upload(f"{key}.pdf", f"%PDF-1.7\n% {name}\n".encode())]
            )
            ids.update({f"{key}_thread": thread.id, f"{key}_attachment": attached.id})
            if key == "sam":
                note = threads.add_note(
                    session,
                    thread,
                    body="Checked.",
                    written_by_user_id=officer.id,
                    author_label="Olive Officer",
                )
                content = f"%PDF-1.7\n% {NOTE_FILE_MARKER}\n".encode()
                [on_note] = attachments.attach(session, note, [attachments.check_upload("note.pdf", content)])
                ids["sam_note_attachment"] = on_note.id
    return ids


@pytest.fixture(scope="module")
def world(session_app: Flask) -> Iterator[World]:
    _empty_all_tables(session_app)
    limiter.reset()
    built = World(ids=_build(session_app))
    for role, email in EMAIL.items():
        built.clients[role] = signed_in(session_app, email)
    built.clients[SIGNED_OUT] = session_app.test_client()
    for role, client in built.clients.items():
        page = client.get(HOME.get(role, "/sign-in"))
        assert page.status_code == 200, (role, page.status_code)
        built.csrf_tokens[role] = csrf_from(page.get_data(as_text=True))
    yield built
    _empty_all_tables(session_app)


# --- Requests --------------------------------------------------------------------------------------------


def _fillings(path: str, role: str) -> list[tuple[SomeoneElse, dict[str, str]]]:
    """For each someone else who applies: every variable from them, and (in the role's own context) each of
    their values alone with the role's own ids for the rest. Values are keys in the world's ids."""
    ids, _selectors = _variables(RULES_WITH_VARIABLES[path])
    own = OWN[role]

    def filler(name: str) -> str:
        return next(s.values[name] for s in SOMEONE_ELSE if not s.whole and name in s.values)

    found: list[tuple[SomeoneElse, dict[str, str]]] = []
    for someone in SOMEONE_ELSE:
        if not _applies(someone, ids, role):
            continue
        theirs = [name for name in ids if name in someone.values]
        found.append(
            (someone, {name: someone.values.get(name) or own.get(name) or filler(name) for name in ids})
        )
        if someone.whole or len(ids) == 1:
            continue
        for name in theirs:
            rest = [other for other in ids if other != name]
            if all(other in own for other in rest):
                found.append((someone, {other: own[other] for other in rest} | {name: someone.values[name]}))
    return found


def _url(rule: Rule, values: Mapping[str, Any]) -> str:
    built = rule.build(dict(values), append_unknown=False)
    assert built is not None, (rule.rule, values)
    return built[1]


def _followed(client: FlaskClient, response: Any) -> tuple[Any, list[str]]:
    """The final response after following redirects within the portal, and the paths on the way."""
    paths = []
    for _hop in range(5):
        if not 300 <= response.status_code < 400:
            break
        location = urlsplit(response.headers["Location"])
        paths.append(location.path)
        response = client.get(location.path + (f"?{location.query}" if location.query else ""))
    return response, paths


def _problem(role: str, response: Any, client: FlaskClient, markers: tuple[str, ...]) -> str | None:
    """What is wrong with the answer to someone else's id, or None."""
    status = response.status_code
    final, hops = _followed(client, response)
    shown = [marker for marker in markers if marker in page_text(final)]
    if shown:
        return f"answered {status}{' -> ' + ' -> '.join(hops) if hops else ''} and showed {shown}"
    if role == SIGNED_OUT:
        if not (status == 302 and hops and hops[0] == "/sign-in"):
            return (
                f"answered {status} (Location {response.headers.get('Location')}), not a redirect to sign in"
            )
        return None
    if status != 404:
        return f"answered {status}{' -> ' + ' -> '.join(hops) if hops else ''}, not 404"
    return None


@pytest.mark.parametrize(("path", "role"), list(_cases()))
def test_sec11_someone_elses_id_gives_404(world: World, session_app: Flask, path: str, role: str) -> None:
    problems = _coverage_problems(path, role)
    assert not problems, "\n".join(problems)
    rule = RULES_WITH_VARIABLES[path]
    assert any(r.rule == path for r in session_app.url_map.iter_rules()), path
    ids, selectors = _variables(rule)
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    client = world.clients[role]
    token = world.csrf_tokens[role]
    limiter.reset()  # a 429 would hide the answer

    # The control: the route's own role opens it with their own ids, so the 404s below mean "not yours".
    endpoint_blueprint = rule.endpoint.split(".")[0]
    if (
        OWNER.get(endpoint_blueprint) == role
        and "GET" in methods
        and not selectors
        and all(n in OWN[role] for n in ids)
    ):
        own = OWN[role] | OWN_FOR_ROUTE.get(path, {})
        own_url = _url(rule, {name: world.ids[own[name]] for name in ids})
        opened = client.get(own_url)
        if path in CONTROL_REDIRECTS:
            location = opened.headers.get("Location", "")
            assert opened.status_code == 302 and str(world.ids[own["urn"]]) in urlsplit(location).path, (
                f"control: {own_url} as {role} answered {opened.status_code} (Location {location})"
            )
        else:
            assert opened.status_code == 200, f"control: {own_url} as {role} answered {opened.status_code}"

    failures = []
    seen = set()
    for someone, filling in _fillings(path, role):
        values = {name: world.ids[key] for name, key in filling.items()}
        for chosen in itertools.product(*(SELECTORS[name] for name in selectors)):
            url = _url(rule, values | dict(zip(selectors, chosen, strict=True)))
            for method in methods:
                if (method, url) in seen:
                    continue
                seen.add((method, url))
                data = None if method == "GET" else {"csrf_token": token}
                response = client.open(url, method=method, data=data)
                problem = _problem(role, response, client, someone.markers)
                if problem:
                    failures.append(f"{method} {url} as {role} ({someone.label}): {problem}")
    assert seen, f"{path} as {role}: nothing was requested"
    assert not failures, f"{path} as {role}:\n" + "\n".join(failures)


def test_sec11_the_allow_list_names_only_routes_that_exist() -> None:
    stale = sorted(set(ALLOWED) - set(RULES_WITH_VARIABLES))
    assert not stale, f"ALLOWED lists rules the app no longer has: {stale}"
    stale_holes = sorted(key for key in KNOWN_HOLES if key[0] not in RULES_WITH_VARIABLES)
    assert not stale_holes, f"KNOWN_HOLES lists rules the app no longer has: {stale_holes}"


def test_sec11_every_route_variable_has_someone_elses_value() -> None:
    problems = [
        problem
        for path in RULES_WITH_VARIABLES
        for role in ROLES
        if not (path in ALLOWED and role in ALLOWED[path][0])
        for problem in _coverage_problems(path, role)
    ]
    assert not problems, "\n".join(sorted(set(problems)))
