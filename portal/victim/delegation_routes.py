"""The victim's "People helping you": every delegation, past and present, with what was looked at and
changed under each; "Ask someone to help you" (who, what they can do, until when, check your answers,
confirmation: one question per page); and stopping someone's access at any time.

Answers in progress (who, their email address, what they may do, until when) are kept on the server
(portal.victim.server_drafts, as the preferences pages' are) until the victim confirms them: the
session cookie, readable by whoever holds it, carries only an opaque token.
A change somebody else made (accepted, declined, stepped back, stopped by an officer, ended) is shown
once as a banner on the victim's next page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.common.errors import NotFound
from portal.services.delegation import grants as delegations
from portal.services.delegation import rules
from portal.services.delegation import views as delegation_views
from portal.services.delegation.rules import InvalidDelegation
from portal.victim import bp, server_drafts
from portal.victim.delegation_forms import (
    ORGANISATION,
    PERSON,
    EmailForm,
    OrganisationForm,
    ScopesForm,
    WhoForm,
)
from portal.web.forms import EmptyForm
from portal.web.guards import victim_required

#: The journey's name among the victim's server-side drafts.
DRAFT = "delegation"
SENT = "delegation_sent"
STEPS = ("who", "email", "organisation", "what", "until")


@bp.before_app_request
def _show_changes_made_by_others() -> None:
    """A change somebody else made to one of the victim's delegations: a banner on their next page."""
    if request.method != "GET" or request.blueprint != "victim":
        return
    if not (current_user.is_authenticated and current_user.is_victim):
        return
    if not current_user.may_have_delegation_notices:  # read with the user: they never gave one
        return
    for text in delegation_views.take_notices(db.session, current_user.actor):
        flash(text, "important")


# --- People helping you --------------------------------------------------------------------------


@bp.route("/people-helping-you", endpoint="delegations_overview")
@victim_required
def overview() -> str:
    rows = delegation_views.victim_overview(db.session, current_user.actor)
    return render_template(
        "victim/delegations/overview.html",
        title=_("People helping you"),
        live=[row for row in rows if row.live],
        past=[row for row in rows if not row.live],
    )


@bp.route(
    "/people-helping-you/<int:delegation_id>/stop", endpoint="delegations_stop", methods=["GET", "POST"]
)
@victim_required
def stop(delegation_id: int) -> str | Response:
    actor = current_user.actor
    row = delegation_views.victim_detail(db.session, actor, delegation_id)
    if not row.live:
        return redirect(url_for(".delegations_overview"))
    form = EmptyForm()
    if form.validate_on_submit():
        delegations.revoke(db.session, actor, delegation_id)
        flash(_("%(who)s can no longer see your information or act for you.", who=row.who), "success")
        return redirect(url_for(".delegations_overview"))
    return render_template(
        "victim/delegations/stop.html",
        title=_("Are you sure you want to stop %(who)s helping you?", who=row.who),
        row=row,
        form=form,
    )


# --- Ask someone to help you ---------------------------------------------------------------------


def _draft() -> dict[str, Any]:
    return server_drafts.stored(DRAFT) or {"answered": []}


def _save(draft: dict[str, Any], step: str) -> None:
    draft["answered"] = [s for s in STEPS if s in {*draft.get("answered", []), step}]
    server_drafts.save(DRAFT, draft)


def _applies(step: str, draft: dict[str, Any]) -> bool:
    if step == "email":
        return draft.get("kind") == PERSON
    if step == "organisation":
        return draft.get("kind") == ORGANISATION
    return True


def _next(draft: dict[str, Any]) -> Response:
    for step in STEPS:
        if _applies(step, draft) and step not in draft.get("answered", []):
            return redirect(url_for(".delegations_question", step=step))
    return redirect(url_for(".delegations_check"))


def _back(step: str, draft: dict[str, Any]) -> str:
    shown = [s for s in STEPS if _applies(s, draft)]
    if all(s in draft.get("answered", []) for s in shown):
        return url_for(".delegations_check")
    if step in shown and shown.index(step) > 0:
        return url_for(".delegations_question", step=shown[shown.index(step) - 1])
    return url_for(".delegations_overview")


@bp.route("/people-helping-you/new", endpoint="delegations_start")
@victim_required
def start() -> Response:
    server_drafts.drop(DRAFT)
    return redirect(url_for(".delegations_question", step="who"))


def _posted() -> Any:
    return request.form if request.method == "POST" else None


def _render_question(step: str, draft: dict[str, Any], form: Any, **context: Any) -> str:
    titles = {
        "who": _("Who do you want to help you?"),
        "email": _("What is their work email address?"),
        "organisation": _("Which organisation do you want to help you?"),
        "what": _("What can they do?"),
        "until": _("Until when can they help you?"),
    }
    return render_template(
        f"victim/delegations/{step}.html",
        title=titles[step],
        form=form,
        back=_back(step, draft),
        error_in_title=bool(context.get("errors")),
        **context,
    )


@bp.route("/people-helping-you/new/<step>", endpoint="delegations_question", methods=["GET", "POST"])
@victim_required
def question(step: str) -> str | Response:
    if step not in STEPS:
        abort(404)
    draft = _draft()
    if not _applies(step, draft):
        return _next(draft)
    handler = {"who": _who, "email": _email, "organisation": _organisation, "what": _what, "until": _until}
    return handler[step](draft)


