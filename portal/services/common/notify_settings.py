"""The GOV.UK Notify service's permissions that decide which recipients it accepts (from the settings
`NOTIFY_INTERNATIONAL_SMS` and `NOTIFY_INTERNATIONAL_LETTERS`). Outside an app context (pure rule tests)
both are off, as in a new Notify service."""

from __future__ import annotations

from flask import current_app, has_app_context


def _permission(name: str) -> bool:
    return bool(current_app.config.get(name, False)) if has_app_context() else False


def international_sms() -> bool:
    """Whether the Notify service may send texts to numbers outside the UK and Crown Dependencies."""
    return _permission("NOTIFY_INTERNATIONAL_SMS")


def international_letters() -> bool:
    """Whether the Notify service may post letters to addresses outside the UK."""
    return _permission("NOTIFY_INTERNATIONAL_LETTERS")
