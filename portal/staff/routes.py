"""The witness care officer's workspace: the review queue, a victim's page, preferences given by phone,
finding a case, and the Code timeliness report. Officers only; everyone else gets a 404. An officer sees
only victims on their own unit's cases (services/access.py); every view of a victim is audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.accessible_formats import tasks as accessible_format_tasks
from portal.services.cases import officer_views, timeline, timeliness
from portal.services.common import pagination
from portal.services.common.errors import NotFound
from portal.services.court_needs import officer as court_officer
from portal.services.preferences import labels as preference_labels
from portal.services.preferences import reviews
from portal.services.preferences.rules import InvalidPreferences
from portal.services.requests import report as request_report
from portal.services.requests import views as request_views
from portal.services.secure_messages import report as message_report
from portal.staff import bp
from portal.staff.forms import (
    FILTER_LABELS,
    FindCaseForm,
    MarkReviewedForm,
    ReviewFilterForm,
    read_period,
)
from portal.staff.preferences_form import OfficerPreferencesForm
from portal.web.forms import EmptyForm, flash_saved
from portal.web.guards import officer_required


@bp.app_template_global()
def preference_source_label(source: str) -> str:
    return preference_labels.source_label(source)


@bp.app_template_global()
def preference_changed_labels(fields: tuple[str, ...]) -> list[str]:
    """What changed, as staff read it ("How to contact them", not "How we contact you")."""
    return preference_labels.staff_changed_labels(fields)


@bp.app_template_global()
def staff_preference_row(row: preference_labels.SummaryRow) -> preference_labels.SummaryRow:
    """A preference summary row as staff read it: about the victim, not to them."""
    return preference_labels.staff_row(row)


@bp.route("/review")
@officer_required
def review_queue() -> str:
    form = ReviewFilterForm(formdata=request.args)
    selected = form.selected()
    actor = current_user.actor
    items = reviews.review_queue(db.session, actor, selected)
    return render_template(
        "staff/queue.html",
        clashes=court_officer.listed_clashes(db.session, actor),
        court_needs_items=court_officer.review_items(db.session, actor),
        title=_("Review queue"),
        form=form,
        items=items,
        selected=selected,
        filter_labels=FILTER_LABELS,
        staff_labels=preference_labels.staff_labels(),
    )


@bp.route("/victims/<victim_id>/review", methods=["GET", "POST"])
@officer_required
def review(victim_id: str) -> str | Response:
    actor = current_user.actor
    form = MarkReviewedForm()
    if form.validate_on_submit():
        try:
            version = int(form.version.data or "0")
        except ValueError:
            abort(404)
        reviews.mark_reviewed(db.session, actor, victim_id, version, form.note.data)
        flash(_("Marked as reviewed."), "success")
        return redirect(url_for(".review_queue"))
    detail = reviews.review_detail(db.session, actor, victim_id)
    if request.method == "GET":
        form.version.data = str(detail.prefs.version or "")
    return render_template(
        "staff/review.html", title=_("Review preferences and needs"), form=form, detail=detail
    )


@bp.route("/victims/<victim_id>")
@officer_required
def victim(victim_id: str) -> str:
    actor = current_user.actor
    page = officer_views.victim_page(db.session, actor, victim_id)
    return render_template(
        "staff/victim.html",
        title=page.detail.victim_name,
        page=page,
        detail=page.detail,
        victim_requests=request_views.officer_requests(db.session, actor, victim_id=victim_id),
        victim_court_needs=court_officer.for_victim(db.session, actor, victim_id),
    )


@bp.route("/victims/<victim_id>/cases/<urn>")
@officer_required
def case(victim_id: str, urn: str) -> str:
    view = officer_views.case_view(
        db.session,
        current_user.actor,
        victim_id,
        urn,
        request.args.get("source"),
        pagination.page_number(request.args.get("page")),
        update_id=request.args.get("update"),
    )
    return render_template(
        "staff/case.html",
        title=view.timeline.case.offence,
        view=view,
        contacts=view.contacts,
        standing=view.standing,
        sources=timeline.SOURCES,
        status_labels=timeliness.STATUS_LABELS,
    )


@bp.route("/victims/<victim_id>/preferences", methods=["GET", "POST"])
@officer_required
def record_preferences(victim_id: str) -> str | Response:
    actor = current_user.actor
    name, document = officer_views.preferences_for_phone_form(db.session, actor, victim_id)
    form = (
        OfficerPreferencesForm()
        if request.method == "POST"
        else OfficerPreferencesForm.from_document(document)
    )
    if request.method == "POST" and form.validate_on_submit():
        try:
            changes = form.changes()
        except ValueError:
            form.rank_email.errors = [_("Give each way a different choice number")]
        else:
            try:
                version = officer_views.record_by_phone(db.session, actor, victim_id, changes)
            except InvalidPreferences as problem:
                form.show_errors(problem.errors)
            else:
                flash_saved(
                    None if version is None else _("Preferences recorded (version %(n)d).", n=version)
                )
                return redirect(url_for(".victim", victim_id=victim_id))
    return render_template(
        "staff/record_preferences.html",
        title=_("Record preferences given by phone"),
        form=form,
        victim_name=name,
        victim_id=victim_id,
        has_errors=any(field.errors for field in form),
    )


@bp.route("/find-case")
@officer_required
def find_case() -> str | Response:
    form = FindCaseForm(formdata=request.args if "urn" in request.args else None)
    found = None
    if "urn" in request.args and not form.validate():
        pass  # the form's own check (hidden characters) says what is wrong
    elif form.urn.data and form.urn.data.strip().upper().startswith("V-"):
        # A victim reference from the audit trail, where victims are never named.
        try:
            victim_id = officer_views.victim_id_for_reference(db.session, current_user.actor, form.urn.data)
            return redirect(url_for("staff.victim", victim_id=victim_id))
        except NotFound:
            form.urn.errors = [_("No victim of your unit has this reference. Check it and try again.")]
    elif form.urn.data:
        try:
            found = officer_views.victims_on_case(db.session, current_user.actor, form.urn.data)
        except NotFound:
            form.urn.errors = [_("No case of your unit has this reference. Check it and try again.")]
    elif "urn" in request.args:
        form.urn.errors = [_("Enter a case reference (URN)")]
    return render_template("staff/find_case.html", title=_("Find a case"), form=form, found=found)


def _report(now: datetime, *, audit_views: bool) -> dict[str, Any]:
    default = timeliness.default_period()
    period_input = read_period(request.args, default.start, default.end)
    context: dict[str, Any] = {"period_input": period_input, "empty_form": EmptyForm()}
    if period_input.errors or period_input.start is None or period_input.end is None:
        return context
    period = timeliness.Period(period_input.start, period_input.end)
    items = timeliness.unit_timeliness(db.session, current_user.actor, period, now=now)
    by_agency = timeliness.report_by_agency(items)
    by_type = timeliness.report_by_event_type(items)
    late = timeliness.late(items)
    not_told = timeliness.not_yet_told(items)
    if audit_views:  # the lists name victims; the CSV holds only figures
        reviews.record_staff_listing(
            db.session, current_user.actor, [i.victim_id for i in (*late, *not_told)], "timeliness report"
        )
    return {
        **context,
        "period": period,
        "items": items,
        "by_agency": by_agency,
        "by_type": by_type,
        "bars": timeliness.chart_bars(by_agency),
        "late": late,
        "not_told": not_told,
        "formats": accessible_format_tasks.summary(
            db.session, current_user.actor, period.start, period.end, now=now
        ),
    }


@bp.route("/timeliness")
@officer_required
def timeliness_report() -> str:
    not_told_page = pagination.page_number(request.args.get("not-told-page"))
    late_page = pagination.page_number(request.args.get("late-page"))
    context = _report(datetime.now(UTC), audit_views=True)
    if "period" in context:  # each list a page at a time; the links keep the period and the other list's page
        period = context["period"]
        context["not_told_pages"], context["not_told_shown"] = timeliness.list_page(
            context["not_told"], not_told_page
        )
        context["late_pages"], context["late_shown"] = timeliness.list_page(context["late"], late_page)
        context["request_rows"] = request_report.request_timeliness(db.session, current_user.actor, period)
        context["message_rows"] = message_report.reply_timeliness(db.session, current_user.actor, period)
        context["period_params"] = {
            **timeliness.period_params(period),
            "not-told-page": not_told_page if (not_told_page or 1) > 1 else None,
            "late-page": late_page if (late_page or 1) > 1 else None,
        }
    return render_template(
        "staff/timeliness.html",
        title=_("Timeliness against the Victims' Code"),
        error_in_title=bool(context["period_input"].errors),
        chart=timeliness,
        **context,
    )


@bp.route("/timeliness.csv")
@officer_required
def timeliness_csv() -> Response:
    context = _report(datetime.now(UTC), audit_views=False)
    if "period" not in context:
        abort(400)
    period = context["period"]
    body = timeliness.report_csv(period, context["by_agency"], context["by_type"])
    filename = f"timeliness-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
