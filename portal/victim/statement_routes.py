"""Making a Victim Personal Statement (issue 16): from the statement right on an update of the victim's
timeline, a first page that warns, before anything is written, who will see it and what to leave out;
then writing it (or uploading a document), whether they want to read it aloud, check your answers with a
declaration, and a confirmation with the reference.

What the victim writes is kept on the server between visits (services/requests/statement.py: it outlives
the session, unlike the other journeys' answers), on every "Continue" and "Save and come back later".
Their answer about reading it aloud is kept with the session's other answers (portal.victim.server_drafts).
A document can be up to 10 MB, so the write page alone accepts a larger request than the portal's usual
limit; past even that, the page says the file is too big and shows the text last kept.
"""

from __future__ import annotations

import io
from typing import Any

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
)
from werkzeug.wrappers import Response
from wtforms import BooleanField, FileField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired

from portal.extensions import db
from portal.services.requests import kinds
from portal.services.requests import statement as statements
from portal.services.requests.statement import PAROLE, Opportunity, StatementRefused
from portal.victim import bp, server_drafts
from portal.web.forms import NoControlCharacters
from portal.web.guards import victim_required

WRITE_ENDPOINT = "victim.statement_write"
#: The largest request the write page accepts: the 10 MB document, the text and the form around them.
#: A bigger request is refused before it is read (the page then says the file is too big).
UPLOAD_REQUEST_LIMIT = 2 * statements.MAX_DOCUMENT_BYTES
TOO_BIG = "too-big"


class WriteForm(FlaskForm):
    statement = TextAreaField(
        _l("Write your statement"),
        widget=GovCharacterCount(),
        validators=[NoControlCharacters(_l("Your statement"), multi_line=True)],
    )
    document = FileField(_l("Upload your statement instead (optional)"), widget=GovFileInput())


