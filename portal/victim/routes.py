"""The victim's view: their cases and the joined-up timeline of each."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from portal.extensions import db
from portal.services.cases import timeline
from portal.services.common import access, pagination
from portal.services.common.errors import NotFound

bp = Blueprint("victim", __name__)

F = TypeVar("F", bound=Callable[..., Any])


def victim_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_victim:
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


@bp.route("/cases")
@victim_required
def cases() -> str:
    actor = current_user.actor
    summaries = timeline.case_summaries(db.session, actor, access.own_cases(db.session, actor))
    return render_template("victim/cases.html", summaries=summaries)


@bp.route("/cases/<urn>")
@victim_required
def case(urn: str) -> str:
    actor = current_user.actor
    try:
        case_record = access.case_for_actor(db.session, actor, urn)
        page = pagination.page_number(request.args.get("page"))
        view = timeline.case_timeline(
            db.session, actor, case_record, request.args.get("source"), page, mark_seen=True
        )
    except NotFound:
        abort(404)
    return render_template("victim/case.html", view=view, sources=timeline.SOURCES)
