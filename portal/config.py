"""Settings, read once from the environment. Defaults run the whole service on one machine."""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from notifications.sandbox.defaults import (
    DEFAULT_EMAIL_TEMPLATE_ID,
    DEFAULT_LETTER_TEMPLATE_ID,
    DEFAULT_SMS_TEMPLATE_ID,
)
from portal.services.accounts import one_login
from portal.services.requests.kinds import parse_targets

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


# PORTAL_ENV: "development" (the default: everything runs on one machine with local fallbacks) or
# "production" (no fallbacks: create_app refuses to start unless every setting it needs is set and sound).
DEVELOPMENT = "development"
PRODUCTION = "production"
PORTAL_ENVIRONMENTS = (DEVELOPMENT, PRODUCTION)
NOTIFY_API_URL = "https://api.notifications.service.gov.uk"
MIN_SECRET_KEY_LENGTH = 32
MIN_TOKEN_LENGTH = 16
#: The longest lead time HEARING_REMINDER_WORKING_DAYS may set.
MAX_REMINDER_WORKING_DAYS = 10


class SettingsError(RuntimeError):
    """Settings are missing or unsound: the portal refuses to start (the message names each one)."""


def _portal_env() -> str:
    return (os.environ.get("PORTAL_ENV") or DEVELOPMENT).strip().lower()


def _in_production() -> bool:
    return _portal_env() == PRODUCTION


def _default_database_url() -> str:
    return "" if _in_production() else f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"


def default_web_processes() -> int:
    """How many web processes gunicorn.conf.py starts when WEB_CONCURRENCY is unset: two per core."""
    return 2 * (os.cpu_count() or 1)


# The key the portal uses with the local Notify sandbox when NOTIFY_API_KEY is unset. Not a secret: the
# sandbox only runs on this machine and sends nothing anywhere.
SANDBOX_API_KEY = "local_sandbox-5b2c1f0e-6a77-4d4e-9d1c-7f3e2a9b8c10-0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f"


