"""The audit trail, searchable by admins: by action, date range and the email of the staff member who acted,
50 events a page, newest first, each action by its name and its detail as readable lines. Admins see no
victim information: victims are pseudonyms (access.audit_rows_for_admin)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import Length, Optional

from portal.admin import bp
from portal.extensions import db
from portal.services.common import access, audit, audit_labels, pagination
from portal.web.forms import NoControlCharacters
from portal.web.guards import admin_required

LONDON = ZoneInfo("Europe/London")
PAGE_SIZE = 50
PARTS = ("day", "month", "year")


class SearchDateField(DateField):
    """A GOV.UK date input (day, month, year) whose errors name the date: `what` ("the date to search
    from") is said in each message. Empty is no date; a date with a part missing, or that does not
    exist, is an error."""

    def __init__(self, label: Any, what: Any, **kwargs: Any) -> None:
        super().__init__(label, widget=GovDateInput(), format="%d %m %Y", **kwargs)
        self.what = what

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not any(part.strip() for part in valuelist):
            self.raw_data = None  # the widget shows three empty boxes
            self.data = None
            return
        self.data = None
        if len(valuelist) != len(PARTS):  # the date input sends exactly day, month and year
            self.raw_data = None
            raise ValueError(str(_l("%(what)s must be a real date", what=self.what)))
        missing = [part for part, value in zip(PARTS, valuelist, strict=True) if not value.strip()]
        if missing:
            raise ValueError(
                str(_l("%(what)s must include a %(part)s", what=self.what, part=" and a ".join(missing)))
            )
        day, month, year = (value.strip() for value in valuelist)
        try:
            if not (day + month + year).isdigit() or len(year) != 4:
                raise ValueError(year)
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(str(_l("%(what)s must be a real date", what=self.what))) from None


class AuditSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search (GET) changes nothing

    action = SelectField(_l("Action"), widget=GovSelect(), validators=[Optional()], validate_choice=True)
    user_email = StringField(
        _l("Email address of the person who acted"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            NoControlCharacters(_l("The email address")),
            Length(max=320, message=_l("The email address must be 320 characters or fewer")),
        ],
    )
    since = SearchDateField(_l("From"), _l("The date to search from"))
    until = SearchDateField(_l("To"), _l("The date to search up to"))
    submit = SubmitField(_l("Search"), widget=GovSubmitInput())

    def validate_until(self, field: SearchDateField) -> None:
        if self.since.data and field.data and field.data < self.since.data:
            raise ValidationError(
                str(_l("The date to search up to must be the same as or after the date to search from"))
            )


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)


def _search_params(form: AuditSearchForm) -> dict[str, Any]:
    """The search as query parameters, for the links to the other pages of results."""
    params: dict[str, Any] = {}
    if form.action.data:
        params["action"] = form.action.data
    if (form.user_email.data or "").strip():
        params["user_email"] = form.user_email.data.strip()
    for field in (form.since, form.until):
        if field.data:
            params[field.name] = [str(field.data.day), str(field.data.month), str(field.data.year)]
    return params


@bp.route("/audit", endpoint="audit")
@admin_required
def audit_search() -> str:
    submitted = any(key != "page" for key in request.args)
    number = pagination.page_number(request.args.get("page"))
    form = AuditSearchForm(formdata=request.args if submitted else None)
    form.action.choices = [SelectChoice("", _("Any action"))] + [
        SelectChoice(code, name) for code, name in audit_labels.action_choices(audit.ACTIONS)
    ]
    rows: list[access.AdminAuditRow] = []
    pages = pagination.page_of(None, PAGE_SIZE, 0)
    valid = not submitted or form.validate()
    if valid:
        actor = current_user.actor
        user_email = (form.user_email.data or "").strip() or None
        searchable = (
            access.audit_search_email_for_admin(db.session, actor, user_email) if user_email else None
        )
        if user_email is None or searchable is not None:  # a victim's address finds nothing, like nobody's
            filters: dict[str, Any] = {
                "action": form.action.data or None,
                "since": _start_of(form.since.data) if form.since.data else None,
                "before": _start_of(form.until.data) + timedelta(days=1) if form.until.data else None,
                "user_email": searchable,
            }
            pages = pagination.page_of(number, PAGE_SIZE, audit.count(db.session, **filters))
            found = audit.search(db.session, limit=PAGE_SIZE, offset=pages.offset, **filters)
            rows = access.audit_rows_for_admin(db.session, actor, found)  # victims pseudonymised
        else:
            pages = pagination.page_of(number, PAGE_SIZE, 0)
        audit.record_for_actor(
            db.session, actor, audit.AUDIT_SEARCHED, detail={"results": pages.total, "page": pages.number}
        )
    return render_template(
        "admin/audit.html",
        title=_("Audit trail"),
        form=form,
        rows=rows,
        pages=pages,
        params=_search_params(form) if valid else {},
        action_label=audit_labels.action_label,
        detail_lines=audit_labels.detail_lines,
    )
