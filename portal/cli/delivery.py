"""`flask worker` (delivers the outbox through Notify with the portal's listeners) and
`flask notify-sandbox` (the local Notify-compatible server, the default when NOTIFY_API_KEY is unset)."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import click
from flask import Flask, current_app

from notifications.client import NotifyGateway
from notifications.sandbox.__main__ import main as sandbox_main
from notifications.worker import Worker, install_signal_handlers
from portal import logs
from portal.config import SANDBOX_API_KEY


def gateway_from_config() -> NotifyGateway:
    config = current_app.config
    return NotifyGateway(
        config["NOTIFY_API_KEY"],
        base_url=config["NOTIFY_BASE_URL"],
        email_template_id=config["NOTIFY_EMAIL_TEMPLATE_ID"],
        sms_template_id=config["NOTIFY_SMS_TEMPLATE_ID"],
        letter_template_id=config["NOTIFY_LETTER_TEMPLATE_ID"],
        international_sms=config["NOTIFY_INTERNATIONAL_SMS"],
        international_letters=config["NOTIFY_INTERNATIONAL_LETTERS"],
    )


PERIODIC_SECONDS = 600


def _periodic_jobs(app: Flask, stop: threading.Event) -> None:
    """Portal housekeeping that runs beside delivery: tell victims whose delegations have ended; forget
    agency API token ids too old to be replayed; delete preference drafts whose session has ended; queue the
    hearing reminders that are due (portal/cli/reminders.py). Each job is its own transaction; a failure is logged and
    tried again next time."""
    from portal.cli import reminders
    from portal.extensions import db
    from portal.services.agency_api import auth as api_auth
    from portal.services.delegation import grants as delegations
    from portal.services.preferences import drafts

    log = logging.getLogger("portal.periodic")
    while not stop.is_set():
        try:
            with app.app_context(), db.job() as session:
                told = delegations.announce_expired(session)
            if told:
                log.info("told %d victim(s) that a delegation ended", told)
            with app.app_context(), db.job() as session:
                api_auth.forget_expired_token_ids(session, datetime.now(UTC))
            with app.app_context(), db.job() as session:
                drafts.purge_expired(session)
            reminded = reminders.queue_due(app)
            if reminded:
                log.info("queued %d hearing reminder(s)", reminded)
            _apply_retention(app)
        except Exception:
            log.exception("periodic job failed; will try again")
        stop.wait(PERIODIC_SECONDS)


def _apply_retention(app: Flask) -> None:
    """The retention schedule (portal/services/retention): one transaction a batch, audited."""
    from portal.extensions import db
    from portal.services.retention import job

    with app.app_context():
        report = job.run(db.job, app.config, datetime.now(UTC))
    if any(report.removed.values()):
        logging.getLogger("portal.periodic").info("retention: %s", report.removed)


def init_app(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option(
        "--rate", type=float, default=None, help="Messages a minute (default NOTIFY_RATE_PER_MINUTE)."
    )
    @click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
    def worker(rate: float | None, once: bool) -> None:
        """Deliver queued messages through GOV.UK Notify until SIGTERM or Ctrl-C."""
        logs.configure(current_app.config["LOG_FORMAT"], kind="worker")
        rate_per_minute = rate or float(current_app.config.get("NOTIFY_RATE_PER_MINUTE", 3000))
        state = current_app.extensions["database"]
        gateway = gateway_from_config()
        delivery_worker = Worker(state.session_factory, gateway, rate_per_minute=rate_per_minute)
        try:
            if once:
                click.echo(f"Delivered {delivery_worker.run_once()} message(s).")
                return
            stop = threading.Event()
            install_signal_handlers(stop)
            # The app itself, not the context-local proxy: the thread has no app context of its own.
            app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy method
            housekeeping = threading.Thread(target=_periodic_jobs, args=(app, stop), daemon=True)
            housekeeping.start()
            delivery_worker.run_forever(stop)
            housekeeping.join(timeout=5)
        finally:
            gateway.close()

    @app.cli.command("notify-sandbox")
    @click.option("--port", type=int, default=6011)
    def notify_sandbox(port: int) -> None:
        """Serve the local Notify sandbox, sending delivery receipts to this portal."""
        config = current_app.config
        logs.configure(config["LOG_FORMAT"], kind="sandbox")
        if config["NOTIFY_API_KEY"] != SANDBOX_API_KEY:
            raise click.ClickException(
                "NOTIFY_API_KEY is set: the portal talks to GOV.UK Notify, not the sandbox."
            )
        callback = config["PORTAL_BASE_URL"].rstrip("/") + "/notifications/receipts"
        sandbox_main(
            [
                "--port",
                str(port),
                "--api-key",
                SANDBOX_API_KEY,
                "--callback-url",
                callback,
                "--callback-token",
                config["NOTIFY_CALLBACK_TOKEN"],
                # The service the sandbox stands in for: the portal's templates and permissions.
                "--email-template-id",
                config["NOTIFY_EMAIL_TEMPLATE_ID"],
                "--sms-template-id",
                config["NOTIFY_SMS_TEMPLATE_ID"],
                "--letter-template-id",
                config["NOTIFY_LETTER_TEMPLATE_ID"],
                "--international-sms" if config["NOTIFY_INTERNATIONAL_SMS"] else "--no-international-sms",
                "--international-letters"
                if config["NOTIFY_INTERNATIONAL_LETTERS"]
                else "--no-international-letters",
            ]
        )
