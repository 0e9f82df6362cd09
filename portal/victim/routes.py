"""The victim's view: their cases and the joined-up timeline of each."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from portal.extensions import db
from portal.services.cases import standing, timeline
from portal.services.common import access, pagination
from portal.services.quality import ratings
from portal.services.requests import on_timeline
from portal.services.requests import views as request_views
from portal.victim import bp
from portal.web.guards import victim_required


@bp.route("/cases")
@victim_required
def cases() -> str:
    actor = current_user.actor
    own = access.own_cases(db.session, actor)
    summaries = timeline.case_summaries(db.session, actor, own)
    due = standing.next_deadlines(db.session, actor, own)
    has_requests = bool(request_views.all_requests(db.session, actor))
    return render_template(
        "victim/cases.html", summaries=summaries, next_deadlines=due, has_requests=has_requests
    )


@bp.route("/cases/<urn>")
@victim_required
def case(urn: str) -> str:
    actor = current_user.actor
    case_record = access.case_for_actor(db.session, actor, urn)
    page = pagination.page_number(request.args.get("page"))
    view, where = timeline.victim_case_page(db.session, actor, case_record, request.args.get("source"), page)
    moments, requests = on_timeline.for_case_page(db.session, actor, case_record, view)
    return render_template(
        "victim/case.html",
        view=view,
        items=on_timeline.merged(view.entries, moments),
        answers=ratings.answers_for_timeline(db.session, actor, [entry.update_id for entry in view.entries]),
        standing=where,
        sources=timeline.SOURCES,
        requests=requests,
    )
