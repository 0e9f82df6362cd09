"""The people of the mixed scenario, for locust (`make bench`'s `mixed` phase runs it headless: see
bench/mixed.py, which signs most of them in first and writes the fixture this file reads from
`BENCH_MIXED_FIXTURE`).

- Victims, most of the traffic: read their list of cases and a case's timeline.
- Arriving victims: sign in (email, password, and the security code that reaches their inbox in the
  Notify sandbox), read their cases, sign out, and again.
- Witness care officers: the review queue and the timeliness report.
- Support workers: their clients list and a client's case.
- The four agencies: single updates and batches of 100 to the API, each request with its own JWT.

Each person comes from an address of their own (`X-Forwarded-For`; the portal runs with `PROXY_HOPS=1`,
as behind a load balancer), so per-address limits treat them as the different people they are. Requests
are named by endpoint pattern (`/cases/<urn>`) so that locust's statistics group them. Anything but a 2xx
or 3xx counts as a failure, and so does a signed-in page that sends the person back to sign in.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from locust import FastHttpUser, between, task
from requests.cookies import create_cookie
from sqlalchemy import create_engine

from bench.api_load import AGENCIES, RequestMaker
from bench.mixed_people import security_code
from bench.processes import USER_AGENT
from bench.seed import BenchData
from bench.signin import csrf_token

FIXTURE: dict[str, Any] = json.loads(Path(os.environ["BENCH_MIXED_FIXTURE"]).read_text())
#: Only to find which sandbox message is a security code (bench/mixed_people.py, security_code).
ENGINE = create_engine(FIXTURE["database_url"], pool_size=1, max_overflow=2)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_TAKEN: dict[str, itertools.count[int]] = {}


def _person(kind: str) -> dict[str, Any]:
    """The next person of this kind in the fixture (each locust user is a different one)."""
    people = FIXTURE[kind]
    return dict(people[next(_TAKEN.setdefault(kind, itertools.count())) % len(people)])


class _Person(FastHttpUser):
    abstract = True
    kind = ""

    def on_start(self) -> None:
        self.person = _person(self.kind)
        self.headers = {"User-Agent": USER_AGENT, "X-Forwarded-For": self.person["address"]}
        self.token = ""
        for cookie in self.person.get("cookies", []):
            self.client.cookiejar.set_cookie(create_cookie(**cookie))

    def page(self, path: str, name: str) -> str | None:
        """GET a page that must answer 200 (not a redirect: a signed-in page never sends us away)."""
        with self.client.get(
            path, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location') or ''}".strip())
                return None
            text = response.text or ""
            if 'name="csrf_token"' in text:
                self.token = csrf_token(text)
            response.success()
            return text

    def post_form(self, path: str, fields: dict[str, str], *, expect: str) -> str | None:
        """POST a form; a 302 to a Location containing `expect` is success. Returns the Location."""
        with self.client.post(
            path,
            name=path,
            data=urlencode({"csrf_token": self.token, **fields}),
            headers={**self.headers, **FORM},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location") or ""
            if response.status_code != 302 or expect not in location:
                response.failure(f"{response.status_code} {location}".strip())
                return None
            response.success()
            return location


class VictimUser(_Person):
    """Signed in already; reads their list of cases and, mostly, a case's timeline."""

    kind = "victim"
    fixed_count = int(FIXTURE["users"]["victim"])
    wait_time = between(1.0, 4.0)

    @task(1)
    def cases(self) -> None:
        self.page("/cases", "/cases")

    @task(3)
    def case(self) -> None:
        self.page(f"/cases/{random.choice(self.person['urns'])}", "/cases/<urn>")


class ArrivingVictimUser(_Person):
    """Signs in as a victim does, reads their cases, signs out; and again."""

    kind = "arriving_victim"
    fixed_count = int(FIXTURE["users"]["arriving_victim"])
    wait_time = between(2.0, 5.0)

    @task
    def visit(self) -> None:
        if self.page("/sign-in", "/sign-in") is None:
            return
        since = time.time()
        fields = {"email": self.person["email"], "password": FIXTURE["password"]}
        if self.post_form("/sign-in", fields, expect="/sign-in/security-code") is None:
            return
        code = security_code(ENGINE, FIXTURE["sandbox_url"], self.person["email"], since)
        self.environment.events.request.fire(
            request_type="EMAIL",
            name="security code reaches the inbox",
            response_time=(time.time() - since) * 1000,
            response_length=0,
            exception=None if code else TimeoutError("no security code within 30 s"),
            context={},
        )
        if code is None or self.page("/sign-in/security-code", "/sign-in/security-code") is None:
            return
        if self.post_form("/sign-in/security-code", {"code": code}, expect="/cases") is None:
            return
        time.sleep(random.uniform(1.0, 3.0))
        self.page("/cases", "/cases")
        time.sleep(random.uniform(1.0, 3.0))
        self.page(f"/cases/{random.choice(self.person['urns'])}", "/cases/<urn>")
        self.post_form("/sign-out", {}, expect="/signed-out")


class OfficerUser(_Person):
    """A witness care officer working the review queue, and now and then the timeliness report."""

    kind = "officer"
    fixed_count = int(FIXTURE["users"]["officer"])
    wait_time = between(2.0, 6.0)

    @task(3)
    def review_queue(self) -> None:
        self.page("/staff/review", "/staff/review")

    @task(1)
    def timeliness(self) -> None:
        self.page("/staff/timeliness", "/staff/timeliness")


class SupportWorkerUser(_Person):
    """A support worker looking at their clients and a client's case."""

    kind = "support_worker"
    fixed_count = int(FIXTURE["users"]["support_worker"])
    wait_time = between(2.0, 6.0)

    @task(1)
    def clients_list(self) -> None:
        self.page("/support", "/support")

    @task(2)
    def client_case(self) -> None:
        client = random.choice(self.person["clients"])
        self.page(
            f"/support/clients/{client['victim_id']}/cases/{random.choice(client['urns'])}",
            "/support/clients/<victim_id>/cases/<urn>",
        )


class AgencyUser(FastHttpUser):
    """One agency's case management system: single updates, and now and then a batch of 100."""

    fixed_count = int(FIXTURE["users"]["agency"])
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        index = next(_TAKEN.setdefault("agency", itertools.count()))
        self.agency_index = index % len(AGENCIES)
        data = BenchData(
            password="", totp_secret="", api_urns=FIXTURE["api_urns"], api_keys=FIXTURE["api_keys"]
        )
        self.maker = RequestMaker(data, f"mixed{FIXTURE['run']}-{index}")
        self.sent = itertools.count()

    def send(self, batch_size: int) -> None:
        index = next(self.sent) * len(AGENCIES) + self.agency_index
        _agency, urn, token, body = self.maker.request(index, batch_size)
        kind = "single" if batch_size == 1 else f"batch of {batch_size}"
        with self.client.post(
            f"/api/v1/cases/{urn}/updates",
            name=f"/api/v1/cases/<urn>/updates ({kind})",
            json=body,
            headers={"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT},
            catch_response=True,
        ) as response:
            if not 200 <= response.status_code < 400:
                response.failure(f"{response.status_code} {(response.text or '')[:200]}")
            else:
                response.success()

    @task(9)
    def single(self) -> None:
        self.send(1)

    @task(1)
    def batch(self) -> None:
        self.send(100)
