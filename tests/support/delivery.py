"""The portal's delivery loop for tests: the Notify sandbox served over HTTP with receipts sent back to
the portal, and a worker sending through the real notifications-python-client to it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import Flask
from werkzeug.serving import make_server

from notifications.client import NotifyGateway
from notifications.sandbox.app import create_sandbox_app
from notifications.sandbox.defaults import generic_templates
from notifications.types import utcnow
from notifications.worker import Worker
from portal.config import SANDBOX_API_KEY


@contextmanager
def served_sandbox(app: Flask, portal_url: str) -> Iterator[str]:
    """The sandbox, knowing the app's three templates, sending receipts to the portal; yields its URL."""
    sandbox = create_sandbox_app(
        SANDBOX_API_KEY,
        callback_url=f"{portal_url}/notifications/receipts",
        callback_token=app.config["NOTIFY_CALLBACK_TOKEN"],
        callback_delay=0.05,
        templates=generic_templates(
            email=app.config["NOTIFY_EMAIL_TEMPLATE_ID"],
            sms=app.config["NOTIFY_SMS_TEMPLATE_ID"],
            letter=app.config["NOTIFY_LETTER_TEMPLATE_ID"],
        ),
    )
    server = make_server("127.0.0.1", 0, sandbox, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        sandbox.extensions["notify_sandbox"].close()
        thread.join(timeout=5)


def portal_worker(app: Flask, sandbox_url: str, clock: Callable[[], datetime] = utcnow) -> Worker:
    """A worker delivering the app's outbox through the sandbox at `sandbox_url`."""
    gateway = NotifyGateway(
        SANDBOX_API_KEY,
        base_url=sandbox_url,
        email_template_id=app.config["NOTIFY_EMAIL_TEMPLATE_ID"],
        sms_template_id=app.config["NOTIFY_SMS_TEMPLATE_ID"],
        letter_template_id=app.config["NOTIFY_LETTER_TEMPLATE_ID"],
    )
    return Worker(app.extensions["database"].session_factory, gateway, idle_seconds=0.05, clock=clock)
