"""Settings, read once from the environment. Defaults run the whole service on one machine."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from notifications.sandbox.defaults import (
    DEFAULT_EMAIL_TEMPLATE_ID,
    DEFAULT_LETTER_TEMPLATE_ID,
    DEFAULT_SMS_TEMPLATE_ID,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def _default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"


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


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class Settings:
    """Everything the portal reads from its environment, with defaults for the embedded set-up."""

    SECRET_KEY: str = field(
        default_factory=lambda: os.environ.get("SECRET_KEY") or _instance_secret("secret_key")
    )
    DATABASE_URL: str = field(
        default_factory=lambda: os.environ.get("DATABASE_URL") or _default_database_url()
    )
    NOTIFY_API_KEY: str = field(default_factory=lambda: os.environ.get("NOTIFY_API_KEY") or SANDBOX_API_KEY)
    NOTIFY_BASE_URL: str = field(
        default_factory=lambda: os.environ.get("NOTIFY_BASE_URL", "http://127.0.0.1:6011")
    )
    NOTIFY_CALLBACK_TOKEN: str = field(
        default_factory=lambda: (
            os.environ.get("NOTIFY_CALLBACK_TOKEN") or _instance_secret("notify_callback_token")
        )
    )
    NOTIFY_EMAIL_TEMPLATE_ID: str = field(
        default_factory=lambda: os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", DEFAULT_EMAIL_TEMPLATE_ID)
    )
    NOTIFY_SMS_TEMPLATE_ID: str = field(
        default_factory=lambda: os.environ.get("NOTIFY_SMS_TEMPLATE_ID", DEFAULT_SMS_TEMPLATE_ID)
    )
    NOTIFY_LETTER_TEMPLATE_ID: str = field(
        default_factory=lambda: os.environ.get("NOTIFY_LETTER_TEMPLATE_ID", DEFAULT_LETTER_TEMPLATE_ID)
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
        default_factory=lambda: os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000")
    )
    REDIS_URL: str = field(default_factory=lambda: os.environ.get("REDIS_URL", ""))
    # Requests each agency API client may make (flask-limiter syntax).
    API_RATE_LIMIT: str = field(default_factory=lambda: os.environ.get("API_RATE_LIMIT", "3000/minute"))
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
    TESTING: bool = False

    def as_flask_config(self) -> dict[str, object]:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}