def _who(draft: dict[str, Any]) -> str | Response:
    form = WhoForm(formdata=_posted(), data={"kind": draft.get("kind")})
    if form.validate_on_submit():
        if form.kind.data != draft.get("kind"):
            draft["answered"] = [s for s in draft.get("answered", []) if s not in ("email", "organisation")]
        draft["kind"] = form.kind.data
        _save(draft, "who")
        return _next(draft)
    return _render_question("who", draft, form)


def _email(draft: dict[str, Any]) -> str | Response:
    form = EmailForm(formdata=_posted(), data={"email": draft.get("email")})
    if form.validate_on_submit():
        try:
            worker = delegations.find_worker(db.session, form.email.data or "")
        except InvalidDelegation as problem:
            form.email.errors = [problem.errors["email"]]
        else:
            draft.update(email=form.email.data.strip(), worker_id=worker.id, organisation_id=None)
            _save(draft, "email")
            return _next(draft)
    return _render_question("email", draft, form)


def _organisation(draft: dict[str, Any]) -> str | Response:
    organisations = delegations.support_organisations(db.session)
    chosen = draft.get("organisation_id")
    form = OrganisationForm(organisations, formdata=_posted(), data={"organisation": str(chosen or "")})
    if form.validate_on_submit():
        draft.update(organisation_id=int(form.organisation.data), worker_id=None, email=None)
        _save(draft, "organisation")
        return _next(draft)
    return _render_question("organisation", draft, form, has_organisations=bool(organisations))


def _what(draft: dict[str, Any]) -> str | Response:
    form = ScopesForm(formdata=_posted(), data={"scopes": draft.get("scopes") or []})
    if form.validate_on_submit():
        try:
            draft["scopes"] = rules.check_scopes(form.scopes.data or [])
        except InvalidDelegation as problem:
            form.scopes.errors = [problem.errors["scopes"]]
        else:
            _save(draft, "what")
            return _next(draft)
    return _render_question("what", draft, form, items=form.items())


def _until(draft: dict[str, Any]) -> str | Response:
    form = EmptyForm()
    last_day = date.fromisoformat(draft["last_day"]) if draft.get("last_day") else rules.default_end_date()
    values = {"day": str(last_day.day), "month": str(last_day.month), "year": str(last_day.year)}
    error = None
    if request.method == "POST" and form.validate_on_submit():
        values = {part: request.form.get(f"ends-on-{part}", "") for part in ("day", "month", "year")}
        try:
            chosen = rules.check_end_date(rules.parse_date_parts(**values))
        except InvalidDelegation as problem:
            error = problem.errors["ends_on"]
        else:
            draft["last_day"] = chosen.isoformat()
            _save(draft, "until")
            return _next(draft)
    latest = rules.latest_end_date()
    return _render_question(
        "until",
        draft,
        form,
        values=values,
        error=error,
        errors=[{"text": error, "href": "#ends-on-day"}] if error else [],
        latest=latest,
    )


def _summary(draft: dict[str, Any]) -> dict[str, Any]:
    """What the check answers page shows (who by name, what they can do, the last day)."""
    if draft.get("kind") == PERSON:
        who = delegations.find_worker(db.session, draft.get("email") or "").label
    else:
        names = dict(delegations.support_organisations(db.session))
        who = names.get(draft.get("organisation_id") or 0, "")
    return {
        "who": who,
        "scopes": [str(rules.SCOPE_LABELS[s]) for s in draft.get("scopes", [])],
        "last_day": date.fromisoformat(draft["last_day"]),
    }


@bp.route("/people-helping-you/new/check", endpoint="delegations_check", methods=["GET", "POST"])
@victim_required
def check() -> str | Response:
    draft = _draft()
    steps = [s for s in STEPS if _applies(s, draft)]
    if not all(s in draft.get("answered", []) for s in steps):
        return _next(draft)
    try:
        summary = _summary(draft)
    except InvalidDelegation:  # the worker's account was closed meanwhile: ask again
        draft["answered"] = [s for s in draft["answered"] if s != "email"]
        _save(draft, "who")
        return _next(draft)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            delegation = delegations.grant_by_victim(
                db.session,
                current_user.actor,
                worker_user_id=draft.get("worker_id") if draft.get("kind") == PERSON else None,
                organisation_id=draft.get("organisation_id") if draft.get("kind") == ORGANISATION else None,
                scopes=draft.get("scopes", []),
                last_day=summary["last_day"],
            )
        except InvalidDelegation as problem:
            step = "until" if "ends_on" in problem.errors else "what" if "scopes" in problem.errors else "who"
            draft["answered"] = [s for s in draft["answered"] if s != step]
            server_drafts.save(DRAFT, draft)
            return redirect(url_for(".delegations_question", step=step))
        server_drafts.drop(DRAFT)
        session[SENT] = delegation.id
        return redirect(url_for(".delegations_confirmation"))
    return render_template(
        "victim/delegations/check.html",
        title=_("Check your answers"),
        form=form,
        summary=summary,
        draft=draft,
    )


@bp.route("/people-helping-you/new/confirmation", endpoint="delegations_confirmation")
@victim_required
def confirmation() -> str | Response:
    sent = session.get(SENT)
    if sent is None:
        return redirect(url_for(".delegations_overview"))
    try:
        row = delegation_views.victim_detail(db.session, current_user.actor, int(sent))
    except NotFound:
        return redirect(url_for(".delegations_overview"))
    return render_template("victim/delegations/confirmation.html", title=_("Request sent"), row=row)
