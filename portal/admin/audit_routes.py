"""The audit trail, searchable by admins: by action, date range and the email of the staff member who acted.
Admins see no victim information: victims are pseudonyms (access.audit_rows_for_admin)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from portal.admin import bp
from portal.extensions import db
from portal.services.common import access, audit
from portal.web.guards import admin_required

LONDON = ZoneInfo("Europe/London")


class AuditSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search (GET) changes nothing

    action = SelectField(_l("Action"), widget=GovSelect(), validators=[Optional()], validate_choice=True)
    user_email = StringField(
        _l("Email address of the person who acted"),
        widget=GovTextInput(),
        validators=[Optional(), Length(max=320)],
    )
    since = DateField(_l("From"), widget=GovDateInput(), format="%d %m %Y", validators=[Optional()])
    until = DateField(_l("To"), widget=GovDateInput(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField(_l("Search"), widget=GovSubmitInput())


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)


@bp.route("/audit", endpoint="audit")
@admin_required
def audit_search() -> str:
    submitted = bool(request.args)
    args = request.args.copy()
    malformed = [name for name in ("since", "until") if len(args.getlist(name)) not in (0, 3)]
    for name in malformed:  # the date widget needs exactly day, month and year
        args.poplist(name)
    form = AuditSearchForm(formdata=args if submitted else None)
    form.action.choices = [SelectChoice("", _("Any action"))] + [SelectChoice(a, a) for a in audit.ACTIONS]
    rows: list[access.AdminAuditRow] = []
    valid = not submitted or form.validate()
    for field in (form.since, form.until):
        if field.raw_data == []:
            field.raw_data = None
        if field.name in malformed:
            field.errors = [*field.errors, _("Enter a real date")]
            valid = False
    if valid:
        actor = current_user.actor
        user_email = (form.user_email.data or "").strip() or None
        searchable = (
            access.audit_search_email_for_admin(db.session, actor, user_email) if user_email else None
        )
        if user_email is None or searchable is not None:  # a victim's address finds nothing, like nobody's
            found = audit.search(
                db.session,
                action=form.action.data or None,
                since=_start_of(form.since.data) if form.since.data else None,
                before=_start_of(form.until.data) + timedelta(days=1) if form.until.data else None,
                user_email=searchable,
            )
            rows = access.audit_rows_for_admin(db.session, actor, found)  # victims pseudonymised
        audit.record_for_actor(db.session, actor, audit.AUDIT_SEARCHED, detail={"results": len(rows)})
    return render_template("admin/audit.html", title=_("Audit trail"), form=form, rows=rows)
