"""`GET /metrics` in Prometheus text: request counts and durations (per process), and figures read from
the database at scrape time so they agree whichever process answers: outbox messages by status, the
backlog and its oldest message's age, Notify failures by kind, the workers' heartbeat age, and updates
past their Code deadline (ops/alerts.yml alerts on them). Counts only: nothing about any person.

When METRICS_TOKEN is set, a scrape must send `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac
import time

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import csrf, db
from portal.services.cases import operations, timeliness
from portal.services.quality import compliance

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "portal_requests",
    "HTTP requests answered, by endpoint and status",
    ["endpoint", "status"],
    registry=REGISTRY,
)
DURATION = Histogram(
    "portal_request_seconds",
    "Time to answer a request, by endpoint",
    ["endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    registry=REGISTRY,
)
OUTBOX = Gauge("portal_outbox_messages", "Outbox messages by delivery status", ["status"], registry=REGISTRY)
OVERDUE = Gauge(
    "portal_updates_past_deadline_untold",
    "Updates whose Code deadline has passed and whose victim has not been told",
    registry=REGISTRY,
)
DATABASE_UP = Gauge("portal_database_up", "1 if the database answered the last scrape", registry=REGISTRY)
WAITING = Gauge(
    "portal_outbox_waiting_messages",
    "Messages due to go out that Notify has not yet accepted (the backlog)",
    registry=REGISTRY,
)
OLDEST_WAITING = Gauge(
    "portal_outbox_oldest_waiting_seconds",
    "How long the oldest message due to go out has waited (0 when none waits)",
    registry=REGISTRY,
)
HEARTBEAT_AGE = Gauge(
    "portal_worker_heartbeat_age_seconds",
    "Seconds since a notifications worker last wrote its heartbeat (+Inf if none has); workers beat every 10",
    registry=REGISTRY,
)
NOTIFY_FAILURES = Gauge(
    "portal_notify_failures",
    "Messages Notify is failing, by kind: waiting to be tried again (rate-limited, unavailable, "
    "temporary-failure, technical-failure) or failed for good in the last hour (permanent-failure, "
    "rejected, gave-up)",
    ["kind"],
    registry=REGISTRY,
)
CODE_COMPLIANCE = Gauge(
    "portal_code_compliance",
    "Victims' Code compliance over the last 12 months (portal.services.quality.compliance), by right, agency "
    "and measure: pairs of (update or case, victim) that met it or not",
    ["right", "agency", "measure", "outcome"],
    registry=REGISTRY,
)


def init_app(app: Flask) -> None:
    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        endpoint = request.endpoint or "unmatched"
        REQUESTS.labels(endpoint, str(response.status_code)).inc()
        started = g.get("metrics_started")
        if started is not None:
            DURATION.labels(endpoint).observe(time.perf_counter() - started)
        return response

    @app.route("/metrics")
    @csrf.exempt
    def metrics() -> Response:
        expected = current_app.config.get("METRICS_TOKEN") or ""
        if expected and not hmac.compare_digest(
            request.headers.get("Authorization", ""), f"Bearer {expected}"
        ):
            return Response("Unauthorised\n", status=401, mimetype="text/plain")
        try:
            figures = operations.figures(db.session)
        except SQLAlchemyError:
            DATABASE_UP.set(0)
        else:
            DATABASE_UP.set(1)
            OUTBOX.clear()
            for status, count in figures.outbox_by_status.items():
                OUTBOX.labels(status).set(count)
            OVERDUE.set(figures.updates_past_deadline_untold)
            delivery = figures.delivery
            WAITING.set(delivery.waiting)
            OLDEST_WAITING.set(delivery.oldest_waiting_age)
            age = delivery.heartbeat_age
            HEARTBEAT_AGE.set(float("inf") if age is None else age)
            for kind, count in figures.notify_failures.items():
                NOTIFY_FAILURES.labels(kind).set(count)
            CODE_COMPLIANCE.clear()
            for measure in compliance.all_measures(db.session, timeliness.default_period()):
                labels = (str(measure.right), measure.agency, measure.measure)
                CODE_COMPLIANCE.labels(*labels, "met").set(measure.met)
                CODE_COMPLIANCE.labels(*labels, "not-met").set(measure.total - measure.met)
        return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST)
