"""Make a complaint (Victims' Code, Right 12): about an agency on one of the victim's cases, or about this
website. From a case page ("Make a complaint") the journey is /cases/<urn>/complaint: who it is about,
what happened (and, if they want, when), what they would like to happen, check your answers, confirmation
with the reference and the dates the agency should acknowledge and reply by. From the help page
(/complaint) the victim first says which case it is about, or that it is about this website (the journey
/complaint/about-this-website, without a case).

Answers are kept on the server (portal.victim.server_drafts, journey "complaint:<urn or 'service'>") from
the first answer until the complaint is sent: what was typed survives an error or leaving the page. The
rules are portal/services/requests/complaint.py's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound as HttpNotFound
from werkzeug.wrappers import Response
from wtforms import RadioField, TextAreaField

from portal.extensions import db
from portal.services.common import access
from portal.services.requests import complaint
from portal.services.requests.complaint import InvalidComplaint
from portal.services.vocabulary.deadlines import london_date
from portal.victim import bp, server_drafts
from portal.web.forms import EmptyForm, NoControlCharacters
from portal.web.guards import victim_required

#: The session key holding the id of the complaint just sent (for its confirmation page only).
SENT = "complaint_sent"
#: The question pages, in order; "who" only on a case (about the website, there is nobody to choose).
STEPS = ("who", "what-happened", "what-you-want")
WEBSITE_PATH = "/complaint/about-this-website"
WEBSITE = {"urn": None}


class AboutForm(FlaskForm):
    about = RadioField(validate_choice=False)


class WhoForm(FlaskForm):
    agency = RadioField(validate_choice=False)


class WhatHappenedForm(FlaskForm):
    what_happened = TextAreaField(validators=[NoControlCharacters(_l("What happened"), multi_line=True)])


class WhatYouWantForm(FlaskForm):
    what_you_want = TextAreaField(
        validators=[NoControlCharacters(_l("What you would like to happen"), multi_line=True)]
    )


def _key(urn: str | None) -> str:
    return f"complaint:{urn or complaint.SERVICE}"


def _url(endpoint: str, urn: str | None, **values: Any) -> str:
    """A page of the journey: on the case, or about the website (no URN)."""
    if urn is not None:
        values["urn"] = urn
    return url_for(f"victim.{endpoint}", **values)


def _case(urn: str | None) -> Any:
    """The victim's own case (404 for anyone else's), or None for a complaint about the website."""
    return None if urn is None else access.case_for_actor(db.session, current_user.actor, urn)


def _steps(urn: str | None) -> list[str]:
    return list(STEPS) if urn is not None else [s for s in STEPS if s != "who"]


def _draft(urn: str | None) -> dict[str, Any]:
    return server_drafts.stored(_key(urn)) or {"answered": []}


def _save(urn: str | None, draft: dict[str, Any], answered: str | None = None) -> None:
    if answered is not None:
        draft["answered"] = [s for s in STEPS if s in {*draft.get("answered", []), answered}]
    server_drafts.save(_key(urn), draft)


def _next(urn: str | None, draft: dict[str, Any]) -> Response:
    for step in _steps(urn):
        if step not in draft.get("answered", []):
            return redirect(_url("complaint_question", urn, step=step))
    return redirect(_url("complaint_check", urn))


def _back(urn: str | None, step: str, draft: dict[str, Any]) -> str:
    steps = _steps(urn)
    if all(s in draft.get("answered", []) for s in steps):
        return _url("complaint_check", urn)
    if step in steps and steps.index(step) > 0:
        return _url("complaint_question", urn, step=steps[steps.index(step) - 1])
    return _url("complaint_start", urn)


def _today() -> date:
    return london_date(datetime.now(UTC))


# --- From the help page: which case is it about? ---------------------------------------------------------


@bp.route("/complaint", endpoint="complaint_choose", methods=["GET", "POST"])
@victim_required
def choose() -> str | Response:
    cases = access.own_cases(db.session, current_user.actor)
    choices = {case.urn: case for case in cases}
    form = AboutForm()
    if form.validate_on_submit():
        if form.about.data == complaint.SERVICE:
            return redirect(_url("complaint_start", None))
        if form.about.data in choices:
            return redirect(_url("complaint_start", form.about.data))
        form.about.errors = [_("Select what your complaint is about")]
    return render_template(
        "victim/requests/complaint/choose.html",
        title=_("Make a complaint"),
        form=form,
        cases=cases,
        error_in_title=bool(form.errors),
    )


# --- The journey -----------------------------------------------------------------------------------------


@bp.route("/cases/<urn>/complaint", endpoint="complaint_start")
@bp.route(WEBSITE_PATH, endpoint="complaint_start", defaults=WEBSITE)
@victim_required
def start(urn: str | None) -> str:
    case = _case(urn)
    return render_template(
        "victim/requests/complaint/start.html",
        title=_("Make a complaint"),
        case=case,
        urn=urn,
        first=_url("complaint_question", urn, step=_steps(urn)[0]),
    )


@bp.route("/cases/<urn>/complaint/<step>", endpoint="complaint_question", methods=["GET", "POST"])
@bp.route(f"{WEBSITE_PATH}/<step>", endpoint="complaint_question", methods=["GET", "POST"], defaults=WEBSITE)
@victim_required
def question(urn: str | None, step: str) -> str | Response:
    if step not in STEPS:
        raise HttpNotFound()
    if step not in _steps(urn):  # nobody to choose: the complaint is about this website
        return redirect(_url("complaint_question", urn, step=_steps(urn)[0]))
    case = _case(urn)
    draft = _draft(urn)
    if step == "who":
        return _who(urn, case, draft)
    if step == "what-happened":
        return _what_happened(urn, case, draft)
    return _what_you_want(urn, case, draft)


def _render(step: str, urn: str | None, case: Any, draft: dict[str, Any], form: Any, **context: Any) -> str:
    titles = {
        "who": _("Who is your complaint about?"),
        "what-happened": _("What happened?"),
        "what-you-want": _("What would you like to happen?"),
    }
    errors = context.pop("errors", None) or [
        {"text": message, "href": f"#{name.replace('_', '-')}"}
        for name, messages in form.errors.items()
        for message in messages
    ]
    return render_template(
        f"victim/requests/complaint/{step.replace('-', '_')}.html",
        title=titles[step],
        form=form,
        case=case,
        urn=urn,
        draft=draft,
        back=_back(urn, step, draft),
        errors=errors,
        error_in_title=bool(errors),
        **context,
    )


def _who(urn: str | None, case: Any, draft: dict[str, Any]) -> str | Response:
    subjects = complaint.subjects(db.session, current_user.actor, case)
    form = WhoForm(data={"agency": draft.get("agency")})
    if form.validate_on_submit():
        if form.agency.data in {subject.agency for subject in subjects}:
            draft["agency"] = form.agency.data
            _save(urn, draft, "who")
            return _next(urn, draft)
        form.agency.errors = [_("Select who your complaint is about")]
    return _render("who", urn, case, draft, form, subjects=subjects)


def _what_happened(urn: str | None, case: Any, draft: dict[str, Any]) -> str | Response:
    form = WhatHappenedForm(data={"what_happened": draft.get("what_happened", "")})
    stored = draft.get("happened_on_typed") or {}
    parts = {part: str(stored.get(part, "")) for part in ("day", "month", "year")}
    errors: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        parts = {part: request.form.get(f"happened-on-{part}", "") for part in ("day", "month", "year")}
        if form.validate_on_submit():
            try:
                draft["what_happened"] = complaint.check_what_happened(form.what_happened.data)
            except InvalidComplaint as problem:
                field_errors.update(problem.errors)
        else:
            field_errors.update({k: v[0] for k, v in form.errors.items()})
        try:
            happened_on = complaint.parse_happened_on(**parts, today=_today())
        except InvalidComplaint as problem:
            field_errors.update(problem.errors)
        # What was typed is kept even when it cannot be accepted yet: nothing is lost on an error.
        draft["happened_on_typed"] = parts
        if not field_errors:
            draft["happened_on"] = happened_on.isoformat() if happened_on else None
            _save(urn, draft, "what-happened")
            return _next(urn, draft)
        if "what_happened" in field_errors:
            draft["what_happened"] = form.what_happened.data or ""
        _save(urn, draft)
        hrefs = {"what_happened": "#what-happened", "happened_on": "#happened-on-day"}
        errors = [{"text": field_errors[name], "href": hrefs[name]} for name in hrefs if name in field_errors]
        form.what_happened.errors = [field_errors["what_happened"]] if "what_happened" in field_errors else []
    return _render(
        "what-happened",
        urn,
        case,
        draft,
        form,
        errors=errors,
        parts=parts,
        date_error=field_errors.get("happened_on"),
        max_length=complaint.WHAT_HAPPENED_MAX,
    )


def _what_you_want(urn: str | None, case: Any, draft: dict[str, Any]) -> str | Response:
    form = WhatYouWantForm(data={"what_you_want": draft.get("what_you_want", "")})
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                draft["what_you_want"] = complaint.check_what_you_want(form.what_you_want.data)
            except InvalidComplaint as problem:
                form.what_you_want.errors = [problem.errors["what_you_want"]]
            else:
                _save(urn, draft, "what-you-want")
                return _next(urn, draft)
        draft["what_you_want"] = form.what_you_want.data or ""
        _save(urn, draft)
    return _render("what-you-want", urn, case, draft, form, max_length=complaint.WHAT_YOU_WANT_MAX)


@bp.route("/cases/<urn>/complaint/check", endpoint="complaint_check", methods=["GET", "POST"])
@bp.route(f"{WEBSITE_PATH}/check", endpoint="complaint_check", methods=["GET", "POST"], defaults=WEBSITE)
@victim_required
def check(urn: str | None) -> str | Response:
    case = _case(urn)
    draft = _draft(urn)
    if not all(step in draft.get("answered", []) for step in _steps(urn)):
        return _next(urn, draft)
    agency = draft.get("agency") if urn is not None else complaint.SERVICE
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            sent = complaint.submit(
                db.session,
                current_user.actor,
                case=case,
                agency=str(agency),
                answers=draft,
                submitted_by_user_id=current_user.id,
                now=datetime.now(UTC),
            )
        except InvalidComplaint as problem:
            step = {"agency": "who", "what_you_want": "what-you-want"}.get(
                next(iter(problem.errors)), "what-happened"
            )
            draft["answered"] = [s for s in draft.get("answered", []) if s != step]
            _save(urn, draft)
            return redirect(_url("complaint_question", urn, step=step))
        server_drafts.drop(_key(urn))
        session[SENT] = sent.id
        return redirect(_url("complaint_confirmation", urn))
    return render_template(
        "victim/requests/complaint/check.html",
        title=_("Check your answers"),
        form=form,
        case=case,
        urn=urn,
        draft=draft,
        about=complaint.subject_label(str(agency)),
        happened_on=date.fromisoformat(draft["happened_on"]) if draft.get("happened_on") else None,
    )


@bp.route("/cases/<urn>/complaint/sent", endpoint="complaint_confirmation")
@bp.route(f"{WEBSITE_PATH}/sent", endpoint="complaint_confirmation", defaults=WEBSITE)
@victim_required
def confirmation(urn: str | None) -> str | Response:
    case = _case(urn)
    sent_id = session.get(SENT)
    sent = None if sent_id is None else complaint.sent_complaint(db.session, current_user.actor, str(sent_id))
    if sent is None or (case is not None and sent.case_id != case.id):
        return redirect(url_for("victim.case", urn=urn) if urn else url_for("victim.cases"))
    return render_template(
        "victim/requests/complaint/confirmation.html",
        title=_("Complaint sent"),
        case=case,
        sent=sent,
        about=complaint.subject_label(sent.agency),
        next_steps=complaint.after_final_response(sent.agency),
    )
