"""The pages every GOV.UK service has, linked from the footer of every page: help and contact, the
accessibility statement, the privacy notice and cookies. Open to everyone, signed in or not; nothing on
them is about any one person.

Who runs the service (the data controller, and where to write about personal data or accessibility) is a
setting, not a guess: `SERVICE_OWNER`, `PRIVACY_CONTACT_EMAIL` and `ACCESSIBILITY_CONTACT_EMAIL`. Outside
production the pages say plainly when they are not set; in production the portal refuses to start
without them (portal.config).
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.auth import bp
from portal.services.retention import schedule as retention


def _setting(key: str) -> int:
    """A retention period as set (or its default)."""
    setting, _unit, default = retention.PERIODS[key]
    return int(current_app.config.get(setting) or default)


def retention_for_people() -> list[str]:
    """The retention schedule in a victim's words, from the settings in force."""
    return [
        ngettext(
            "information about your case, and about you once all your cases have ended: for %(num)d year "
            "after the case ends",
            "information about your case, and about you once all your cases have ended: for %(num)d years "
            "after the case ends",
            _setting("cases"),
        ),
        ngettext(
            "the words of the messages we sent you: for %(num)d day after they were delivered or failed",
            "the words of the messages we sent you: for %(num)d days after they were delivered or failed",
            _setting("communications"),
        ),
        ngettext(
            "security codes: for %(num)d day after they stop working",
            "security codes: for %(num)d days after they stop working",
            _setting("sign_in_codes"),
        ),
        ngettext(
            "links to set up your account or reset your password: for %(num)d day after they stop working",
            "links to set up your account or reset your password: for %(num)d days after they stop working",
            _setting("tokens"),
        ),
        ngettext(
            "the record of who looked at or changed your information: for %(num)d year",
            "the record of who looked at or changed your information: for %(num)d years",
            _setting("audit"),
        ),
    ]


def _owner() -> dict[str, str | None]:
    config = current_app.config
    return {
        "owner": config.get("SERVICE_OWNER") or None,
        "privacy_email": config.get("PRIVACY_CONTACT_EMAIL") or None,
        "accessibility_email": config.get("ACCESSIBILITY_CONTACT_EMAIL") or None,
    }


@bp.route("/help")
def help_and_contact() -> str:
    return render_template("information/help.html", title=_("Help and contact"))


@bp.route("/accessibility-statement")
def accessibility_statement() -> str:
    return render_template("information/accessibility.html", title=_("Accessibility statement"), **_owner())


@bp.route("/privacy")
def privacy_notice() -> str:
    return render_template(
        "information/privacy.html",
        title=_("Privacy notice"),
        periods=retention_for_people(),
        **_owner(),
    )


@bp.route("/cookies")
def cookies() -> str:
    return render_template(
        "information/cookies.html",
        title=_("Cookies"),
        cookie_name=current_app.config.get("SESSION_COOKIE_NAME", "session"),
    )
