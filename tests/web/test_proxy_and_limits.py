"""Security review, finding 2 (SECURITY.md item 4): rate limits that hold behind a load balancer.

- `PROXY_HOPS` (default 0) trusts that many proxies' X-Forwarded-For/-Proto (Werkzeug's ProxyFix): with 1,
  two people behind the load balancer have a bucket each; with 0, a forged X-Forwarded-For changes nothing.
- Per-account limits next to the per-IP ones, on sign-in and on password reset: keyed by the email address
  submitted (normalised, then an HMAC under SECRET_KEY, so no address sits in the counters' keys), the
  same whether or not an account has it. They count POSTs only.
(Refusing to start in production with several web processes and no Redis: test_production_settings.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.extensions import limiter
from tests.support.demo import ADMIN, VICTIM
from tests.support.pages import csrf_from

pytestmark = pytest.mark.security(4)

LOAD_BALANCER = "10.0.0.5"  # every request reaches the portal from here when it sits behind one


def _form_poster(client: FlaskClient, path: str, **environ: Any) -> Any:
    """POST the form at `path` as often as asked, with the CSRF token of one GET, from `environ`."""
    token = csrf_from(client.get(path, **environ).get_data(as_text=True))

    def post(data: dict[str, str], **more: Any) -> Any:
        return client.post(path, data={"csrf_token": token, **data}, **{**environ, **more})

    return post


@pytest.fixture
def tight(app: Flask) -> Iterator[Flask]:
    """Low limits: 3 sign-in POSTs a minute per IP, 3 per account on sign-in and on password reset."""
    limits = {
        "AUTH_RATE_LIMIT": "3 per minute",
        "ACCOUNT_SIGN_IN_RATE_LIMIT": "3 per minute",
        "ACCOUNT_RESET_RATE_LIMIT": "3 per minute",
    }
    saved = {key: app.config.get(key) for key in limits}
    app.config.update(limits)
    limiter.reset()
    yield app
    for key, value in saved.items():
        if value is None:
            app.config.pop(key, None)
        else:
            app.config[key] = value
    limiter.reset()


def _behind_proxy(app: Flask, hops: int) -> Flask:
    proxied = create_app({**app.config, "PROXY_HOPS": hops})
    proxied.test_client_class = app.test_client_class
    limiter.reset()
    return proxied


def test_finding2_with_proxy_hops_1_each_client_behind_the_load_balancer_has_its_own_bucket(
    tight: Flask,
) -> None:
    proxied = _behind_proxy(tight, 1)
    try:
        lb = {"environ_base": {"REMOTE_ADDR": LOAD_BALANCER}}
        first = _form_poster(proxied.test_client(), "/sign-in", **lb)
        second = _form_poster(proxied.test_client(), "/sign-in", **lb)
        forwarded = {"X-Forwarded-For": "203.0.113.1"}
        statuses = [
            first(
                {"email": f"a{i}@demo.example", "password": "not-the-password"}, headers=forwarded
            ).status_code
            for i in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        # Someone else behind the same load balancer is not blocked by the first person's tries ...
        other = {"X-Forwarded-For": "203.0.113.2"}
        assert (
            second({"email": "b@demo.example", "password": "not-the-password"}, headers=other).status_code
            == 200
        )
        # ... and the first cannot escape by putting a made-up address in front of their real one: the
        # load balancer appends the address it saw, and only that last one is trusted.
        forged = {"X-Forwarded-For": "198.51.100.7, 203.0.113.1"}
        assert first({"email": "c@demo.example", "password": "x-x-x-x-x"}, headers=forged).status_code == 429
    finally:
        proxied.extensions["database"].engine.dispose()


def test_finding2_proxy_hops_applies_werkzeug_proxyfix_to_address_and_scheme(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    proxied = _behind_proxy(app, 2)
    try:
        assert isinstance(proxied.wsgi_app, ProxyFix)
        assert (proxied.wsgi_app.x_for, proxied.wsgi_app.x_proto) == (2, 2)
        assert (proxied.wsgi_app.x_host, proxied.wsgi_app.x_port, proxied.wsgi_app.x_prefix) == (0, 0, 0)
    finally:
        proxied.extensions["database"].engine.dispose()
    assert not isinstance(app.wsgi_app, ProxyFix)  # PROXY_HOPS=0, the default: no header is trusted


def test_finding2_without_proxy_hops_a_forged_x_forwarded_for_does_not_escape_the_limit(
    tight: Flask, client: FlaskClient
) -> None:
    post = _form_poster(client, "/sign-in")
    statuses = [
        post(
            {"email": f"d{i}@demo.example", "password": "not-the-password"},
            headers={"X-Forwarded-For": f"203.0.113.{10 + i}"},
        ).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_finding2_limits_count_posts_not_page_views(tight: Flask, client: FlaskClient) -> None:
    for _ in range(6):
        assert client.get("/sign-in").status_code == 200
        assert client.get("/password-reset").status_code == 200
    post = _form_poster(client, "/sign-in")
    assert post({"email": VICTIM, "password": "not-the-password"}).status_code == 200


def test_finding2_per_account_sign_in_limit_blocks_one_account_from_many_ips_but_not_another(
    seeded: Flask, tight: Flask
) -> None:
    def from_ip(n: int) -> Any:
        return _form_poster(seeded.test_client(), "/sign-in", environ_base={"REMOTE_ADDR": f"192.0.2.{n}"})

    statuses = [from_ip(n)({"email": VICTIM, "password": "not-the-password"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    # The same address written differently is the same account.
    assert from_ip(5)({"email": "  Victim@Demo.Example ", "password": "x-x-x-x-x"}).status_code == 429
    # Another account, from a fresh address, is not blocked.
    assert from_ip(6)({"email": ADMIN, "password": "not-the-password"}).status_code == 200
    # An address nobody has is limited the same way: the limit says nothing about who has an account.
    unknown = [from_ip(10 + n)({"email": "nobody@demo.example", "password": "x-x-x-x-x"}) for n in range(4)]
    assert [r.status_code for r in unknown] == [200, 200, 200, 429]


def test_finding2_per_account_password_reset_limit_blocks_one_account_from_many_ips_but_not_another(
    seeded: Flask, tight: Flask
) -> None:
    def from_ip(n: int) -> Any:
        return _form_poster(
            seeded.test_client(), "/password-reset", environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}
        )

    statuses = [from_ip(n)({"email": VICTIM}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert from_ip(9)({"email": ADMIN}).status_code == 200


def test_finding2_no_email_address_in_the_rate_limit_keys(seeded: Flask, tight: Flask) -> None:
    post = _form_poster(seeded.test_client(), "/sign-in")
    post({"email": VICTIM, "password": "not-the-password"})
    _form_poster(seeded.test_client(), "/password-reset")({"email": VICTIM})
    keys = " ".join(str(key) for key in getattr(limiter.storage, "storage", {}))
    assert "account" in keys  # the per-account counters are there ...
    for part in (VICTIM, "victim@", "demo.example"):
        assert part not in keys.lower(), keys  # ... under a keyed hash, not the address
