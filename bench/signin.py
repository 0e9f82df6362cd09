"""Signing a victim in over HTTP, as a person would: the sign-in page, email and password, then the
security code, which the worker delivers to the Notify sandbox like any other message and which we read
from the sandbox inbox (`GET /_sandbox/notifications`), then past "Exit this page" explained.

The session cookie this leaves is the one the load generator sends. Flask-Login's "strong" session
protection ties it to the User-Agent, so every request (here and from wrk) sends the same one.
"""

from __future__ import annotations

import re
import time

import requests

from bench.processes import USER_AGENT

CODE = re.compile(r"\b(\d{6})\b")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def new_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


def inbox_ids(sandbox_url: str) -> set[str]:
    return {item["id"] for item in requests.get(f"{sandbox_url}/_sandbox/notifications", timeout=30).json()}


def code_from_sandbox(sandbox_url: str, email: str, before: set[str], timeout: float = 30.0) -> str:
    """The 6-digit code in the newest security-code email to `email` that was not in the inbox before."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        inbox = requests.get(f"{sandbox_url}/_sandbox/notifications", timeout=10).json()
        for item in inbox:  # newest first
            body = str(item.get("personalisation", {}).get("body", ""))
            if item["to"] == email and item["id"] not in before and "security code" in body:
                match = CODE.search(body)
                if match:
                    return match.group(1)
        time.sleep(0.2)
    raise RuntimeError(f"no security code reached the sandbox for {email} within {timeout}s")


def sign_in(base_url: str, sandbox_url: str, email: str, password: str) -> requests.Session:
    """A signed-in session for a victim whose second factor is a code by email."""
    session = new_session()
    page = session.get(f"{base_url}/sign-in", timeout=30)
    before = inbox_ids(sandbox_url)
    response = session.post(
        f"{base_url}/sign-in",
        data={"csrf_token": csrf_token(page.text), "email": email, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    if "/sign-in/security-code" not in response.headers.get("Location", ""):
        raise RuntimeError(f"sign-in refused for {email}: {response.status_code}")
    code = code_from_sandbox(sandbox_url, email, before)
    page = session.get(f"{base_url}/sign-in/security-code", timeout=30)
    response = session.post(
        f"{base_url}/sign-in/security-code",
        data={"csrf_token": csrf_token(page.text), "code": code},
        allow_redirects=False,
        timeout=30,
    )
    location = response.headers.get("Location", "")
    if response.status_code != 302 or "/sign-in" in location:
        raise RuntimeError(f"security code refused for {email}: {response.status_code} {location}")
    if "/exit-this-page-explained" in location:
        target = location if location.startswith("http") else base_url + location
        page = session.get(target, timeout=30)
        session.post(target, data={"csrf_token": csrf_token(page.text)}, allow_redirects=False, timeout=30)
    return session


def cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)
