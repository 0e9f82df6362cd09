"""Seed a realistic volume fast: victims with accounts, verified email and preferences; cases spread over
the police forces; updates from the four sources with real event types, details from each type's
schema examples and the Code deadline from `portal.services.vocabulary.deadlines.code_deadline`; which updates the
victims have opened; and an old, delivered message for about half of the updates (the communications log).

Bulk writes (COPY on PostgreSQL, Core executemany on SQLite: see bench/bulk.py), never the ORM a row at
a time. Every bench victim may be messaged at any hour (every day 00:00 to 23:59 safe, email confirmed
safe and verified), so the victims' safe hours never delay a message being measured.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
from flask import Flask

from bench import OTHER_CASE_UPDATES, SMALL_CASE_UPDATES, TIMELINE_UPDATES, Preset
from bench.bulk import Loader, analyze
from portal.extensions import db
from portal.models import Delegation, Organisation, OrganisationKind, Role, User
from portal.models.delegations import SEE_UPDATES, SOURCE_OFFICER_BY_PHONE
from portal.services import vocabulary
from portal.services.accounts.passwords import hash_password
from portal.services.agency_api import clients as api_clients
from portal.services.preferences.records import Preferences
from portal.services.preferences.rules import DAYS, SOURCE_AGENCY_AT_REPORTING, check_document
from portal.services.vocabulary import deadlines

AGENCY_WEIGHTS = {"police": 40, "witness_care": 25, "cps": 20, "probation": 15}
GIVEN = ("Sam", "Alex", "Jo", "Priya", "Tom", "Aisha", "Megan", "Dylan", "Rhys", "Chloe", "Omar", "Grace")
FAMILY = ("Sample", "Jones", "Patel", "Evans", "Khan", "Davies", "Smith", "Hughes", "Ali", "Brown")
OFFENCES = ("Assault", "Burglary", "Robbery", "Theft", "Criminal damage", "Harassment", "Stalking", "Fraud")
MESSAGE = "If you have any questions, call us on 0300 000 0000, Monday to Friday, 9am to 5pm."


@dataclass
class BenchData:
    """Who and what the measurements use."""

    password: str
    totp_secret: str
    victim_email: str = ""
    victim_id: str = ""
    timeline_urn: str = ""
    victim_urns: list[str] = field(default_factory=list)
    small_victim_email: str = ""
    small_victim_id: str = ""
    small_urn: str = ""
    officer_email: str = ""
    #: Force 01 cases (not the measured victims'): where the API benchmark sends its updates.
    api_urns: list[str] = field(default_factory=list)
    api_keys: dict[str, str] = field(default_factory=dict)
    #: Support workers (authenticator app, `totp_secret`), each with clients who let them see updates.
    support_emails: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _events_by_agency() -> dict[str, list[vocabulary.EventType]]:
    result: dict[str, list[vocabulary.EventType]] = defaultdict(list)
    for event in vocabulary.EVENT_TYPES.values():
        for agency in event.agencies:
            result[str(agency)].append(event)
    return result


def preferences_document(email: str) -> dict[str, Any]:
    """Email, confirmed safe, discreet wording, any day from 00:00 to 23:59."""
    prefs = Preferences(
        channels=("email",),
        safe=frozenset({"email"}),
        email=email,
        safe_days=DAYS,
        safe_from=datetime.strptime("00:00", "%H:%M").time(),
        safe_to=datetime.strptime("23:59", "%H:%M").time(),
    )
    document = prefs.to_document()
    problems = check_document(document)
    if problems:
        raise ValueError(f"bench preferences are not valid: {problems}")
    return document


class _Seeder:
    def __init__(self, loader: Loader, preset: Preset, data: BenchData, now: datetime) -> None:
        self.load = loader
        self.preset = preset
        self.data = data
        self.now = now
        self.rng = random.Random(8)  # the same data every run
        self.events = _events_by_agency()
        self.agencies = list(AGENCY_WEIGHTS)
        self.weights = list(AGENCY_WEIGHTS.values())
        self.next_id: dict[str, int] = defaultdict(lambda: 1)
        self.event_counter = 0
        self.victims: list[tuple[str, str, bool]] = []  # id, email, enhanced
        self.forces = [f"{n:02d}" for n in range(1, preset.forces + 1)]

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def people(self, password_hash: str) -> None:
        rng, now = self.rng, self.now
        org_ids = {}
        for force in self.forces:
            org_ids[force] = self._id("organisation")
            self.load.add(
                "organisation",
                {
                    "id": org_ids[force],
                    "name": f"Witness Care Unit {force}",
                    "kind": "witness_care_unit",
                    "force_code": force,
                    "created_at": now,
                },
            )
            email = f"officer{force}@bench.example"
            self.load.add(
                "user_account",
                {
                    "id": self._id("user_account"),
                    "email": email,
                    "display_name": f"Officer {force}",
                    "password_hash": password_hash,
                    "role": "witness_care_officer",
                    "organisation_id": org_ids[force],
                    "mfa_method": "totp",
                    "totp_secret": self.data.totp_secret,
                    "session_generation": 1,
                    "failed_sign_ins": 0,
                    "is_active": True,
                    "created_at": now,
                },
            )
        self.data.officer_email = "officer01@bench.example"
        document_cache = preferences_document("placeholder@bench.example")
        for index in range(self.preset.victims):
            victim_id = _uuid(rng)
            email = f"victim{index:05d}@bench.example"
            enhanced = rng.random() < 0.1
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            created = now - timedelta(days=rng.randint(60, 1000))
            self.victims.append((victim_id, email, enhanced))
            self.load.add(
                "victim",
                {
                    "id": victim_id,
                    "given_name": given,
                    "family_name": family,
                    "email": email,
                    "phone": f"07700 900{index % 1000:03d}",
                    "address_line_1": f"{index + 1} Bench Street",
                    "address_town": "Exampletown",
                    "postcode": "EX1 1AA",
                    "enhanced_rights": enhanced,
                    "enhanced_reason": "Victim of domestic abuse" if enhanced else None,
                    "created_at": created,
                },
            )
            self.load.add(
                "user_account",
                {
                    "id": self._id("user_account"),
                    "email": email,
                    "display_name": f"{given} {family}",
                    "password_hash": password_hash,
                    "role": "victim",
                    "victim_id": victim_id,
                    "mfa_method": "email",
                    # The measured victims see "Exit this page" explained at their first sign-in.
                    "quick_exit_explained_at": None if index < 2 else created,
                    "session_generation": 1,
                    "failed_sign_ins": 0,
                    "is_active": True,
                    "created_at": created,
                },
            )
            self.load.add(
                "contact_point",
                {
                    "id": self._id("contact_point"),
                    "victim_id": victim_id,
                    "kind": "email",
                    "value": email,
                    "verified_at": created,
                    "created_at": created,
                },
            )
            self.load.add(
                "preference_version",
                {
                    "id": self._id("preference_version"),
                    "victim_id": victim_id,
                    "version": 1,
                    "document": {**document_cache, "email": email},
                    "changed_fields": ["channels", "safe.email", "safe_days", "safe_from", "safe_to"],
                    "actor_label": f"Police force {self.forces[index % len(self.forces)]}",
                    "source": SOURCE_AGENCY_AT_REPORTING,
                    "created_at": created,
                },
            )
        (self.data.victim_id, self.data.victim_email, _) = self.victims[0]
        (self.data.small_victim_id, self.data.small_victim_email, _) = self.victims[1]

    def cases(self) -> None:
        preset, rng = self.preset, self.rng
        victims = self.victims
        # Case i (0-based) -> its victims. 0..2: the measured victim; 3: the small victim; then one case
        # for every other victim, and the rest to victims chosen at random (some have several cases).
        owners: list[list[int]] = [[0], [0], [0], [1]]
        owners += [[i] for i in range(2, len(victims))]
        while len(owners) < preset.cases:
            owners.append([rng.randrange(2, len(victims))])
        owners = owners[: preset.cases]
        for owner in owners[4:]:
            if rng.random() < 0.05:
                other = rng.randrange(2, len(victims))
                if other not in owner:
                    owner.append(other)
        counts = [0] * len(owners)
        counts[0], counts[1], counts[2], counts[3] = (
            TIMELINE_UPDATES,
            OTHER_CASE_UPDATES,
            OTHER_CASE_UPDATES,
            SMALL_CASE_UPDATES,
        )
        remaining = preset.updates - sum(counts)
        weights = [rng.expovariate(1.0) for _ in owners[4:]]
        for case_index in rng.choices(range(4, len(owners)), weights=weights, k=remaining):
            counts[case_index] += 1
        for index, (owner, count) in enumerate(zip(owners, counts, strict=True)):
            force = "01" if index < 4 else self.forces[index % len(self.forces)]
            urn = self._case(index, force, owner, count)
            if index == 0:
                self.data.timeline_urn = urn
            if index < 3:
                self.data.victim_urns.append(urn)
            elif index == 3:
                self.data.small_urn = urn
            elif force == "01":
                self.data.api_urns.append(urn)

    def _case(self, index: int, force: str, owner: list[int], count: int) -> str:
        rng, now = self.rng, self.now
        case_id = self._id("case_record")
        letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
        started = now - timedelta(days=rng.randint(30, 900), minutes=rng.randint(0, 1440))
        urn = f"{force}{letters}{index:05d}{started.year % 100:02d}"
        self.load.add(
            "case_record",
            {
                "id": case_id,
                "urn": urn,
                "force_code": force,
                "offence": rng.choice(OFFENCES),
                "status": "open",
                "reported_on": started.date(),
                "created_at": started,
                "updated_at": started,
            },
        )
        for position, victim_index in enumerate(owner):
            self.load.add(
                "case_victim",
                {
                    "id": self._id("case_victim"),
                    "case_id": case_id,
                    "victim_id": self.victims[victim_index][0],
                    "agency_person_reference": f"{force}-PERSON-{index}-{position}",
                    "added_at": started,
                    "standing_revision": 0,
                },
            )
        enhanced = any(self.victims[v][2] for v in owner)
        span = (now - timedelta(hours=2) - started).total_seconds()
        moments = sorted(rng.uniform(0, span) for _ in range(count))
        for offset in moments:
            self._update(case_id, force, owner, started + timedelta(seconds=offset), enhanced)
        return urn

    def _update(self, case_id: int, force: str, owner: list[int], occurred: datetime, enhanced: bool) -> None:
        rng, now = self.rng, self.now
        agency = rng.choices(self.agencies, weights=self.weights)[0]
        event = rng.choice(self.events[agency])
        details = dict(rng.choice(event.details_schema.get("examples") or [{}]))
        received = min(occurred + timedelta(minutes=rng.randint(0, 2880)), now - timedelta(hours=1))
        self.event_counter += 1
        event_id = f"bench-{self.event_counter}"
        update_id = _uuid(rng)
        self.load.add(
            "case_update",
            {
                "id": update_id,
                "case_id": case_id,
                "agency": agency,
                "event_type": event.code,
                "agency_event_id": f"{force}:{event_id}"
                if agency in ("police", "witness_care")
                else event_id,
                "occurred_at": occurred,
                "received_at": received,
                "code_deadline": deadlines.code_deadline(received, event.code, enhanced, {}, details=details),
                "enhanced": enhanced,
                "details": details,
                "message": MESSAGE if rng.random() < 0.1 else None,
                "superseded": False,
                "created_at": received + timedelta(seconds=1),
            },
        )
        for victim_index in owner:
            victim_id, email, _ = self.victims[victim_index]
            if received < now - timedelta(days=3) and rng.random() < 0.8:
                self.load.add(
                    "update_seen",
                    {
                        "id": self._id("update_seen"),
                        "update_id": update_id,
                        "victim_id": victim_id,
                        "seen_at": received + timedelta(hours=rng.randint(1, 60)),
                    },
                )
            if rng.random() < self.preset.history_share:
                self._old_message(update_id, victim_id, email, received)

    def _old_message(self, update_id: str, victim_id: str, email: str, at: datetime) -> None:
        message_id = _uuid(self.rng)
        sent = at + timedelta(minutes=1)
        self.load.add(
            "outbound_message",
            {
                "id": message_id,
                "channel": "email",
                "recipient": email,
                "subject": "You have a new update",
                "body": "You have a new update about your case. Sign in to read it.",
                "status": "delivered",
                "attempts": 1,
                "notify_id": _uuid(self.rng),
                "give_up_at": at + timedelta(days=1),
                "correlation": f"update:{update_id}",
                "waited_for": False,
                "created_at": at,
                "sent_at": sent,
                "delivered_at": sent + timedelta(seconds=20),
                "updated_at": sent + timedelta(seconds=20),
            },
        )
        self.load.add(
            "communication",
            {
                "id": self._id("communication"),
                "victim_id": victim_id,
                "update_id": update_id,
                "outbound_message_id": message_id,
                "channel": "email",
                "purpose": "update",
                "detailed": False,
                "created_at": at,
            },
        )


SUPPORT_WORKERS = 4
CLIENTS_PER_SUPPORT_WORKER = 5


def _support_workers(
    session: Any, data: BenchData, password_hash: str, victim_ids: list[str], now: datetime
) -> None:
    """A support service with a few workers, each helping clients (the last victims) who let them see
    their updates: accepted, started, for a year."""
    organisation = Organisation(
        name="Bench Victim Support", kind=OrganisationKind.SUPPORT_SERVICE, created_at=now
    )
    session.add(organisation)
    session.flush()
    for index in range(SUPPORT_WORKERS):
        worker = User(
            email=f"support{index + 1:02d}@bench.example",
            display_name=f"Support worker {index + 1}",
            password_hash=password_hash,
            role=Role.SUPPORT_WORKER,
            organisation_id=organisation.id,
            mfa_method="totp",
            totp_secret=data.totp_secret,
            created_at=now,
        )
        session.add(worker)
        session.flush()
        data.support_emails.append(worker.email)
        for client in range(CLIENTS_PER_SUPPORT_WORKER):
            session.add(
                Delegation(
                    victim_id=victim_ids[-1 - index * CLIENTS_PER_SUPPORT_WORKER - client],
                    grantee_user_id=worker.id,
                    scopes=[SEE_UPDATES],
                    starts_at=now - timedelta(days=30),
                    ends_at=now + timedelta(days=335),
                    granted_by_label="Police force 01",
                    source=SOURCE_OFFICER_BY_PHONE,
                    accepted_at=now - timedelta(days=29),
                    accepted_by_user_id=worker.id,
                    victim_seen_status="active",
                    created_at=now - timedelta(days=30),
                )
            )


def seed(app: Flask, preset: Preset) -> BenchData:
    """Load the preset's volume into the app's (empty, migrated) database."""
    started = time.perf_counter()
    data = BenchData(password="bench-only-" + uuid.uuid4().hex, totp_secret=pyotp.random_base32())
    now = datetime.now(UTC)
    with app.app_context():
        password_hash = hash_password(data.password)
        with db.engine.begin() as conn:
            loader = Loader(conn)
            seeder = _Seeder(loader, preset, data, now)
            seeder.people(password_hash)
            seeder.cases()
            data.counts = loader.finish()
        with db.engine.begin() as conn:
            analyze(conn)
        with db.job() as session:
            _support_workers(
                session, data, password_hash, [victim_id for victim_id, _, _ in seeder.victims], now
            )
        with db.job() as session:
            for agency in ("police", "witness_care", "cps", "probation"):
                force = "01" if agency in ("police", "witness_care") else None
                new = api_clients.create_client(
                    session, name=f"Bench {agency}", agency=agency, force_code=force, created_by="bench"
                )
                data.api_keys[agency] = new.key
    data.seconds = time.perf_counter() - started
    return data