def _instance_secret(name: str) -> str:
    """A random secret kept in instance/ so every local process (web workers, worker, sandbox) shares it.
    Production sets the environment variable instead."""
    path = INSTANCE_DIR / name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE_DIR.mkdir(exist_ok=True)
        value = secrets.token_hex(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another local process created it first
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(value)
        return value


def _local_secret(name: str, file_name: str) -> str:
    """The environment variable, or outside production a secret kept in instance/ (`_instance_secret`).
    Production never makes its own: a missing variable stays "" and create_app refuses to start."""
    value = os.environ.get(name)
    if value:
        return value
    return "" if _in_production() else _instance_secret(file_name)


def _local_default(name: str, local: str, production: str = "") -> str:
    """The environment variable (even if empty), else the one-machine default, or in production
    `production` (usually nothing: the setting must be given)."""
    return os.environ.get(name, production if _in_production() else local)


def _env_int(name: str, default: int) -> int:
    """A whole number from the environment; anything else is -1, which the checks below refuse."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError:
        return -1


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Settings:
    """Everything the portal reads from its environment, with defaults for the embedded set-up."""

    # "development" (default) or "production": see check_settings.
    PORTAL_ENV: str = field(default_factory=_portal_env)
    SECRET_KEY: str = field(default_factory=lambda: _local_secret("SECRET_KEY", "secret_key"))
    DATABASE_URL: str = field(
        default_factory=lambda: os.environ.get("DATABASE_URL") or _default_database_url()
    )
    NOTIFY_API_KEY: str = field(
        default_factory=lambda: (
            os.environ.get("NOTIFY_API_KEY") or ("" if _in_production() else SANDBOX_API_KEY)
        )
    )
    NOTIFY_BASE_URL: str = field(
        default_factory=lambda: _local_default("NOTIFY_BASE_URL", "http://127.0.0.1:6011", NOTIFY_API_URL)
    )
    NOTIFY_CALLBACK_TOKEN: str = field(
        default_factory=lambda: _local_secret("NOTIFY_CALLBACK_TOKEN", "notify_callback_token")
    )
    NOTIFY_EMAIL_TEMPLATE_ID: str = field(
        default_factory=lambda: _local_default("NOTIFY_EMAIL_TEMPLATE_ID", DEFAULT_EMAIL_TEMPLATE_ID)
    )
    NOTIFY_SMS_TEMPLATE_ID: str = field(
        default_factory=lambda: _local_default("NOTIFY_SMS_TEMPLATE_ID", DEFAULT_SMS_TEMPLATE_ID)
    )
    NOTIFY_LETTER_TEMPLATE_ID: str = field(
        default_factory=lambda: _local_default("NOTIFY_LETTER_TEMPLATE_ID", DEFAULT_LETTER_TEMPLATE_ID)
    )
    # The Notify service's permissions (Settings > "Send text messages to international numbers" and
    # "Send letters to international addresses"). Off, as in a new Notify service: only UK mobiles
    # (including the Channel Islands and the Isle of Man) and UK addresses are accepted anywhere.
    NOTIFY_INTERNATIONAL_SMS: bool = field(
        default_factory=lambda: _env_bool("NOTIFY_INTERNATIONAL_SMS", False)
    )
    NOTIFY_INTERNATIONAL_LETTERS: bool = field(
        default_factory=lambda: _env_bool("NOTIFY_INTERNATIONAL_LETTERS", False)
    )
    PORTAL_BASE_URL: str = field(
        default_factory=lambda: _local_default("PORTAL_BASE_URL", "http://127.0.0.1:5000")
    )
    REDIS_URL: str = field(default_factory=lambda: os.environ.get("REDIS_URL", ""))
    # How many proxies (load balancers) in front of the portal add X-Forwarded-For and -Proto: that many
    # are trusted (Werkzeug's ProxyFix), so per-IP rate limits see the person's address. 0: none.
    PROXY_HOPS: int = field(default_factory=lambda: _env_int("PROXY_HOPS", 0))
    # How many web processes gunicorn runs on this machine (gunicorn.conf.py reads the same variable and
    # has the same default): more than one needs REDIS_URL in production.
    WEB_CONCURRENCY: int = field(default_factory=lambda: _env_int("WEB_CONCURRENCY", default_web_processes()))
    # Requests each agency API client may make (flask-limiter syntax).
    API_RATE_LIMIT: str = field(default_factory=lambda: os.environ.get("API_RATE_LIMIT", "3000/minute"))
    # Who runs the service and where to write about personal data and accessibility: named on the privacy
    # notice and the accessibility statement (/privacy, /accessibility-statement). Required in production.
    SERVICE_OWNER: str = field(default_factory=lambda: os.environ.get("SERVICE_OWNER", ""))
    PRIVACY_CONTACT_EMAIL: str = field(default_factory=lambda: os.environ.get("PRIVACY_CONTACT_EMAIL", ""))
    ACCESSIBILITY_CONTACT_EMAIL: str = field(
        default_factory=lambda: os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "")
    )
    # When set, GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".
    METRICS_TOKEN: str = field(default_factory=lambda: os.environ.get("METRICS_TOKEN", ""))
    DEMO_PASSWORD: str = field(default_factory=lambda: os.environ.get("DEMO_PASSWORD", "demo-only-password"))
    DEMO_TOTP_SECRET: str = field(
        default_factory=lambda: os.environ.get("DEMO_TOTP_SECRET", "DEMOONLYDEMOONLYDEMOONLYDEMOONLY")
    )
    # Cookies are marked Secure (and take the __Host- prefix) whenever the portal is served over HTTPS.
    SECURE_COOKIES: bool = field(
        default_factory=lambda: _env_bool(
            "SECURE_COOKIES", os.environ.get("PORTAL_BASE_URL", "").startswith("https://")
        )
    )
    MAX_CONTENT_LENGTH: int = 256 * 1024
    # Code timescales marked "(unconfirmed)" in the vocabulary can be overridden here, e.g.
    # CODE_TIMESCALE_OVERRIDES="suspect-charged=5/1,appeal-lodged=5/2".
    CODE_TIMESCALE_OVERRIDES: str = field(
        default_factory=lambda: os.environ.get("CODE_TIMESCALE_OVERRIDES", "")
    )
    # Targets for answering victims' requests where an agency's published target differs from ours, e.g.
    # REQUEST_TARGETS="complaint:police=5/20,review:cps=5/30" (services/requests/kinds.py).
    REQUEST_TARGETS: str = field(default_factory=lambda: os.environ.get("REQUEST_TARGETS", ""))
    # Working days before a hearing that a victim needed at it as a witness is reminded (1 to 10;
    # portal/services/cases/hearing_reminders.py).
    HEARING_REMINDER_WORKING_DAYS: int = field(
        default_factory=lambda: _env_int("HEARING_REMINDER_WORKING_DAYS", 1)
    )
    # Agency API calls refused at authentication that one address may make a minute (flask-limiter syntax);
    # past it every call from that address is answered 429 before its token is checked.
    API_REFUSAL_RATE_LIMIT: str = field(
        default_factory=lambda: os.environ.get("API_REFUSAL_RATE_LIMIT", "60/minute")
    )
    # How long each kind of record is kept: the retention schedule (portal/services/retention/schedule.py).
    RETENTION_CASE_YEARS: int = field(default_factory=lambda: _env_int("RETENTION_CASE_YEARS", 6))
    RETENTION_SIGN_IN_CODE_DAYS: int = field(
        default_factory=lambda: _env_int("RETENTION_SIGN_IN_CODE_DAYS", 7)
    )
    RETENTION_TOKEN_DAYS: int = field(default_factory=lambda: _env_int("RETENTION_TOKEN_DAYS", 30))
    RETENTION_API_REFUSAL_DAYS: int = field(
        default_factory=lambda: _env_int("RETENTION_API_REFUSAL_DAYS", 90)
    )
    RETENTION_AUDIT_YEARS: int = field(default_factory=lambda: _env_int("RETENTION_AUDIT_YEARS", 7))
    RETENTION_COMMUNICATIONS_DAYS: int = field(
        default_factory=lambda: _env_int("RETENTION_COMMUNICATIONS_DAYS", 365)
    )
    RETENTION_BATCH_SIZE: int = field(default_factory=lambda: _env_int("RETENTION_BATCH_SIZE", 500))
    # Sign in with GOV.UK One Login (portal/services/accounts/one_login.py): on only when the client id, the
    # issuer (discovery at <issuer>/.well-known/openid-configuration) and the path of the service's private
    # key (PEM, EC P-256 or RSA) are all set. ONE_LOGIN_VTR: the confidence asked for, Cl.Cm (medium) or Cl.
    # The two return addresses default to PORTAL_BASE_URL + /one-login/callback and + /signed-out.
    ONE_LOGIN_CLIENT_ID: str = field(default_factory=lambda: os.environ.get("ONE_LOGIN_CLIENT_ID", ""))
    ONE_LOGIN_ISSUER: str = field(default_factory=lambda: os.environ.get("ONE_LOGIN_ISSUER", ""))
    ONE_LOGIN_PRIVATE_KEY_PATH: str = field(
        default_factory=lambda: os.environ.get("ONE_LOGIN_PRIVATE_KEY_PATH", "")
    )
    ONE_LOGIN_VTR: str = field(default_factory=lambda: os.environ.get("ONE_LOGIN_VTR", "Cl.Cm"))
    ONE_LOGIN_REDIRECT_URI: str = field(default_factory=lambda: os.environ.get("ONE_LOGIN_REDIRECT_URI", ""))
    ONE_LOGIN_POST_LOGOUT_REDIRECT_URI: str = field(
        default_factory=lambda: os.environ.get("ONE_LOGIN_POST_LOGOUT_REDIRECT_URI", "")
    )
    # "json" (default): one JSON object a line, for log collectors; "text": one readable line (`make run`).
    LOG_FORMAT: str = field(default_factory=lambda: os.environ.get("LOG_FORMAT", "json").strip().lower())
    TESTING: bool = False
    # The tests' check that a kept standing follows every change (portal/services/cases/timeline.py): each
    # view that uses a kept copy works the standing out afresh as well and fails if they differ. Never in
    # service: it undoes what keeping saves.
    KEPT_STANDING_CHECKED: bool = False

    def as_flask_config(self) -> dict[str, object]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


# --- Checks: create_app() refuses to start on any of these ------------------------------------------


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _notify_key_problem(key: str) -> str | None:
    if not key:
        return "not set"
    if key == SANDBOX_API_KEY:
        return "is the local Notify sandbox's key: set a GOV.UK Notify API key"
    if len(key) < 74 or key[-37] != "-" or not (_is_uuid(key[-73:-37]) and _is_uuid(key[-36:])):
        return "is not a GOV.UK Notify API key (its name, service id and secret, joined by hyphens)"
    return None


def _secret_problem(value: str, minimum: int, what: str) -> str | None:
    if not value:
        return f"not set ({what})"
    if len(value) < minimum:
        return f"too short: use a random value of at least {minimum} characters ({what})"
    return None


def _https_problem(url: str) -> str | None:
    if not url:
        return "not set"
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return "must be an https:// address with a host name"
    return None


def _database_problem(url: str) -> str | None:
    if not url:
        return "not set"
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        return "is not a database URL"
    if backend != "postgresql":
        return f"must be PostgreSQL (e.g. postgresql+psycopg://user@host/db), not {backend}"
    return None


def _template_problem(template_id: str, sandbox_id: str) -> str | None:
    if not template_id:
        return "not set (the id of the generic template in GOV.UK Notify)"
    if template_id == sandbox_id:
        return "is the local Notify sandbox's template id"
    if not _is_uuid(template_id):
        return "is not a Notify template id (a UUID)"
    return None


def _rate_limit_problems(config: Mapping[str, Any]) -> dict[str, str]:
    """Several web processes each counting in memory would multiply every rate limit: Redis is needed."""
    processes = config.get("WEB_CONCURRENCY")
    redis_url = str(config.get("REDIS_URL") or "")
    problems: dict[str, str] = {}
    if not isinstance(processes, int) or isinstance(processes, bool) or processes < 1:
        problems["WEB_CONCURRENCY"] = "must be a whole number, 1 or more (gunicorn's web processes)"
    elif processes > 1 and not redis_url:
        problems["REDIS_URL"] = (
            f"not set, and there are {processes} web processes (WEB_CONCURRENCY, or gunicorn.conf.py's "
            "default of two per core): each would keep its own rate-limit counters. Set REDIS_URL, or "
            "WEB_CONCURRENCY=1 if one web process on one machine serves the portal"
        )
    if redis_url and urlsplit(redis_url).scheme.split("+")[0] not in ("redis", "rediss"):
        problems["REDIS_URL"] = "must be a Redis URL (redis:// or rediss://)"
    return problems


def _production_problems(config: Mapping[str, Any]) -> dict[str, str]:
    def text(name: str) -> str:
        return str(config.get(name) or "")

    checks: dict[str, str | None] = {
        "SECRET_KEY": _secret_problem(text("SECRET_KEY"), MIN_SECRET_KEY_LENGTH, "it signs session cookies"),
        "NOTIFY_API_KEY": _notify_key_problem(text("NOTIFY_API_KEY")),
        "NOTIFY_BASE_URL": _https_problem(text("NOTIFY_BASE_URL")),
        "NOTIFY_CALLBACK_TOKEN": _secret_problem(
            text("NOTIFY_CALLBACK_TOKEN"), MIN_TOKEN_LENGTH, "Notify sends it with delivery receipts"
        ),
        "NOTIFY_EMAIL_TEMPLATE_ID": _template_problem(
            text("NOTIFY_EMAIL_TEMPLATE_ID"), DEFAULT_EMAIL_TEMPLATE_ID
        ),
        "NOTIFY_SMS_TEMPLATE_ID": _template_problem(text("NOTIFY_SMS_TEMPLATE_ID"), DEFAULT_SMS_TEMPLATE_ID),
        "NOTIFY_LETTER_TEMPLATE_ID": _template_problem(
            text("NOTIFY_LETTER_TEMPLATE_ID"), DEFAULT_LETTER_TEMPLATE_ID
        ),
        "METRICS_TOKEN": _secret_problem(
            text("METRICS_TOKEN"), MIN_TOKEN_LENGTH, "without it /metrics is open to anyone"
        ),
        "PORTAL_BASE_URL": _https_problem(text("PORTAL_BASE_URL")),
        "DATABASE_URL": _database_problem(text("DATABASE_URL")),
        "SERVICE_OWNER": None
        if text("SERVICE_OWNER")
        else "must name who runs the service (the data controller)",
        "PRIVACY_CONTACT_EMAIL": None
        if "@" in text("PRIVACY_CONTACT_EMAIL")
        else "must be the email address for questions about personal data",
        "ACCESSIBILITY_CONTACT_EMAIL": None
        if "@" in text("ACCESSIBILITY_CONTACT_EMAIL")
        else "must be the email address for reporting accessibility problems",
        "SECURE_COOKIES": (
            None
            if config.get("SECURE_COOKIES") or _https_problem(text("PORTAL_BASE_URL"))
            else "must not be turned off in production"
        ),
    }
    problems = {name: problem for name, problem in checks.items() if problem}
    return {**problems, **_rate_limit_problems(config)}


#: The retention schedule's settings (portal/services/retention/schedule.py): each a whole number, 1 or more.
RETENTION_SETTINGS = tuple(name for name in Settings.__dataclass_fields__ if name.startswith("RETENTION_"))


def settings_problems(config: Mapping[str, Any]) -> dict[str, str]:
    """Setting name -> what is wrong with it, for the settings in `config` (the app's, once merged)."""
    problems: dict[str, str] = {}
    environment = config.get("PORTAL_ENV")
    if environment not in PORTAL_ENVIRONMENTS:
        problems["PORTAL_ENV"] = f"must be {DEVELOPMENT} (the default) or {PRODUCTION}"
    hops = config.get("PROXY_HOPS")
    if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
        problems["PROXY_HOPS"] = (
            "must be a whole number, 0 or more: how many proxies in front of the portal add X-Forwarded-For"
        )
    for name in RETENTION_SETTINGS:
        value = config.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            problems[name] = "must be a whole number, 1 or more (a period of the retention schedule)"
    try:
        parse_targets(str(config.get("REQUEST_TARGETS") or ""))
    except ValueError as error:
        problems["REQUEST_TARGETS"] = str(error)
    lead = config.get("HEARING_REMINDER_WORKING_DAYS", 1)
    if not isinstance(lead, int) or isinstance(lead, bool) or not 1 <= lead <= MAX_REMINDER_WORKING_DAYS:
        problems["HEARING_REMINDER_WORKING_DAYS"] = (
            f"must be a whole number from 1 to {MAX_REMINDER_WORKING_DAYS}: working days before a hearing "
            "that a victim needed at it is reminded"
        )
    problems.update(one_login.settings_problems(config, production=environment == PRODUCTION))
    if environment == PRODUCTION:
        problems.update(_production_problems(config))
    return problems


def check_settings(config: Mapping[str, Any]) -> None:
    """Raise SettingsError naming every missing or unsound setting (values are never repeated: some are
    secrets). Outside production only PORTAL_ENV, PROXY_HOPS, the retention periods and, when any of them is
    set, One Login's settings are checked: the defaults run on one machine."""
    problems = settings_problems(config)
    if not problems:
        return
    where = " with PORTAL_ENV=production" if config.get("PORTAL_ENV") == PRODUCTION else ""
    lines = "\n".join(f"  - {name}: {problem}" for name, problem in problems.items())
    raise SettingsError(
        f"The portal will not start{where}. Fix these settings (README.md, Settings):\n{lines}"
    )
