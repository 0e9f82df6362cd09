"""SECURITY.md items 5 and 7, made able to fail: "Stay signed in" (the keep-alive POST) renews the session
only with the page's CSRF token. Without it the POST is refused AND the idle timer is not renewed, so
another site cannot keep a victim's session open on a shared device."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.support.demo import VICTIM
from tests.support.pages import csrf_from
from tests.support.signing_in import sign_in

pytestmark = pytest.mark.security(5)


def _token(client: FlaskClient) -> str:
    return csrf_from(client.get("/account").get_data(as_text=True))


@pytest.mark.parametrize("with_token", [True, False])
def test_sec05_keep_alive_renews_the_session_only_with_the_csrf_token(
    seeded: Flask, client: FlaskClient, with_token: bool
) -> None:
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        sign_in(client, VICTIM)
        headers = {"X-CSRFToken": _token(client)} if with_token else {}
        traveller.shift(timedelta(minutes=25))
        keep = client.post("/session/keep-alive", headers=headers)
        assert keep.status_code == (200 if with_token else 400)
        traveller.shift(timedelta(minutes=25))  # 50 minutes after the last page, 25 after the keep-alive
        response = client.get("/cases")
        if with_token:
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and response.headers["Location"].endswith("/timed-out")
