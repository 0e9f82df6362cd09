"""Messages from victims (issue 15): the unit's inbox, a thread's page, and replying (from a common reply
if the officer wants, with attachments), internal notes, assigning and closing. The rules, the scoping
and the audit are services/secure_messages/inbox.py's; another unit's thread is a 404 on every route."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovFileInput, GovSelect, GovTextArea
from werkzeug.wrappers import Response
from wtforms import MultipleFileField, SelectField, TextAreaField

from portal.extensions import db
from portal.services.common import message_access
from portal.services.secure_messages import attachments, inbox, reply_templates, threads
from portal.staff import bp
from portal.web.forms import NoControlCharacters
from portal.web.guards import officer_required

REPLY_ENDPOINT = "staff.inbox_reply"
TOO_BIG = "too-big"
USE_TEMPLATE = "use-template"


class ReplyForm(FlaskForm):
    reply_template = SelectField(
        _l("Start from a common reply (optional)"),
        widget=GovSelect(),
        validate_choice=False,
    )
    reply = TextAreaField(
        _l("Your reply"),
        widget=GovCharacterCount(),
        validators=[NoControlCharacters(_l("Your reply"), multi_line=True)],
    )
    files = MultipleFileField(_l("Attach files (optional)"), widget=GovFileInput())


class NoteForm(FlaskForm):
    note = TextAreaField(
        _l("Internal note"),
        widget=GovTextArea(),
        validators=[NoControlCharacters(_l("The note"), multi_line=True)],
    )


@bp.url_value_preprocessor
def _allow_attachments(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Only the reply takes files: it may receive more than the portal's usual limit. A request over even
    this limit is not read: the thread's page says the files are too big."""
    if endpoint != REPLY_ENDPOINT:
        return
    request.max_content_length = attachments.MAX_REQUEST_BYTES
    if request.method == "POST" and (request.content_length or 0) > attachments.MAX_REQUEST_BYTES:
        target = url_for("staff.inbox_thread", **(values or {}), problem=TOO_BIG)
        abort(redirect(target + "#files", code=303))


@bp.route("/messages")
@officer_required
def inbox_list() -> str:
    found = inbox.inbox(db.session, current_user.actor, request.args.get("show", inbox.NEW_TAB))
    return render_template(
        "staff/inbox/list.html",
        title=_("Messages from victims"),
        inbox=found,
        tab_labels=inbox.TAB_LABELS,
        closed_shown=inbox.CLOSED_SHOWN,
    )


def _reply_form() -> ReplyForm:
    form = ReplyForm()
    form.reply_template.choices = [("", _("Choose a common reply")), *reply_templates.choices()]
    return form


def _page(
    thread_id: str,
    reply_form: ReplyForm | None = None,
    note_form: NoteForm | None = None,
    page: inbox.ThreadPage | None = None,
) -> str:
    """The thread's page (audited as a look at it, unless the caller has `page` already)."""
    page = page or inbox.thread_page(db.session, current_user.actor, thread_id)
    reply_form = reply_form or _reply_form()
    if request.method == "GET" and request.args.get("problem") == TOO_BIG:
        reply_form.files.errors = [
            _("The files must be smaller than 10MB each, and 5 at most: attach fewer or smaller files")
        ]
    note_form = note_form or NoteForm(formdata=None)
    errors = [
        {"text": str(error), "href": f"#{field.id}"}
        for form in (reply_form, note_form)
        for field in form
        for error in field.errors
    ]
    return render_template(
        "staff/inbox/thread.html",
        title=page.row.subject,
        page=page,
        reply_form=reply_form,
        note_form=note_form,
        max_body=threads.MAX_BODY,
        max_files=attachments.MAX_FILES,
        errors=errors,
        error_in_title=bool(errors),
    )


@bp.route("/messages/<thread_id>")
@officer_required
def inbox_thread(thread_id: str) -> str:
    return _page(thread_id)


@bp.route("/messages/<thread_id>/reply", methods=["POST"])
@officer_required
def inbox_reply(thread_id: str) -> str | Response:
    actor = current_user.actor
    form = _reply_form()
    if not form.validate_on_submit():
        return _page(thread_id, reply_form=form)
    text = form.reply.data or ""
    if request.form.get("action") == USE_TEMPLATE:
        page = inbox.thread_page(db.session, actor, thread_id)
        key = form.reply_template.data or ""
        if key not in dict(reply_templates.choices()):
            form.reply_template.errors = [_("Select a common reply to start from")]
        else:
            words = reply_templates.words(key, reply_by=page.reply_by)
            form.reply.data = f"{words}\n\n{text.strip()}" if text.strip() else words
        return _page(thread_id, reply_form=form, page=page)
    uploads = [(item.filename or "", item.read()) for item in request.files.getlist("files")]
    clean, file_errors = attachments.check_uploads(uploads)
    try:
        threads.check_body(text)
    except threads.MessageRefused as refused:
        form.reply.errors = [str(refused)]
    if file_errors:
        form.files.errors = file_errors
    if form.reply.errors or file_errors:
        return _page(thread_id, reply_form=form)
    inbox.reply(db.session, actor, thread_id, text, clean)
    flash(_("Reply sent. The victim will be told there is a new message, in the way they asked."), "success")
    return redirect(url_for("staff.inbox_thread", thread_id=thread_id))


@bp.route("/messages/<thread_id>/note", methods=["POST"])
@officer_required
def inbox_note(thread_id: str) -> str | Response:
    form = NoteForm()
    if form.validate_on_submit():
        try:
            inbox.add_note(db.session, current_user.actor, thread_id, form.note.data or "")
        except threads.MessageRefused as refused:
            form.note.errors = [str(refused) if (form.note.data or "").strip() else _("Enter the note")]
        else:
            flash(_("Internal note added."), "success")
            return redirect(url_for("staff.inbox_thread", thread_id=thread_id))
    return _page(thread_id, note_form=form)


_CHANGED = {
    inbox.ASSIGN_TO_ME: _l("The message is assigned to you."),
    inbox.UNASSIGN: _l("The message is assigned to nobody."),
    inbox.CLOSE: _l("The conversation is closed. If the victim writes again, it opens again."),
}


@bp.route("/messages/<thread_id>/change", methods=["POST"])
@officer_required
def inbox_change(thread_id: str) -> Response:
    what = request.form.get("change", "")
    if what not in inbox.CHANGES:  # (the CSRF token is checked for every POST before any view)
        message_access.thread_for_officer(db.session, current_user.actor, thread_id)  # NotFound first
        abort(400)
    inbox.change(db.session, current_user.actor, thread_id, what)
    flash(str(_CHANGED[what]), "success")
    return redirect(url_for("staff.inbox_thread", thread_id=thread_id))
