"""Secure messages (issue 15): from a case page, "Messages" lists the victim's threads on that case and
offers "Write a message": who to (the case's named officer in the case and Victim Liaison Officer, and
always the witness care unit), the subject and message with up to 5 files, check your answers, and a
confirmation with the reference and the date they should reply by. A thread's page shows every message
(never the officers' internal notes) and takes a reply.

What the victim types is kept on the server (portal.victim.server_drafts, journey "message:<case id>")
from the first "Continue" until the message is sent, so nothing typed is lost on an error. Files that
were checked are held in the database under the same key until then (attachments.hold: not in the draft,
which is read and written on every page); a file that cannot be taken gets its own error, and the files
must be chosen again (the page says so). The rules are portal/services/secure_messages/threads.py's.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound as HttpNotFound
from werkzeug.wrappers import Response
from wtforms import RadioField, StringField, TextAreaField

from portal.extensions import db
from portal.services.common import message_access
from portal.services.common.errors import NotFound
from portal.services.secure_messages import attachments, threads, victim_views
from portal.services.secure_messages.threads import MessageRefused
from portal.services.vocabulary import format_date
from portal.victim import bp, server_drafts
from portal.web.forms import EmptyForm, NoControlCharacters
from portal.web.guards import victim_required

#: The session key holding the id of the thread just started (for its confirmation page only).
SENT = "message_sent"
STEPS = ("who", "message")
#: The pages that take files: they may receive more than the portal's usual request limit.
UPLOAD_ENDPOINTS = frozenset({"victim.message_question", "victim.message_thread"})
TOO_BIG = "too-big"


class WhoForm(FlaskForm):
    recipient = RadioField(validate_choice=False)


class MessageForm(FlaskForm):
    subject = StringField(validators=[NoControlCharacters(_l("The subject"))])
    body = TextAreaField(validators=[NoControlCharacters(_l("Your message"), multi_line=True)])


class ReplyForm(FlaskForm):
    body = TextAreaField(validators=[NoControlCharacters(_l("Your message"), multi_line=True)])


@bp.url_value_preprocessor
def _allow_files(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """The pages that take files accept up to 5 files of 10MB. This runs before the before_request hook
    that reads the form. A request over even that is not read: the page says the files are too big."""
    if endpoint not in UPLOAD_ENDPOINTS:
        return
    request.max_content_length = attachments.MAX_REQUEST_BYTES
    if request.method == "POST" and (request.content_length or 0) > attachments.MAX_REQUEST_BYTES:
        abort(redirect(url_for(endpoint, **(values or {}), problem=TOO_BIG), code=303))


def _case(urn: str) -> Any:
    return message_access.case_for_victim_messages(db.session, current_user.actor, urn)[1]


def _key(case: Any) -> str:
    return f"message:{case.id}"


def _draft(case: Any) -> dict[str, Any]:
    stored = server_drafts.stored(_key(case))
    if stored is None:
        # A new message: files held for an earlier one whose draft is gone are not carried into it.
        attachments.drop_held(db.session, str(current_user.actor.victim_id), _key(case))
        return {"answered": []}
    return stored


def _save(case: Any, draft: dict[str, Any], answered: str | None = None) -> None:
    if answered is not None:
        draft["answered"] = [s for s in STEPS if s in {*draft.get("answered", []), answered}]
    server_drafts.save(_key(case), draft)


def _next(case: Any, draft: dict[str, Any]) -> Response:
    for step in STEPS:
        if step not in draft.get("answered", []):
            return redirect(url_for(".message_question", urn=case.urn, step=step))
    return redirect(url_for(".message_check", urn=case.urn))


def _back(case: Any, step: str, draft: dict[str, Any]) -> str:
    if all(s in draft.get("answered", []) for s in STEPS):
        return url_for(".message_check", urn=case.urn)
    if step == "message":
        return url_for(".message_question", urn=case.urn, step="who")
    return url_for(".messages", urn=case.urn)


def _chosen_files() -> list[tuple[str, bytes]]:
    return [
        (chosen.filename or "", chosen.read()) for chosen in request.files.getlist("files") if chosen.filename
    ]


def _held(case: Any) -> list[str]:
    """The names of the files held for the message being written."""
    return attachments.held_names(db.session, str(current_user.actor.victim_id), _key(case))


def _too_big() -> str | None:
    if request.args.get("problem") == TOO_BIG:
        return _("The selected files must be smaller than 10MB each, and you can attach up to 5 files")
    return None


# --- The victim's threads on a case ---------------------------------------------------------------------


@bp.route("/cases/<urn>/messages", endpoint="messages")
@victim_required
def messages(urn: str) -> str:
    victim_id, case = message_access.case_for_victim_messages(db.session, current_user.actor, urn)
    return render_template(
        "victim/messages/list.html",
        title=_("Messages"),
        case=case,
        rows=victim_views.threads_on_case(db.session, case, victim_id),
        reply_days=threads.reply_days(db.session, case),
    )


# --- Write a message ------------------------------------------------------------------------------------


@bp.route("/cases/<urn>/messages/new/<step>", endpoint="message_question", methods=["GET", "POST"])
@victim_required
def question(urn: str, step: str) -> str | Response:
    if step not in STEPS:
        raise HttpNotFound()
    victim_id, case = message_access.case_for_victim_messages(db.session, current_user.actor, urn)
    draft = _draft(case)
    if step == "who":
        return _who(case, victim_id, draft)
    return _message(case, draft)


def _who(case: Any, victim_id: str, draft: dict[str, Any]) -> str | Response:
    choices = victim_views.recipients(db.session, case, victim_id)
    form = WhoForm(data={"recipient": draft.get("recipient")})
    if form.validate_on_submit():
        if form.recipient.data in {choice.value for choice in choices}:
            draft["recipient"] = form.recipient.data
            _save(case, draft, "who")
            return _next(case, draft)
        form.recipient.errors = [_("Select who you want to write to")]
    errors = [{"text": form.recipient.errors[0], "href": "#recipient"}] if form.recipient.errors else []
    return render_template(
        "victim/messages/who.html",
        title=_("Who do you want to write to?"),
        form=form,
        case=case,
        choices=choices,
        back=_back(case, "who", draft),
        errors=errors,
        error_in_title=bool(errors),
    )


def _message(case: Any, draft: dict[str, Any]) -> str | Response:
    if "recipient" not in draft:
        return redirect(url_for(".message_question", urn=case.urn, step="who"))
    form = MessageForm(data={"subject": draft.get("subject", ""), "body": draft.get("body", "")})
    field_errors: dict[str, str] = {}
    file_errors: list[str] = [too_big] if (too_big := _too_big()) else []
    if request.method == "POST":
        field_errors = _typed(form, draft)
        if request.form.get("action") == "remove-files":
            attachments.drop_held(db.session, str(current_user.actor.victim_id), _key(case))
            _save(case, draft)
            return redirect(url_for(".message_question", urn=case.urn, step="message"))
        file_errors = _take_files(case)
        if not field_errors and not file_errors:
            _save(case, draft, "message")
            return _next(case, draft)
        _save(case, draft)
    form.subject.errors = [field_errors["subject"]] if "subject" in field_errors else []
    form.body.errors = [field_errors["body"]] if "body" in field_errors else []
    errors = [
        {"text": field_errors[name], "href": f"#{name}"}
        for name in ("subject", "body")
        if name in field_errors
    ] + [{"text": error, "href": "#files"} for error in file_errors]
    return render_template(
        "victim/messages/message.html",
        title=_("Write your message"),
        form=form,
        case=case,
        to=victim_views.recipient_label(
            db.session, case, str(current_user.actor.victim_id), draft["recipient"]
        ),
        kept_files=_held(case),
        file_errors=file_errors,
        character_count=victim_views.character_count_words(),
        max_subject=threads.MAX_SUBJECT,
        max_files=attachments.MAX_FILES,
        back=_back(case, "message", draft),
        errors=errors,
        error_in_title=bool(errors),
    )


def _typed(form: MessageForm, draft: dict[str, Any]) -> dict[str, str]:
    """Keep the subject and message typed (even when they cannot be accepted yet: nothing is lost on an
    error) and return what is wrong with them, by field."""
    field_errors: dict[str, str] = {}
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        field_errors.update({name: messages[0] for name, messages in form.errors.items()})
    draft["subject"] = form.subject.data or ""
    draft["body"] = form.body.data or ""
    for name, check in (("subject", threads.check_subject), ("body", threads.check_body)):
        if name not in field_errors:
            try:
                draft[name] = check(draft[name])
            except MessageRefused as refused:
                field_errors[name] = str(refused)
    return field_errors


def _take_files(case: Any) -> list[str]:
    """Check the files chosen, if any: held for the message (replacing those held before) when every one
    can be taken; otherwise none is held (they must all be chosen again) and each problem is returned."""
    chosen = _chosen_files()
    if not chosen:
        return []
    clean, file_errors = attachments.check_uploads(chosen)
    victim_id = str(current_user.actor.victim_id)
    if file_errors:
        attachments.drop_held(db.session, victim_id, _key(case))
    else:
        attachments.hold(db.session, victim_id, _key(case), clean)
    return file_errors


@bp.route("/cases/<urn>/messages/new/check", endpoint="message_check", methods=["GET", "POST"])
@victim_required
def check(urn: str) -> str | Response:
    victim_id, case = message_access.case_for_victim_messages(db.session, current_user.actor, urn)
    draft = _draft(case)
    if not all(step in draft.get("answered", []) for step in STEPS):
        return _next(case, draft)
    form = EmptyForm()
    if form.validate_on_submit():
        actor = current_user.actor
        try:
            thread, message = threads.start(
                db.session,
                victim_id=victim_id,
                case=case,
                recipient=draft["recipient"],
                subject=draft.get("subject", ""),
                body=draft.get("body", ""),
                written_by_user_id=actor.user_id,
                author_label=victim_views.author_label_for(actor, victim_id, db.session),
            )
        except MessageRefused:
            draft["answered"] = ["who"]
            _save(case, draft)
            return redirect(url_for(".message_question", urn=case.urn, step="message"))
        attachments.attach_held(db.session, message, victim_id, _key(case))
        server_drafts.drop(_key(case))
        session[SENT] = thread.id
        return redirect(url_for(".message_confirmation", urn=case.urn))
    return render_template(
        "victim/messages/check.html",
        title=_("Check your message"),
        form=form,
        case=case,
        draft=draft,
        to=victim_views.recipient_label(db.session, case, victim_id, draft["recipient"]),
        files=_held(case),
        reply_by=victim_views.reply_due_on(db.session, case),
    )


@bp.route("/cases/<urn>/messages/sent", endpoint="message_confirmation")
@victim_required
def confirmation(urn: str) -> str | Response:
    case = _case(urn)
    sent_id = session.get(SENT)
    if sent_id is None:
        return redirect(url_for(".messages", urn=case.urn))
    try:
        thread = message_access.thread_for_victim(db.session, current_user.actor, urn, str(sent_id))[2]
    except NotFound:
        return redirect(url_for(".messages", urn=case.urn))
    return render_template(
        "victim/messages/confirmation.html",
        title=_("Message sent"),
        case=case,
        thread=thread,
        to=victim_views.recipient_label(db.session, case, thread.victim_id, thread.recipient),
    )


# --- A thread ------------------------------------------------------------------------------------------


@bp.route("/cases/<urn>/messages/<thread_id>", endpoint="message_thread", methods=["GET", "POST"])
@victim_required
def thread_page(urn: str, thread_id: str) -> str | Response:
    actor = current_user.actor
    victim_id, case, thread = message_access.thread_for_victim(db.session, actor, urn, thread_id)
    form = ReplyForm()
    field_error: str | None = None
    text = ""
    file_errors: list[str] = [too_big] if (too_big := _too_big()) else []
    if request.method == "POST":
        if not form.validate_on_submit():
            if form.csrf_token.errors:
                abort(400)
            field_error = form.body.errors[0]
        else:
            try:
                text = threads.check_body(form.body.data or "")
            except MessageRefused as refused:
                field_error = str(refused)
        clean, file_errors = attachments.check_uploads(_chosen_files())
        if field_error is None and not file_errors:
            message = threads.add_from_victim_side(
                db.session,
                thread,
                body=text,
                written_by_user_id=actor.user_id,
                author_label=victim_views.author_label_for(actor, victim_id, db.session),
            )
            attachments.attach(db.session, message, clean)
            flash(
                _(
                    "Message sent. They should reply by %(date)s.",
                    date=format_date(message.reply_due or victim_views.reply_due_on(db.session, case)),
                ),
                "success",
            )
            return redirect(url_for(".message_thread", urn=case.urn, thread_id=thread.id))
    form.body.errors = [field_error] if field_error else []
    page = victim_views.thread_page(db.session, case, thread, reader=actor)
    errors = ([{"text": field_error, "href": "#body"}] if field_error else []) + [
        {"text": error, "href": "#files"} for error in file_errors
    ]
    return render_template(
        "victim/messages/thread.html",
        title=thread.subject,
        case=case,
        page=page,
        form=form,
        file_errors=file_errors,
        character_count=victim_views.character_count_words(),
        max_files=attachments.MAX_FILES,
        errors=errors,
        error_in_title=bool(errors),
    )
