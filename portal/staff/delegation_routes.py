"""Officers and delegations (on the staff blueprint): who can see what for the unit's victims; recording a
permission a victim gave by phone or in person (the victim is told); stopping one for safeguarding, with
a reason. Only victims on the unit's own cases (services/access.py); anything else is a 404."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from werkzeug.wrappers import Response
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField

from portal.extensions import db
from portal.services.common.errors import NotFound
from portal.services.delegation import grants as delegations
from portal.services.delegation import rules
from portal.services.delegation import views as delegation_views
from portal.services.delegation.rules import InvalidDelegation
from portal.staff import bp
from portal.web.forms import NoControlCharacters
from portal.web.guards import officer_required


class RecordForm(FlaskForm):
    email = StringField(
        _l("Support worker's work email address"),
        widget=GovTextInput(),
        description=_l("Leave blank if the victim chose an organisation."),
        validators=[NoControlCharacters(_l("The support worker's work email address"))],
    )
    organisation = SelectField(_l("Or their organisation"), widget=GovSelect(), validate_choice=False)
    scopes = SelectMultipleField(
        _l("What the victim lets them do"),
        widget=GovCheckboxesInput(),
        choices=[SelectChoice(scope, str(rules.WORKER_SCOPE_LABELS[scope])) for scope in rules.SCOPES],
        validate_choice=False,
    )
    source = RadioField(
        _l("How did the victim tell you?"),
        widget=GovRadioInput(),
        choices=[
            SelectChoice(rules.SOURCE_OFFICER_BY_PHONE, str(_l("By phone"))),
            SelectChoice(rules.SOURCE_OFFICER_IN_PERSON, str(_l("In person"))),
        ],
        validate_choice=False,
    )
    consent_note = TextAreaField(
        _l("What did the victim say?"),
        widget=GovTextArea(),
        description=_l("In their words if you can, with the date. For example: “Sunny can see my updates.”"),
        validators=[NoControlCharacters(_l("What the victim said"), multi_line=True)],
    )

    def __init__(self, organisations: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation.choices = [SelectChoice("", str(_l("None: a named support worker")))] + [
            SelectChoice(str(org_id), name) for org_id, name in organisations
        ]


#: Each status and source of a delegation as officers read them: about the victim, not to them (the
#: victim reads "Can help you now", "Stopped by you", "You, online").
STAFF_STATUS_LABELS = {
    rules.PENDING: _l("Waiting for the support worker to accept"),
    rules.NOT_STARTED: _l("Not started yet"),
    rules.ACTIVE: _l("Can help them now"),
    rules.DECLINED: _l("Did not accept"),
    rules.REVOKED: _l("Stopped by the victim"),
    rules.STEPPED_BACK: _l("The support worker stepped back"),
    rules.SUSPENDED: _l("Stopped by an officer"),
    rules.EXPIRED: _l("Ended"),
}
STAFF_SOURCE_LABELS = {
    rules.SOURCE_VICTIM_ONLINE: _l("The victim, online"),
    rules.SOURCE_OFFICER_BY_PHONE: _l("A witness care officer, when the victim told them by phone"),
    rules.SOURCE_OFFICER_IN_PERSON: _l("A witness care officer, when the victim told them in person"),
}

_Item = TypeVar("_Item", delegation_views.UnitDelegation, delegation_views.OfficerDelegation)


def for_officers(items: list[_Item]) -> list[_Item]:
    """The delegations with their status and source in the words officers read."""
    sources = {str(label): source for source, label in rules.SOURCE_LABELS.items()}
    shown = []
    for item in items:
        row = item.row
        source = sources.get(row.source_label)
        staff_row = replace(
            row,
            status_label=str(STAFF_STATUS_LABELS.get(row.status, row.status_label)),
            source_label=str(STAFF_SOURCE_LABELS[source]) if source else row.source_label,
        )
        shown.append(replace(item, row=staff_row))
    return shown


class SuspendForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you stopping their access?"),
        widget=GovTextArea(),
        description=_l("Officers see this. The victim is told that an officer stopped it, not why."),
        validators=[NoControlCharacters(_l("Why you are stopping their access"), multi_line=True)],
    )


@bp.route("/delegations")
@officer_required
def unit_delegations() -> str:
    items = for_officers(delegation_views.unit_delegations(db.session, current_user.actor))
    return render_template(
        "staff/delegations_unit.html", title=_("Support workers helping victims"), items=items
    )


@bp.route("/victims/<victim_id>/delegations")
@officer_required
def victim_delegations(victim_id: str) -> str:
    name, items = delegation_views.officer_victim_delegations(db.session, current_user.actor, victim_id)
    items = for_officers(items)
    return render_template(
        "staff/delegations_victim.html",
        title=_("People helping %(name)s", name=name),
        name=name,
        victim_id=victim_id,
        items=items,
    )


@bp.route("/victims/<victim_id>/delegations/new", methods=["GET", "POST"])
@officer_required
def record_delegation(victim_id: str) -> str | Response:
    actor = current_user.actor
    name = delegation_views.officer_victim_name(db.session, actor, victim_id)
    form = RecordForm(delegations.support_organisations(db.session))
    default = rules.default_end_date()
    values = {"day": str(default.day), "month": str(default.month), "year": str(default.year)}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {part: request.form.get(f"ends-on-{part}", "") for part in ("day", "month", "year")}
        if form.validate_on_submit():
            errors = _record(actor, victim_id, form, values)
        else:  # the form's own checks (hidden characters): shown in the error summary too
            errors = {key: messages[0] for key, messages in form.errors.items()}
        if not errors:
            flash(
                _("Recorded. We have told %(name)s, and the support worker can now accept.", name=name),
                "success",
            )
            return redirect(url_for(".victim_delegations", victim_id=victim_id))
    for key, message in errors.items():
        if key != "ends_on":
            getattr(form, key).errors = [message]
    return render_template(
        "staff/delegation_record.html",
        title=_("Record a permission given by phone or in person"),
        name=name,
        victim_id=victim_id,
        form=form,
        values=values,
        date_error=errors.get("ends_on"),
        error_in_title=bool(errors),
        error_list=[
            {"text": message, "href": "#ends-on-day" if key == "ends_on" else f"#{key}"}
            for key, message in errors.items()
        ],
        latest=rules.latest_end_date(),
    )


def _record(actor: Any, victim_id: str, form: RecordForm, values: dict[str, str]) -> dict[str, str]:
    """Record the delegation; the problems by field if it cannot be recorded."""
    email = (form.email.data or "").strip()
    organisation = form.organisation.data or ""
    if bool(email) == bool(organisation):
        return {
            "email": str(_l("Enter the support worker's work email address, or select their organisation"))
        }
    try:
        worker_id = delegations.find_worker(db.session, email).id if email else None
        last_day = rules.parse_date_parts(**values)
        delegations.record_by_officer(
            db.session,
            actor,
            victim_id,
            worker_user_id=worker_id,
            organisation_id=int(organisation) if organisation.isdigit() else None,
            scopes=form.scopes.data or [],
            last_day=last_day,
            source=form.source.data or "",
            consent_note=form.consent_note.data or "",
        )
    except InvalidDelegation as problem:
        return {key: _officer_message(message) for key, message in problem.errors.items()}
    return {}


def _officer_message(message: str) -> str:
    """The rules' message, said to the officer about the victim (the victim reads "your")."""
    if message == str(rules.CHANGE_NEEDS_SEE):
        return str(_l("To let them change the victim's preferences and needs, also let them see them"))
    return message


@bp.route("/victims/<victim_id>/delegations/<int:delegation_id>/stop", methods=["GET", "POST"])
@officer_required
def suspend_delegation(victim_id: str, delegation_id: int) -> str | Response:
    actor = current_user.actor
    name, items = delegation_views.officer_victim_delegations(db.session, actor, victim_id)
    item = next((i for i in items if i.row.id == delegation_id), None)
    if item is None:
        raise NotFound
    if not item.row.live:
        return redirect(url_for(".victim_delegations", victim_id=victim_id))
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            delegations.suspend(db.session, actor, victim_id, delegation_id, form.reason.data or "")
        except InvalidDelegation as problem:
            form.reason.errors = [problem.errors["reason"]]
        else:
            flash(
                _("%(who)s can no longer see %(name)s's information.", who=item.row.who, name=name), "success"
            )
            return redirect(url_for(".victim_delegations", victim_id=victim_id))
    return render_template(
        "staff/delegation_stop.html",
        title=_("Stop %(who)s's access", who=item.row.who),
        name=name,
        victim_id=victim_id,
        item=item,
        form=form,
    )
