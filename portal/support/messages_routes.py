"""A support worker's secure messages for a client (issue 15), under a delegation with "send-messages"
only (anyone else, or without the scope: 404, checked in the database on every request): the client's
cases, the threads on each, writing a new message for them on one page, and a thread's page with its
messages (never the officers' internal notes) and a further message. What the worker writes is signed
"<worker> for <client>". Every look at the client's messages is audited; the client sees it under "Who
has viewed your information". On an error, what was typed is shown again (files must be chosen again).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import RadioField, StringField, TextAreaField

from portal.extensions import db
from portal.services.common import audit, message_access
from portal.services.delegation import work as delegation_work
from portal.services.secure_messages import attachments, threads, victim_views
from portal.services.secure_messages.threads import MessageRefused
from portal.services.vocabulary import format_date
from portal.support import bp
from portal.web.forms import NoControlCharacters
from portal.web.guards import support_worker_required

#: The pages that take files: they may receive more than the portal's usual request limit.
UPLOAD_ENDPOINTS = frozenset({"support.message_new", "support.message_thread"})
TOO_BIG = "too-big"


class NewMessageForm(FlaskForm):
    recipient = RadioField(validate_choice=False)
    subject = StringField(validators=[NoControlCharacters(_l("The subject"))])
    body = TextAreaField(validators=[NoControlCharacters(_l("The message"), multi_line=True)])


class ReplyForm(FlaskForm):
    body = TextAreaField(validators=[NoControlCharacters(_l("The message"), multi_line=True)])


@bp.url_value_preprocessor
def _allow_files(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """As the victim's message pages: up to 5 files of 10MB on the pages that take them."""
    if endpoint not in UPLOAD_ENDPOINTS:
        return
    request.max_content_length = attachments.MAX_REQUEST_BYTES
    if request.method == "POST" and (request.content_length or 0) > attachments.MAX_REQUEST_BYTES:
        abort(redirect(url_for(endpoint, **(values or {}), problem=TOO_BIG), code=303))


def _file_errors_from_request() -> tuple[list[attachments.CleanFile], list[str]]:
    if request.method != "POST":
        if request.args.get("problem") == TOO_BIG:
            return [], [
                _("The selected files must be smaller than 10MB each, and you can attach up to 5 files")
            ]
        return [], []
    chosen = [(f.filename or "", f.read()) for f in request.files.getlist("files") if f.filename]
    return attachments.check_uploads(chosen)


def _checked(form: FlaskForm, checks: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """The cleaned text of each field (`checks`: field name -> threads.check_*), and the errors by field."""
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)
    errors = {name: messages[0] for name, messages in form.errors.items()}
    cleaned: dict[str, str] = {}
    for name, check in checks.items():
        if name not in errors:
            try:
                cleaned[name] = check(getattr(form, name).data or "")
            except MessageRefused as refused:
                errors[name] = str(refused)
    for name, error in errors.items():
        getattr(form, name).errors = [error]
    return cleaned, errors


def _summary(errors: dict[str, str], file_errors: list[str], order: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"text": errors[name], "href": f"#{name}"} for name in order if name in errors] + [
        {"text": error, "href": "#files"} for error in file_errors
    ]


@bp.route("/clients/<victim_id>/messages", endpoint="messages_cases")
@support_worker_required
def cases(victim_id: str) -> str:
    actor = current_user.actor
    found, delegation = message_access.cases_for_worker_messages(db.session, actor, victim_id)
    audit.record_for_actor(
        db.session,
        actor,
        audit.VICTIM_DATA_VIEWED,
        subject_victim_id=victim_id,
        detail={"what": "list of cases", "delegation_id": delegation.id},
    )
    name = delegation_work.client_name(db.session, actor, victim_id)
    return render_template(
        "support/messages/cases.html",
        title=_("Messages for %(name)s", name=name),
        name=name,
        victim_id=victim_id,
        cases=found,
    )


@bp.route("/clients/<victim_id>/cases/<urn>/messages", endpoint="messages")
@support_worker_required
def messages(victim_id: str, urn: str) -> str:
    actor = current_user.actor
    case, delegation = message_access.case_for_worker_messages(db.session, actor, victim_id, urn)
    victim_views.worker_looked_at_list(db.session, actor, case, delegation)
    name = delegation_work.client_name(db.session, actor, victim_id)
    return render_template(
        "support/messages/list.html",
        title=_("Messages for %(name)s", name=name),
        name=name,
        victim_id=victim_id,
        case=case,
        rows=victim_views.threads_on_case(db.session, case, victim_id),
    )


