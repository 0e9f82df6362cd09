"""An officer records a victim's request to have their information erased, after checking who is asking
and that erasure is what they want. An administrator carries it out (portal/admin/erasure_routes.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextArea
from werkzeug.wrappers import Response
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.extensions import db
from portal.services.common import access, audit
from portal.services.retention import erasure
from portal.staff import bp
from portal.web.forms import NoControlCharacters
from portal.web.guards import officer_required


class ErasureRequestForm(FlaskForm):
    identity_checked = BooleanField(
        _l("I have checked who this person is, using the unit's identity checks"),
        widget=GovCheckboxInput(),
        validators=[InputRequired(message=_l("Confirm that you have checked who this person is"))],
    )
    note = TextAreaField(
        _l("How did you check, and what did they ask for?"),
        widget=GovTextArea(),
        description=_l(
            "For example: called back on the number held on the case, 2 security questions; asked for "
            "everything to be erased. Do not write their name or contact details."
        ),
        validators=[
            InputRequired(message=_l("Enter how you checked and what they asked for")),
            Length(max=erasure.MAX_NOTE, message=_l("This must be 500 characters or fewer")),
            NoControlCharacters(_l("How you checked"), multi_line=True),
        ],
    )
    submit = SubmitField(_l("Ask an administrator to erase their information"), widget=GovSubmitInput())


@bp.route("/victims/<victim_id>/erasure", methods=["GET", "POST"])
@officer_required
def victim_erasure(victim_id: str) -> str | Response:
    actor = current_user.actor
    victim = access.victim_for_officer(db.session, actor, victim_id)
    erased, waiting = erasure.status_for_officer(db.session, actor, victim_id)
    form = ErasureRequestForm()
    if not erased and waiting is None and form.validate_on_submit():
        try:
            erasure.request_erasure(db.session, actor, victim_id, form.note.data or "")
        except erasure.ErasureProblem as problem:
            form.note.errors = [str(problem)]
        else:
            flash(_("An administrator has been asked to erase their information."), "success")
            return redirect(url_for("staff.victim_erasure", victim_id=victim_id))
    audit.record_view(db.session, actor, victim_id, "account status")
    return render_template(
        "staff/erasure/request.html", victim=victim, erased=erased, waiting=waiting, form=form
    )
