"""Who the mixed scenario's simulated people are (bench/mixed.py, bench/locustfile.py): victims with
their cases, officers, support workers with their clients, the agencies' keys; every one but the
arriving victims signed in over HTTP before the load starts, each from an address of their own; and how a
victim's security code is read from the Notify sandbox.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pyotp
import requests
from sqlalchemy import Engine, select

from bench import Preset, signin
from bench.processes import Service
from bench.seed import BenchData
from bench.signin import CODE
from notifications.outbox import OutboundMessage
from portal.models import Case, CaseVictim, Delegation, User

#: Simulated people of each kind (locust users), at once.
#: "victim": signed in before the load starts, reading; "arriving_victim": signing in (email, password,
#: security code by email), reading, signing out, over and over.
USERS = {"victim": 38, "arriving_victim": 2, "officer": 4, "support_worker": 4, "agency": 4}
SIGN_IN_THREADS = 4


def security_code(
    engine: Engine, sandbox_url: str, email: str, since: float, timeout: float = 30.0
) -> str | None:
    """The code in the security-code email to `email` sent since `since` (epoch seconds), read from the
    sandbox's inbox once it arrives. The database says only which message it is (its outbox id is the
    sandbox's reference), so a poll reads one message, not an inbox of thousands."""
    deadline = since + timeout
    reference = None
    while time.time() < deadline:
        if reference is None:
            with engine.connect() as conn:
                reference = conn.scalar(
                    select(OutboundMessage.id)
                    .where(
                        OutboundMessage.recipient == email,
                        OutboundMessage.correlation.like("security-code:%"),
                        OutboundMessage.created_at >= datetime.fromtimestamp(since - 2.0, UTC),
                    )
                    .order_by(OutboundMessage.created_at.desc())
                    .limit(1)
                )
        if reference is not None:
            items = requests.get(
                f"{sandbox_url}/_sandbox/notifications", params={"reference": reference}, timeout=10
            ).json()
            match = CODE.search(str(items[0].get("personalisation", {}).get("body", ""))) if items else None
            if match:
                return match.group(1)
        time.sleep(0.1)
    return None


def _signed_in_cookies(
    base_url: str, email: str, password: str, address: str, second_factor: Callable[[float], str | None]
) -> list[dict[str, str]]:
    """Sign in over HTTP from `address` (as the locust user will send it) and return the cookies."""
    session = signin.new_session()
    session.headers["X-Forwarded-For"] = address
    page = session.get(f"{base_url}/sign-in", timeout=60)
    since = time.time()
    response = session.post(
        f"{base_url}/sign-in",
        data={"csrf_token": signin.csrf_token(page.text), "email": email, "password": password},
        allow_redirects=False,
        timeout=60,
    )
    if "/sign-in/security-code" not in response.headers.get("Location", ""):
        raise RuntimeError(f"sign-in refused for {email}: {response.status_code}")
    code = second_factor(since)
    if code is None:
        raise RuntimeError(f"no security code for {email}")
    page = session.get(f"{base_url}/sign-in/security-code", timeout=60)
    response = session.post(
        f"{base_url}/sign-in/security-code",
        data={"csrf_token": signin.csrf_token(page.text), "code": code},
        allow_redirects=False,
        timeout=60,
    )
    location = response.headers.get("Location", "")
    if response.status_code != 302 or "/sign-in" in location:
        raise RuntimeError(f"security code refused for {email}: {response.status_code} {location}")
    return [
        {"name": cookie.name, "value": cookie.value or "", "domain": cookie.domain, "path": cookie.path}
        for cookie in session.cookies
    ]


def fixture(
    engine: Engine, data: BenchData, preset: Preset, portal: Service, sandbox: Service, url: str
) -> dict[str, Any]:
    """Who the locust users are (accounts, their cases and clients, the agencies' keys), every one but
    the arriving victims already signed in, each from an address of its own."""
    readers, arriving = USERS["victim"], USERS["arriving_victim"]
    with engine.connect() as conn:
        emails = list(
            conn.scalars(
                select(User.email)
                .where(User.role == "victim", User.email.not_in([data.victim_email, data.small_victim_email]))
                .order_by(User.email)
                .limit(readers + arriving)
            )
        )
        urns: dict[str, list[str]] = defaultdict(list)
        for email, urn in conn.execute(
            select(User.email, Case.urn)
            .join(CaseVictim, CaseVictim.victim_id == User.victim_id)
            .join(Case, Case.id == CaseVictim.case_id)
            .where(User.email.in_(emails))
            .order_by(Case.urn)
        ):
            urns[email].append(urn)
        clients: dict[str, list[str]] = defaultdict(list)
        for email, victim_id in conn.execute(
            select(User.email, Delegation.victim_id)
            .join(User, User.id == Delegation.grantee_user_id)
            .where(User.email.in_(data.support_emails))
            .order_by(Delegation.id)
        ):
            clients[email].append(victim_id)
        client_urns: dict[str, list[str]] = defaultdict(list)
        for victim_id, urn in conn.execute(
            select(CaseVictim.victim_id, Case.urn)
            .join(Case, Case.id == CaseVictim.case_id)
            .where(CaseVictim.victim_id.in_([v for vs in clients.values() for v in vs]))
            .order_by(Case.urn)
        ):
            client_urns[victim_id].append(urn)
    octet = random.randrange(1, 255)
    addresses = (f"10.{octet}.{n // 250}.{n % 250 + 1}" for n in itertools.count())
    victims = [{"email": e, "urns": urns[e], "address": next(addresses)} for e in emails if urns[e]]
    officers = [
        {"email": f"officer{force:02d}@bench.example", "address": next(addresses)}
        for force in range(1, min(USERS["officer"], preset.forces) + 1)
    ]
    support_workers = [
        {
            "email": email,
            "address": next(addresses),
            "clients": [
                {"victim_id": victim_id, "urns": client_urns[victim_id]}
                for victim_id in clients[email]
                if client_urns[victim_id]
            ],
        }
        for email in data.support_emails[: USERS["support_worker"]]
    ]
    people: dict[str, list[dict[str, Any]]] = {
        "victim": victims[:readers],
        "arriving_victim": victims[readers:],
        "officer": officers,
        "support_worker": support_workers,
    }

    def by_email(since: float, email: str) -> str | None:
        return security_code(engine, sandbox.url, email, since)

    def by_app(_since: float) -> str:
        return pyotp.TOTP(data.totp_secret).now()

    def sign_in(kind: str, person: dict[str, Any]) -> None:
        email = person["email"]
        factor = (lambda since: by_email(since, email)) if kind == "victim" else by_app
        person["cookies"] = _signed_in_cookies(portal.url, email, data.password, person["address"], factor)

    with ThreadPoolExecutor(SIGN_IN_THREADS) as pool:
        for done in [
            pool.submit(sign_in, kind, person)
            for kind in ("victim", "officer", "support_worker")
            for person in people[kind]
        ]:
            done.result()
    return {
        "users": {kind: len(people[kind]) for kind in people} | {"agency": USERS["agency"]},
        **people,
        "password": data.password,
        "totp_secret": data.totp_secret,
        "api_urns": data.api_urns,
        "api_keys": data.api_keys,
        "sandbox_url": sandbox.url,
        "database_url": url,
        "run": octet,
    }