class ReadAloudForm(FlaskForm):
    choice = RadioField(
        _l("Do you want to read your statement out in court?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(value, str(label)) for value, label in statements.READ_ALOUD_CHOICES.items()],
        validate_choice=False,
    )


class HearingForm(FlaskForm):
    choice = RadioField(
        _l("Do you want to read your statement at the Parole Board hearing?"),
        widget=GovRadioInput(),
        choices=[SelectChoice(value, str(label)) for value, label in statements.HEARING_CHOICES.items()],
        validate_choice=False,
    )


class DeclarationForm(FlaskForm):
    understood = BooleanField(
        _l(
            "I understand that the defendant and their lawyers will see my statement, that it may be read "
            "out, and that I cannot withdraw it once it has been used"
        ),
        widget=GovCheckboxInput(),
        validators=[InputRequired(_l("Confirm that you understand who will see your statement"))],
    )


@bp.url_value_preprocessor
def _allow_a_document(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Only the write page takes a document: it may receive more than the portal's usual limit. This runs
    before every before_request hook, the first of which reads the form. A request over even this limit
    is not read: the write page says the file is too big (with the text kept last time)."""
    if endpoint != WRITE_ENDPOINT:
        return
    request.max_content_length = UPLOAD_REQUEST_LIMIT
    if request.method == "POST" and (request.content_length or 0) > UPLOAD_REQUEST_LIMIT:
        abort(redirect(url_for(WRITE_ENDPOINT, **(values or {}), problem=TOO_BIG), code=303))


def _chance(urn: str, purpose: str) -> Opportunity:
    return statements.opportunity(db.session, current_user.actor, urn, purpose)


def _here(chance: Opportunity) -> dict[str, Any]:
    return {"urn": chance.case.urn, "purpose": chance.purpose}


def _draft_key(chance: Opportunity) -> str:
    return f"statement:{chance.case.id}:{chance.purpose}"


def _context(chance: Opportunity, **more: Any) -> dict[str, Any]:
    return {
        "chance": chance,
        "parole": chance.purpose == PAROLE,
        "caption": str(statements.PURPOSE_NAMES[chance.purpose]),
        "case_url": url_for("victim.case", urn=chance.case.urn),
        **more,
    }


@bp.route("/updates/<update_id>/statement", endpoint="statement_from_update")
@victim_required
def from_update(update_id: str) -> Response:
    chance = statements.opportunity_from_update(db.session, current_user.actor, update_id)
    return redirect(url_for(".statement_start", **_here(chance)))


@bp.route("/cases/<urn>/statement/<purpose>", endpoint="statement_start")
@victim_required
def start(urn: str, purpose: str) -> str:
    chance = _chance(urn, purpose)
    sent = statements.statements_sent(db.session, chance)
    title = (
        _("Make a Victim Personal Statement to the Parole Board")
        if chance.purpose == PAROLE
        else _("Make a Victim Personal Statement")
    )
    return render_template(
        "victim/requests/statement/start.html",
        **_context(chance, title=title, sent=sent, status_label=kinds.status_label),
    )


@bp.route("/cases/<urn>/statement/<purpose>/write", endpoint="statement_write", methods=["GET", "POST"])
@victim_required
def write(urn: str, purpose: str) -> str | Response:
    chance = _chance(urn, purpose)
    form = WriteForm(data={"statement": statements.starting_text(db.session, chance)})
    if request.args.get("problem") == TOO_BIG:
        form.document.errors = [_("The selected file must be smaller than 10MB")]
    if request.method == "POST" and form.validate_on_submit():
        text = statements.clean_text(form.statement.data)
        statements.save_text(db.session, chance, text)
        action = request.form.get("action")
        if action == "remove":
            statements.remove_document(db.session, chance)
            return redirect(url_for(".statement_write", **_here(chance)))
        if _uploaded(chance, form) and action == "save":
            return redirect(url_for(".statement_saved", **_here(chance)))
        if not form.document.errors and _ready(chance, form, text):
            return redirect(url_for(".statement_read_aloud", **_here(chance)))
    return render_template(
        "victim/requests/statement/write.html",
        **_context(
            chance,
            title=_("Write your statement"),
            form=form,
            document=statements.pending_document(db.session, chance),
            max_text=statements.MAX_TEXT,
            error_in_title=bool(form.errors),
        ),
    )


def _uploaded(chance: Opportunity, form: WriteForm) -> bool:
    """Keep the document chosen, if any: False (and the error on the form) when it cannot be taken."""
    chosen = request.files.get(form.document.name)
    if chosen is None or not chosen.filename:
        return True
    try:
        statements.upload(db.session, chance, chosen.filename, chosen.read())
    except StatementRefused as problem:
        form.document.errors = [problem.message]
        return False
    return True


def _ready(chance: Opportunity, form: WriteForm, text: str) -> bool:
    try:
        statements.check_text(text)
    except StatementRefused as problem:
        form.statement.errors = [problem.message]
        return False
    if not text and statements.pending_document(db.session, chance) is None:
        form.statement.errors = [_("Write your statement or upload a document")]
        return False
    return True


@bp.route("/cases/<urn>/statement/<purpose>/saved", endpoint="statement_saved")
@victim_required
def saved(urn: str, purpose: str) -> str:
    chance = _chance(urn, purpose)
    return render_template(
        "victim/requests/statement/saved.html", **_context(chance, title=_("Your statement has been saved"))
    )


@bp.route(
    "/cases/<urn>/statement/<purpose>/read-aloud", endpoint="statement_read_aloud", methods=["GET", "POST"]
)
@victim_required
def read_aloud(urn: str, purpose: str) -> str | Response:
    chance = _chance(urn, purpose)
    if not statements.ready_to_send(db.session, chance):
        return redirect(url_for(".statement_write", **_here(chance)))
    draft = server_drafts.stored(_draft_key(chance)) or {}
    form_class = HearingForm if chance.purpose == PAROLE else ReadAloudForm
    form = form_class(data={"choice": draft.get("choice")})
    if form.validate_on_submit():
        try:
            draft["choice"] = statements.check_choice(chance, form.choice.data)
        except StatementRefused as problem:
            form.choice.errors = [problem.message]
        else:
            server_drafts.save(_draft_key(chance), draft)
            return redirect(url_for(".statement_check", **_here(chance)))
    return render_template(
        "victim/requests/statement/read_aloud.html",
        **_context(chance, title=str(form.choice.label.text), form=form),
    )


@bp.route("/cases/<urn>/statement/<purpose>/check", endpoint="statement_check", methods=["GET", "POST"])
@victim_required
def check(urn: str, purpose: str) -> str | Response:
    chance = _chance(urn, purpose)
    if not statements.ready_to_send(db.session, chance):
        return redirect(url_for(".statement_write", **_here(chance)))
    choice = (server_drafts.stored(_draft_key(chance)) or {}).get("choice")
    try:
        statements.check_choice(chance, choice)
    except StatementRefused:
        return redirect(url_for(".statement_read_aloud", **_here(chance)))
    form = DeclarationForm()
    if form.validate_on_submit():
        sent = statements.submit(db.session, chance, choice=str(choice), submitted_by_user_id=current_user.id)
        server_drafts.drop(_draft_key(chance))
        return redirect(url_for(".statement_confirmation", **_here(chance), reference=sent.reference))
    previous = statements.latest_statement(db.session, chance)
    choices = statements.HEARING_CHOICES if chance.purpose == PAROLE else statements.READ_ALOUD_CHOICES
    return render_template(
        "victim/requests/statement/check.html",
        **_context(
            chance,
            title=_("Check your statement before sending it"),
            form=form,
            text=statements.draft_text(db.session, chance) or "",
            document=statements.pending_document(db.session, chance),
            choice_label=str(choices[str(choice)]),
            previous=previous,
            version=statements.next_version(db.session, chance),
        ),
    )


@bp.route("/cases/<urn>/statement/<purpose>/sent/<reference>", endpoint="statement_confirmation")
@victim_required
def confirmation(urn: str, purpose: str, reference: str) -> str:
    chance = _chance(urn, purpose)
    sent = statements.sent_statement(db.session, chance, reference)
    return render_template(
        "victim/requests/statement/confirmation.html",
        **_context(chance, title=_("Statement sent"), sent=sent),
    )


@bp.route("/statement-documents/<document_id>", endpoint="statement_document")
@victim_required
def document(document_id: str) -> Response:
    found = statements.document_for_victim(db.session, current_user.actor, document_id)
    return send_file(
        io.BytesIO(found.content),
        mimetype=found.content_type,
        as_attachment=True,
        download_name=found.filename,
    )
