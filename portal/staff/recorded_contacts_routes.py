"""Contacts recorded by officers (on the staff blueprint): an officer records that a victim was told of
updates by phone, in person, at court or by a letter delivered by hand, and the unit's call list of
victims to tell that way. Only the unit's victims and cases (services/common/access.py): anything else
is a 404. The services audit what the pages show and what is recorded."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from werkzeug.wrappers import Response
from wtforms import RadioField, StringField, TextAreaField

from portal.extensions import db
from portal.services.cases import call_list as call_list_service
from portal.services.cases import recorded_contacts
from portal.services.cases.timeliness import LONDON
from portal.staff import bp
from portal.web.forms import NoControlCharacters, choices
from portal.web.guards import officer_required

DATE_PARTS = ("day", "month", "year")


class ContactForm(FlaskForm):
    """The fields WTForms renders; the updates' checkboxes and the date are read from the form by name
    (two groups of checkboxes share one name; the date is a GOV.UK date input)."""

    method = RadioField(
        _l("How did you tell them?"),
        choices=choices(recorded_contacts.METHOD_LABELS),
        widget=GovRadioInput(),
        description=_l("If you told them in more than one way, choose the first."),
        validate_choice=False,
    )
    by_label = StringField(
        _l("Who told them"),
        widget=GovTextInput(),
        description=_l("Their name, as it should appear in the record"),
        validators=[NoControlCharacters(_l("Who told the victim"))],
    )
    told_time = StringField(
        _l("Time"),
        widget=GovTextInput(),
        description=_l("For example, 9am, 2:30pm or 14:30"),
        validators=[NoControlCharacters(_l("The time you told the victim"))],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        widget=GovTextArea(),
        description=_l("What you told them and anything they asked. The victim does not see this note."),
        validators=[NoControlCharacters(_l("The note"), multi_line=True)],
    )


@bp.route("/victims/<victim_id>/cases/<urn>/told", methods=["GET", "POST"])
@officer_required
def record_contact(victim_id: str, urn: str) -> str | Response:
    actor = current_user.actor
    page = recorded_contacts.contact_page(
        db.session, actor, victim_id, urn, audit_view=request.method == "GET"
    )
    form = ContactForm()
    today = datetime.now(UTC).astimezone(LONDON).date()
    told_on = {"day": str(today.day), "month": str(today.month), "year": str(today.year)}
    chosen: list[str] = [request.args["update"]] if request.args.get("update") else []
    errors: dict[str, str] = {}
    if request.method == "GET":
        form.by_label.data = page.default_by
    else:
        told_on = {part: request.form.get(f"told-on-{part}", "") for part in DATE_PARTS}
        chosen = request.form.getlist("updates")
        if form.validate_on_submit():
            entry = recorded_contacts.ContactEntry(
                update_ids=chosen,
                method=form.method.data or "",
                by_label=form.by_label.data or "",
                time_text=form.told_time.data or "",
                note=form.note.data or "",
                **told_on,
            )
            try:
                recorded_contacts.record_contact(db.session, actor, victim_id, urn, entry)
            except recorded_contacts.InvalidContact as problem:
                errors = problem.errors
            else:
                flash(
                    ngettext(
                        "Recorded: %(num)d update now counts as told.",
                        "Recorded: %(num)d updates now count as told.",
                        len(set(chosen)),
                    ),
                    "success",
                )
                return redirect(url_for(".case", victim_id=page.victim_id, urn=page.urn))
        else:  # the form's own checks (hidden characters)
            errors = {key: messages[0] for key, messages in form.errors.items() if key != "csrf_token"}
    for key in ("method", "by_label", "told_time", "note"):
        if key in errors:
            getattr(form, key).errors = [errors[key]]
    updates_anchor = "#updates" if page.not_told else "#updates-told"
    anchors = {"updates": updates_anchor, "told_on": "#told-on-day"}
    return render_template(
        "staff/recorded_contacts/record.html",
        title=_("Record that the victim was told"),
        page=page,
        form=form,
        chosen=set(chosen),
        told_on=told_on,
        errors=errors,
        error_in_title=bool(errors),
        error_list=[
            {"text": message, "href": anchors.get(key, f"#{key}")} for key, message in errors.items()
        ],
    )


@bp.route("/call-list")
@officer_required
def call_list() -> str:
    rows = call_list_service.call_list(db.session, current_user.actor)
    return render_template(
        "staff/recorded_contacts/call_list.html", title=_("Victims to phone or see"), rows=rows
    )
