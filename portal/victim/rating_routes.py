"""Victims say whether an update was clear ("Was this update clear?" under each update on their
timeline, and this page for the answer with its errors). Works without JavaScript: a plain form."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import IntegerField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from portal.extensions import db
from portal.services.quality import ratings
from portal.victim import bp
from portal.web.forms import NoControlCharacters
from portal.web.guards import victim_required

YES = "yes"
NO = "no"


def _answered(form: FlaskForm, field: Any) -> None:
    if field.data not in (YES, NO):
        raise ValidationError(_("Select yes if this update was clear"))


class RatingForm(FlaskForm):
    clear = RadioField(
        _l("Was this update clear?"),
        choices=[SelectChoice(YES, str(_l("Yes"))), SelectChoice(NO, str(_l("No")))],
        validate_choice=False,
        validators=[_answered],
    )
    unclear = TextAreaField(
        _l("What was unclear? (optional)"),
        validators=[
            Length(
                max=ratings.UNCLEAR_MAX,
                message=_l("What was unclear must be %(max)d characters or fewer", max=ratings.UNCLEAR_MAX),
            ),
            NoControlCharacters(_l("What was unclear"), multi_line=True),
        ],
    )
    page = IntegerField(validators=[Optional()])


@bp.route("/cases/<urn>/updates/<update_id>/clear", methods=["GET", "POST"])
@victim_required
def rate_update(urn: str, update_id: str) -> str | Response:
    actor = current_user.actor
    update = ratings.update_to_rate(db.session, actor, urn, update_id)
    form = RatingForm()
    if form.validate_on_submit():
        ratings.rate(
            db.session,
            actor,
            urn,
            update_id,
            clear=form.clear.data == YES,
            unclear=form.unclear.data,
        )
        flash(_("Thank you. Your answer helps agencies write clearer updates."), "success")
        page = form.page.data if form.page.data and form.page.data > 1 else None
        return redirect(
            url_for("victim.case", urn=update.urn, page=page, _anchor=f"update-{update.update_id}")
        )
    if request.method == "GET" and update.answer is not None:
        form.clear.data = YES if update.answer.clear else NO
        form.unclear.data = update.answer.unclear or ""
    return render_template(
        "victim/rating.html",
        title=_("Was this update clear?"),
        update=update,
        form=form,
        errors=[(name, message) for name, messages in form.errors.items() for message in messages],
    )
