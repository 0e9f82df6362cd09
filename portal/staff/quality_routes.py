"""The quality report, next to the timeliness report: checks on what agencies send, victims' answers to
"Was this update clear?", officers' reviews of a sample and their agreement with the checks, and Code
compliance by right. No victim is named on these pages or in the CSV."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.cases import timeliness
from portal.services.quality import compliance, elements, examples, report, reviews
from portal.staff import bp
from portal.staff.forms import read_period
from portal.web.guards import officer_required

YES = "yes"
NO = "no"


def _context(now: datetime) -> dict[str, Any]:
    default = timeliness.default_period()
    period_input = read_period(request.args, default.start, default.end)
    context: dict[str, Any] = {"period_input": period_input}
    if period_input.errors or period_input.start is None or period_input.end is None:
        return context
    period = timeliness.Period(period_input.start, period_input.end)
    actor = current_user.actor
    items = report.unit_items(db.session, actor, period)
    agencies = report.by_agency(items)
    return {
        **context,
        "period": period,
        "items": items,
        "by_agency": agencies,
        "by_type": report.by_event_type(items),
        "by_month": report.by_month(items),
        "measures": compliance.unit_measures(db.session, actor, period, now=now),
    }


@bp.route("/quality")
@officer_required
def quality_report() -> str:
    context = _context(datetime.now(UTC))
    if "period" in context:
        items = context["items"]
        context.update(
            failures=report.common_failures(items),
            jargon=report.common_jargon(items),
            failure_examples=examples.failure_examples(db.session, items),
            unclear_examples=examples.unclear_examples(db.session, items),
            sample=reviews.sample(items),
            agreement=reviews.agreement(items),
            clear_bars=report.chart_bars(context["by_agency"], "clear"),
            checks_bars=report.chart_bars(context["by_agency"], "checks"),
            period_params=timeliness.period_params(context["period"]),
            any_demo=any(item.demo for item in items),
        )
    return render_template(
        "staff/quality.html",
        title=_("Quality of updates to victims"),
        error_in_title=bool(context["period_input"].errors),
        chart=timeliness,
        checks=elements.CHECKS,
        check_labels=elements.CHECK_LABELS,
        event_label=report.event_label,
        **context,
    )


@bp.route("/quality.csv")
@officer_required
def quality_csv() -> Response:
    context = _context(datetime.now(UTC))
    if "period" not in context:
        abort(400)
    period = context["period"]
    body = report.report_csv(
        period,
        [
            ("agency", context["by_agency"]),
            ("event_type", context["by_type"]),
            ("month", context["by_month"]),
        ],
        context["measures"],
    )
    filename = f"quality-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/quality/updates/<update_id>/review", methods=["GET", "POST"])
@officer_required
def quality_review(update_id: str) -> str | Response:
    actor = current_user.actor
    update = reviews.update_for_review(db.session, actor, update_id)
    errors: dict[str, str] = {}
    answers: dict[str, str] = {}
    if request.method == "POST":
        answers = {key: request.form.get(key, "") for key in ("satisfactory", *update.elements)}
        for check in update.elements:
            if answers[check] not in (YES, NO):
                errors[check] = _(
                    "Select yes if the update has this: %(element)s", element=elements.CHECK_LABELS[check]
                )
        if answers["satisfactory"] not in (YES, NO):
            errors["satisfactory"] = _("Select yes if the update is satisfactory")
        if not errors:
            reviews.record_review(
                db.session,
                actor,
                update.update_id,
                satisfactory=answers["satisfactory"] == YES,
                judged={check: answers[check] == YES for check in update.elements},
            )
            flash(_("Review recorded."), "success")
            return redirect(url_for("staff.quality_report", _anchor="sample"))
    elif update.satisfactory is not None:
        answers = {"satisfactory": YES if update.satisfactory else NO}
        answers.update({check: YES if ok else NO for check, ok in update.judged.items()})
    return render_template(
        "staff/quality_review.html",
        title=_("Review an update"),
        error_in_title=bool(errors),
        update=update,
        errors=errors,
        answers=answers,
        check_labels=elements.CHECK_LABELS,
    )