@bp.route("/clients/<victim_id>/cases/<urn>/messages/new", endpoint="message_new", methods=["GET", "POST"])
@support_worker_required
def new_message(victim_id: str, urn: str) -> str | Response:
    actor = current_user.actor
    case, _delegation = message_access.case_for_worker_messages(db.session, actor, victim_id, urn)
    name = delegation_work.client_name(db.session, actor, victim_id)
    choices = victim_views.recipients(db.session, case, victim_id)
    form = NewMessageForm()
    clean, file_errors = _file_errors_from_request()
    errors: dict[str, str] = {}
    if request.method == "POST":
        cleaned, errors = _checked(form, {"subject": threads.check_subject, "body": threads.check_body})
        if form.recipient.data not in {choice.value for choice in choices}:
            errors["recipient"] = _("Select who you want to write to")
            form.recipient.errors = [errors["recipient"]]
        if not errors and not file_errors:
            thread, message = threads.start(
                db.session,
                victim_id=victim_id,
                case=case,
                recipient=str(form.recipient.data),
                subject=cleaned["subject"],
                body=cleaned["body"],
                written_by_user_id=actor.user_id,
                author_label=victim_views.author_label_for(actor, victim_id, db.session),
            )
            attachments.attach(db.session, message, clean)
            flash(_sent(name, thread.reference, message.reply_due), "success")
            return redirect(
                url_for(".message_thread", victim_id=victim_id, urn=case.urn, thread_id=thread.id)
            )
    summary = _summary(errors, file_errors, ("recipient", "subject", "body"))
    return render_template(
        "support/messages/new.html",
        title=_("Write a message for %(name)s", name=name),
        name=name,
        victim_id=victim_id,
        case=case,
        form=form,
        choices=choices,
        file_errors=file_errors,
        character_count=victim_views.character_count_words(),
        max_subject=threads.MAX_SUBJECT,
        max_files=attachments.MAX_FILES,
        errors=summary,
        error_in_title=bool(summary),
    )


def _sent(name: str, reference: str, due: Any) -> str:
    when = format_date(due) if due else ""
    return _(
        "Message sent for %(name)s, reference %(reference)s. They should reply by %(date)s.",
        name=name,
        reference=reference,
        date=when,
    )


@bp.route(
    "/clients/<victim_id>/cases/<urn>/messages/<thread_id>",
    endpoint="message_thread",
    methods=["GET", "POST"],
)
@support_worker_required
def thread_page(victim_id: str, urn: str, thread_id: str) -> str | Response:
    actor = current_user.actor
    case, delegation, thread = message_access.thread_for_worker(db.session, actor, victim_id, urn, thread_id)
    name = delegation_work.client_name(db.session, actor, victim_id)
    form = ReplyForm()
    clean, file_errors = _file_errors_from_request()
    errors: dict[str, str] = {}
    if request.method == "POST":
        cleaned, errors = _checked(form, {"body": threads.check_body})
        if not errors and not file_errors:
            message = threads.add_from_victim_side(
                db.session,
                thread,
                body=cleaned["body"],
                written_by_user_id=actor.user_id,
                author_label=victim_views.author_label_for(actor, victim_id, db.session),
            )
            attachments.attach(db.session, message, clean)
            flash(_sent(name, thread.reference, message.reply_due), "success")
            return redirect(
                url_for(".message_thread", victim_id=victim_id, urn=case.urn, thread_id=thread.id)
            )
    page = victim_views.thread_page(db.session, case, thread, reader=actor, delegation=delegation)
    summary = _summary(errors, file_errors, ("body",))
    return render_template(
        "support/messages/thread.html",
        title=thread.subject,
        name=name,
        victim_id=victim_id,
        case=case,
        page=page,
        form=form,
        file_errors=file_errors,
        character_count=victim_views.character_count_words(),
        max_files=attachments.MAX_FILES,
        errors=summary,
        error_in_title=bool(summary),
    )
