"""SECURITY.md item 10 (the accounts share): input validated on the server, oversized bodies refused with
413, error pages generic with a request id."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.pages import csrf_from, page_text, post_form
from tests.support.signing_in import sign_in

pytestmark = pytest.mark.security(10)


def test_sec10_oversized_sign_in_body_is_refused_with_413(seeded: Flask, client: FlaskClient) -> None:
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in", data={"csrf_token": token, "email": "victim@demo.example", "password": "x" * (300 * 1024)}
    )
    assert response.status_code == 413
    body = page_text(response, markup=True)
    assert "Reference:" in body and "Traceback" not in body


def test_sec10_overlong_password_is_refused_by_the_form(seeded: Flask, client: FlaskClient) -> None:
    body = page_text(
        post_form(client, "/sign-in", {"email": "victim@demo.example", "password": "x" * 129}), markup=True
    )
    assert "Password must be 128 characters or fewer" in body


def test_sec10_security_code_must_be_6_digits(seeded: Flask, client: FlaskClient) -> None:
    sign_in(client, "victim@demo.example", second_factor=False)
    for code in ("abcdef", "12345", "1234567", "' OR 1=1 --"):
        response = post_form(client, "/sign-in/security-code", {"code": code})
        assert response.status_code == 200 and "wrong or has expired" in page_text(response, markup=True), (
            code
        )
    assert client.get("/cases").status_code == 302


def test_sec10_csrf_refusal_is_a_generic_page_with_a_request_id(seeded: Flask, client: FlaskClient) -> None:
    response = client.post(
        "/sign-in", data={"email": "a@b.c", "password": "x"}, headers={"X-Request-Id": "r123"}
    )
    assert response.status_code == 400
    body = page_text(response, markup=True)
    assert "Reference: r123" in body and "CSRF" not in body and "Traceback" not in body
