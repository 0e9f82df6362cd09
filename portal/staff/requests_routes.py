"""Victims' requests on the unit's cases (issue 16): the list (overdue first), a request's page, and
acknowledging, moving on or answering a request that witness care answers, on its behalf. Every list and
view is audited, and every change (services/requests/views.py). Complaints about another agency, or
about the portal, are not the unit's to see (services/common/access.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from werkzeug.wrappers import Response
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from portal.extensions import db
from portal.services.requests import lifecycle
from portal.services.requests import views as request_views
from portal.services.requests.kinds import STATUS_LABELS
from portal.staff import bp
from portal.web.forms import NoControlCharacters
from portal.web.guards import officer_required

MAX_OUTCOME = 5000
MAX_NOTE = 1000


class RequestStatusForm(FlaskForm):
    status = RadioField(
        _l("What has happened"),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message=_l("Select what has happened to the request"))],
    )
    outcome = TextAreaField(
        _l("The answer, in words for the victim"),
        widget=GovTextArea(),
        description=_l("Needed when you answer. The victim reads this on their request's page."),
        validators=[
            Optional(),
            NoControlCharacters(_l("The answer"), multi_line=True),
            Length(max=MAX_OUTCOME, message=_l("The answer must be 5000 characters or fewer")),
        ],
    )
    note = TextAreaField(
        _l("A note for the victim (optional)"),
        widget=GovTextArea(),
        description=_l("Shown to the victim with this change. Do not include contact details."),
        validators=[
            Optional(),
            NoControlCharacters(_l("The note"), multi_line=True),
            Length(max=MAX_NOTE, message=_l("The note must be 1000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


@bp.route("/requests")
@officer_required
def requests() -> str:
    now = datetime.now(UTC)
    rows = request_views.officer_requests(db.session, current_user.actor, now=now)
    return render_template(
        "staff/requests.html",
        title=_("Requests from victims"),
        open_rows=[row for row in rows if row.summary.is_open],
        closed_rows=[row for row in rows if not row.summary.is_open],
    )


def _status_choices(next_statuses: list[str]) -> list[tuple[str, Any]]:
    labels = {
        "acknowledged": _l("Acknowledged: tell the victim you have it"),
        "in-progress": _l("Being considered"),
        "answered": _l("Answered: give the answer below"),
    }
    return [(status, labels.get(status, STATUS_LABELS[status])) for status in next_statuses]


@bp.route("/requests/<reference>", methods=["GET", "POST"])
@officer_required
def request_detail(reference: str) -> str | Response:
    actor = current_user.actor
    form = RequestStatusForm()
    found = request_views.officer_request(db.session, actor, reference)
    form.status.choices = _status_choices(found.next_statuses)
    if found.can_act and form.validate_on_submit():
        status = form.status.data or ""
        if status not in found.next_statuses:
            form.status.errors = [_("Select what has happened to the request")]
        elif status == "answered" and not (form.outcome.data or "").strip():
            form.outcome.errors = [_("Enter the answer, in words for the victim")]
        else:
            try:
                request_views.officer_change(
                    db.session, actor, reference, status, outcome=form.outcome.data, note=form.note.data
                )
            except lifecycle.TransitionRefused:
                form.status.errors = [
                    _("The request has changed since you opened it. Check it and try again.")
                ]
            else:
                flash(_("Saved: the victim will be told there is news, in the way they asked."), "success")
                return redirect(url_for("staff.request_detail", reference=found.detail.summary.reference))
    return render_template(
        "staff/requests_detail.html",
        title=found.detail.summary.kind_name,
        found=found,
        form=form,
        has_errors=any(field.errors for field in form),
    )
