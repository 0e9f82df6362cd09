"""The victim's "Dates you cannot go to court and help you need at court" for one of their cases: a
summary, a page to add dates one at a time (the add-another pattern, without JavaScript), a page of
needs, check answers, and a banner once saved.

Answers in progress are kept on the server (server_drafts.py, journey "court-needs:<urn>") from the first
answer until they are saved or cancelled, so nothing is lost on an error or a timeout; a GET never writes
(the draft starts from the saved answers, without the dates that have passed). Saving keeps a new version
(services/court_needs/records.py), which witness care and the CPS read through the API.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.common import access
from portal.services.court_needs import labels, records
from portal.template_helpers import govuk_date
from portal.victim import bp, server_drafts
from portal.web.forms import EmptyForm, flash_saved
from portal.web.guards import victim_required

DATE_FIELDS = ("day", "month", "year")
ENTRY_FIELDS = (*DATE_FIELDS, "part", "reason")
TEXT_FIELDS = ("interpreter_language", "access_needs", "anything_else")


def _journey(urn: str) -> str:
    return f"court-needs:{urn}"


def _case(urn: str) -> Any:
    """The signed-in victim's own case (404 for anyone else's)."""
    return access.case_for_actor(db.session, current_user.actor, urn)


def _draft(urn: str, case_id: int) -> dict[str, Any]:
    """The answers in progress, or (not stored until something is answered) the saved ones."""
    stored = server_drafts.stored(_journey(urn))
    if stored is not None:
        return stored
    saved = records.current(db.session, server_drafts.victim_id(), case_id)
    today = records.london_today()
    return {
        **saved.to_document(),
        "dates": [item.to_json() for item in saved.upcoming(today)],
        "needs_answered": saved.version is not None,
    }


def _needs_of(draft: dict[str, Any]) -> records.CourtNeeds:
    return records.CourtNeeds.from_document(draft)


def _date_rows(dates_to_avoid: tuple[records.DateToAvoid, ...]) -> list[dict[str, Any]]:
    return [
        {
            "index": index,
            "day": item.day,
            "part": labels.PART_LABELS[item.part],
            "reason": labels.REASON_LABELS[item.reason],
        }
        for index, item in enumerate(dates_to_avoid)
    ]


def _parse_day(values: dict[str, str]) -> date | str:
    """The date typed in the three boxes, or the error message."""
    parts = {name: values.get(name, "").strip() for name in DATE_FIELDS}
    missing = [name for name, value in parts.items() if not value]
    if len(missing) == len(DATE_FIELDS):
        return labels.message("date_missing")
    if missing:
        part = f" {labels.AND} ".join(str(labels.DATE_PARTS[name]) for name in missing)
        return labels.message("date_part_missing", part=part)
    if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
        return labels.message("date_not_real")
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return labels.message("date_not_real")


def _add_entry(draft: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """Add the date typed to the draft; the errors by field ("date", "part", "reason", "dates")."""
    errors: dict[str, str] = {}
    day = _parse_day(values)
    if isinstance(day, str):
        errors["date"] = day
    if values.get("part") not in records.PARTS:
        errors["part"] = labels.message("part")
    if values.get("reason") not in records.REASONS:
        errors["reason"] = labels.message("reason")
    existing = _needs_of(draft).dates
    if errors or isinstance(day, str):
        return errors
    try:
        new = records.check_new_date(
            existing, records.DateToAvoid(day, values["part"], values["reason"]), records.london_today()
        )
    except records.InvalidCourtNeeds as problem:
        return {key: labels.message(value) for key, value in problem.errors.items()}
    draft["dates"] = [item.to_json() for item in sorted((*existing, new))]
    return {}


ERROR_ANCHORS = {"date": "#date-day", "part": "#part", "reason": "#reason", "dates": "#dates"}


@bp.route("/cases/<urn>/court-needs", endpoint="court_needs_summary")
@victim_required
def summary(urn: str) -> str:
    case = _case(urn)
    saved = records.current(db.session, server_drafts.victim_id(), case.id)
    return render_template(
        "victim/court_needs/summary.html",
        title=_("Dates you cannot go to court and help you need at court"),
        case=case,
        saved=saved,
        date_rows=_date_rows(saved.upcoming(records.london_today())),
        labels=labels,
        in_progress=server_drafts.stored(_journey(urn)) is not None,
        form=EmptyForm(),
    )


@bp.route("/cases/<urn>/court-needs/dates", endpoint="court_needs_dates", methods=["GET", "POST"])
@victim_required
def dates(urn: str) -> str | Response:
    case = _case(urn)
    draft = _draft(urn, case.id)
    form = EmptyForm()
    errors: dict[str, str] = {}
    values = {name: str(value) for name, value in (draft.get("entry") or {}).items()}
    if request.method == "POST" and form.validate_on_submit():
        values = {name: request.form.get(name, "") for name in ENTRY_FIELDS}
        action = request.form.get("action", "add")
        typed = any(values.get(name, "").strip() for name in DATE_FIELDS)
        if action == "add" or typed:
            errors = _add_entry(draft, values)
        if errors:
            draft["entry"] = values
        else:
            draft.pop("entry", None)
        server_drafts.save(_journey(urn), draft)
        if not errors:
            if action == "continue":
                return redirect(url_for(".court_needs_needs", urn=urn))
            return redirect(url_for(".court_needs_dates", urn=urn) + "#dates")
    needs = _needs_of(draft)
    return render_template(
        "victim/court_needs/dates.html",
        title=_("Dates you cannot go to court"),
        case=case,
        date_rows=_date_rows(needs.dates),
        full=len(needs.dates) >= records.MAX_DATES,
        max_dates=records.MAX_DATES,
        values=values,
        errors=errors,
        error_list=[{"text": text, "href": ERROR_ANCHORS[key]} for key, text in errors.items()],
        error_in_title=bool(errors),
        labels=labels,
        records=records,
        form=form,
    )


@bp.route("/cases/<urn>/court-needs/dates/remove", endpoint="court_needs_remove_date", methods=["POST"])
@victim_required
def remove_date(urn: str) -> Response:
    case = _case(urn)
    if EmptyForm().validate_on_submit():
        draft = _draft(urn, case.id)
        dates_now = list(_needs_of(draft).dates)
        index = request.form.get("index", "")
        if index.isdigit() and int(index) < len(dates_now):
            removed = dates_now.pop(int(index))
            draft["dates"] = [item.to_json() for item in dates_now]
            server_drafts.save(_journey(urn), draft)
            flash(_("The date %(date)s was removed.", date=govuk_date(removed.day)), "important")
    return redirect(url_for(".court_needs_dates", urn=urn))


@bp.route("/cases/<urn>/court-needs/needs", endpoint="court_needs_needs", methods=["GET", "POST"])
@victim_required
def needs_page(urn: str) -> str | Response:
    case = _case(urn)
    draft = _draft(urn, case.id)
    form = EmptyForm()
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        chosen = [need for need in request.form.getlist("needs") if need in records.NEEDS]
        draft.update({"needs": chosen, "needs_answered": True})
        draft.update({name: request.form.get(name, "") for name in TEXT_FIELDS})
        try:
            records.check(
                records.CourtNeeds(needs=tuple(chosen), **{n: draft[n] for n in TEXT_FIELDS}), date.min
            )
        except records.InvalidCourtNeeds as problem:
            errors = {key: labels.message(value) for key, value in problem.errors.items()}
        server_drafts.save(_journey(urn), draft)
        if not errors:
            return redirect(url_for(".court_needs_check", urn=urn))
    return render_template(
        "victim/court_needs/needs.html",
        title=_("Help you need at court"),
        case=case,
        draft=draft,
        errors=errors,
        error_list=[{"text": text, "href": f"#{key.replace('_', '-')}"} for key, text in errors.items()],
        error_in_title=bool(errors),
        labels=labels,
        records=records,
        form=form,
    )


@bp.route("/cases/<urn>/court-needs/check", endpoint="court_needs_check", methods=["GET", "POST"])
@victim_required
def check(urn: str) -> str | Response:
    case = _case(urn)
    draft = _draft(urn, case.id)
    if not draft.get("needs_answered"):
        return redirect(url_for(".court_needs_needs", urn=urn))
    needs = _needs_of(draft)
    form = EmptyForm()
    errors: list[dict[str, str]] = []
    if request.method == "POST" and form.validate_on_submit():
        actor = current_user.actor
        before = records.current(db.session, actor.victim_id, case.id).version
        try:
            saved = records.record(
                db.session,
                actor.victim_id,
                case.id,
                needs,
                actor=actor,
                actor_label=actor.label,
                source=records.SOURCE_VICTIM,
            )
        except records.InvalidCourtNeeds as problem:
            errors = [
                {
                    "text": labels.message(value),
                    "href": url_for(
                        ".court_needs_dates" if key == "dates" else ".court_needs_needs", urn=urn
                    ),
                }
                for key, value in problem.errors.items()
            ]
        else:
            server_drafts.drop(_journey(urn))
            flash_saved(
                _("Your dates and the help you need at court have been saved")
                if saved.version != before
                else None
            )
            return redirect(url_for(".court_needs_summary", urn=urn))
    return render_template(
        "victim/court_needs/check.html",
        title=_("Check your answers"),
        case=case,
        needs=needs,
        date_rows=_date_rows(needs.dates),
        errors=errors,
        error_in_title=bool(errors),
        labels=labels,
        form=form,
    )


@bp.route("/cases/<urn>/court-needs/cancel", endpoint="court_needs_cancel", methods=["POST"])
@victim_required
def cancel(urn: str) -> Response:
    _case(urn)
    if EmptyForm().validate_on_submit():
        server_drafts.drop(_journey(urn))
        flash(_("Your changes were not saved."), "important")
    return redirect(url_for(".court_needs_summary", urn=urn))
