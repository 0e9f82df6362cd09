"""The victim's "How we contact you" and "What you need": question pages, check answers, confirmation,
a summary with "Change" links and the history of changes.

Answers in progress are kept on the server (preferences_drafts.py; the session cookie holds only an
opaque token), one draft per section, until the victim confirms them on "Check your answers"; nothing
is recorded before. Changing contact details or safe-contact settings needs the password again
(SECURITY.md 5).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.preferences import contact_points, labels
from portal.services.preferences import records as preferences
from portal.services.preferences.rules import InvalidPreferences
from portal.victim import bp
from portal.victim import preferences_pages as pages
from portal.victim.preferences_drafts import (
    confirm_password_redirect,
    drop_draft,
    get_draft,
    needs_password,
    next_url,
    section_changes,
    victim_id,
)
from portal.victim.preferences_steps import ERROR_STEPS, SECTION_KEYS, find_step
from portal.web.forms import EmptyForm, flash_saved
from portal.web.guards import victim_required

SAVED = "preferences_saved"
SECTIONS = (labels.CONTACT_SECTION, labels.NEEDS_SECTION)


def section_title(section: str) -> str:
    return _("How we contact you") if section == labels.CONTACT_SECTION else _("What you need")


# --- Pages -------------------------------------------------------------------------------------


@bp.route("/preferences", endpoint="preferences_summary")
@victim_required
def summary() -> str:
    prefs = preferences.current_preferences(db.session, victim_id())
    history = [
        (entry, labels.source_label(entry.source), labels.changed_labels(entry.changed_fields))
        for entry in preferences.preference_history(db.session, victim_id())
    ]
    # Email and text messages need a confirmed address or number; an officer's call does not.
    unconfirmed = [
        kind
        for channel, kind in (("email", "email"), ("sms", "phone"))
        if channel in prefs.channels and prefs.contact_status.get(kind) == contact_points.UNVERIFIED
    ]
    return render_template(
        "victim/preferences/summary.html",
        title=_("Your contact preferences and needs"),
        prefs=prefs,
        contact_rows=labels.contact_rows(prefs),
        needs_rows=labels.needs_rows(prefs),
        history=history,
        unconfirmed=unconfirmed,
    )


@bp.route("/preferences/<section>/start", endpoint="preferences_start")
@victim_required
def start(section: str) -> Response:
    if section not in SECTIONS:
        abort(404)
    draft = get_draft(section)
    return redirect(next_url(section, draft))


@bp.route("/preferences/<section>/<step_name>", endpoint="preferences_question", methods=["GET", "POST"])
@victim_required
def question(section: str, step_name: str) -> str | Response:
    step = find_step(section, step_name)
    if step is None:
        abort(404)
    draft = get_draft(section)
    if not step.applies(draft["doc"]):
        return redirect(next_url(section, draft))
    if step.asks_password and needs_password(section):
        return confirm_password_redirect()
    return pages.step_page(section, step, draft)


@bp.route("/preferences/<section>/check", endpoint="preferences_check", methods=["GET", "POST"])
@victim_required
def check(section: str) -> str | Response:
    if section not in SECTIONS:
        abort(404)
    draft = get_draft(section)
    first_missing = next_url(section, draft)
    if not first_missing.endswith("/check"):
        return redirect(first_missing)
    if needs_password(section, draft):
        return confirm_password_redirect()
    doc = draft["doc"]
    changes = section_changes(section, draft, SECTION_KEYS[section])
    errors: list[dict[str, str]] = []
    try:
        preferences.prepare(db.session, victim_id(), changes)
    except InvalidPreferences as problem:
        errors = [
            {
                "text": message,
                "href": url_for(
                    ".preferences_question", section=section, step_name=ERROR_STEPS.get(key, "channels")
                ),
            }
            for key, message in problem.errors.items()
        ]
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit() and not errors:
        actor = current_user.actor
        before = preferences.current_preferences(db.session, victim_id()).version
        saved = preferences.record_preferences(
            db.session, victim_id(), changes, actor=actor, actor_label=actor.label, source="victim online"
        )
        drop_draft(section)
        if saved.version == before:  # "Your answers have been saved" only when something was
            flash_saved(None)
            return redirect(url_for(".preferences_summary"))
        session[SAVED] = section
        return redirect(url_for(".preferences_confirmation", section=section))
    prefs = preferences.Preferences.from_document(
        doc, contact_status=contact_points.statuses(db.session, victim_id(), doc)
    )
    rows = labels.contact_rows(prefs) if section == labels.CONTACT_SECTION else labels.needs_rows(prefs)
    return render_template(
        "victim/preferences/check.html",
        title=_("Check your answers"),
        section=section,
        section_title=section_title(section),
        rows=rows,
        errors=errors,
        error_in_title=bool(errors),
        form=form,
    )


@bp.route("/preferences/<section>/cancel", endpoint="preferences_cancel", methods=["POST"])
@victim_required
def cancel(section: str) -> Response:
    if EmptyForm().validate_on_submit():
        drop_draft(section)
        flash(_("Your changes were not saved."), "important")
    return redirect(url_for(".preferences_summary"))


@bp.route("/preferences/<section>/confirmation", endpoint="preferences_confirmation")
@victim_required
def confirmation(section: str) -> str | Response:
    if section not in SECTIONS or session.get(SAVED) != section:
        return redirect(url_for(".preferences_summary"))
    prefs = preferences.current_preferences(db.session, victim_id())
    safe = preferences.safe_channels(prefs)
    return render_template(
        "victim/preferences/confirmation.html",
        title=_("Your answers have been saved"),
        section=section,
        section_title=section_title(section),
        prefs=prefs,
        safe=safe,
        ways=_(", then ").join(str(labels.CHANNEL_LABELS[c]).lower() for c in safe),
    )


# Confirming a contact point after the answers were saved (from the summary page).
bp.add_url_rule(
    "/preferences/confirm/<kind>",
    endpoint="preferences_confirm_saved",
    view_func=victim_required(pages.confirm_saved),
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/preferences/confirm/<kind>/send",
    endpoint="preferences_send_saved_code",
    view_func=victim_required(pages.send_saved_code),
    methods=["POST"],
)
