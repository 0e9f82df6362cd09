"""The question pages: one question, several inputs (order, address, safe times, another safe way), and
the security-code pages that confirm a new email address or phone number (in the questions, or later
from the summary page)."""

from __future__ import annotations

import copy
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.preferences import contact_points, rules
from portal.services.preferences import records as preferences
from portal.victim.preferences_drafts import (
    back_url,
    forget_answered,
    mark_answered,
    next_url,
    save_draft,
    shows_answer,
    victim_id,
)
from portal.victim.preferences_forms import (
    AddressForm,
    AlternativeForm,
    CodeForm,
    DocumentForm,
    NextChoiceForm,
    OrderForm,
    ThirdChoiceForm,
    TimesForm,
    question_form,
)
from portal.victim.preferences_step import PAGE, Step
from portal.victim.preferences_steps import find_step
from portal.web.forms import EmptyForm

KIND_TITLES = {"email": _l("Check your email"), "phone": _l("Check your phone")}
#: The pages with more than one input: their form and template.
FORM_PAGES: dict[str, tuple[type[DocumentForm], str]] = {
    "order": (OrderForm, "victim/preferences/order.html"),
    "order-next": (NextChoiceForm, "victim/preferences/order.html"),
    "order-then": (ThirdChoiceForm, "victim/preferences/order.html"),
    "address": (AddressForm, "victim/preferences/address.html"),
    "safe-times": (TimesForm, "victim/preferences/times.html"),
    "alternative": (AlternativeForm, "victim/preferences/alternative.html"),
}


def _posted() -> Any:
    return request.form if request.method == "POST" else None


def _ask_again_if_changed(draft: dict[str, Any], step: Step, before: Any) -> None:
    """The steps to ask again when this step's answer changed what the document holds at its key (new
    ways to contact: their order; a new first choice: the next places)."""
    if step.ask_again_on_change and draft["doc"][step.key] != before:
        forget_answered(draft, *step.ask_again_on_change)


def _done(section: str, draft: dict[str, Any], step: Step) -> Response:
    mark_answered(draft, step.name)
    save_draft(section, draft)
    return redirect(next_url(section, draft))


def _render(template: str, section: str, step: Step, draft: dict[str, Any], form: Any) -> str:
    return render_template(
        template, title=step.title, step=step, form=form, back=back_url(section, draft, step.name)
    )


def step_page(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    if step.kind != PAGE:
        return question_page(section, step, draft)
    if step.name in FORM_PAGES:
        return form_page(section, step, draft)
    return verify_page(section, step, draft)


def question_page(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    doc = draft["doc"]
    form = question_form(step, doc, answered=shows_answer(draft, step.name), formdata=_posted())
    if request.method == "POST" and form.validate_on_submit():
        before = copy.deepcopy(doc.get(step.key))
        step.store(doc, form.answer.data)
        mark_answered(draft, step.name)
        _ask_again_if_changed(draft, step, before)
        if step.confirmed_by:
            return after_contact_detail(section, draft, step)
        save_draft(section, draft)
        return redirect(next_url(section, draft))
    return _render("victim/preferences/question.html", section, step, draft, form)


def form_page(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    form_class, template = FORM_PAGES[step.name]
    answered = shows_answer(draft, step.name)
    form = form_class.for_document(draft["doc"], _posted(), answered=answered)
    if request.method == "POST" and form.validate_on_submit():
        before = copy.deepcopy(draft["doc"].get(step.key))
        form.update(draft["doc"])
        _ask_again_if_changed(draft, step, before)
        return _done(section, draft, step)
    return _render(template, section, step, draft, form)


# --- Security codes ----------------------------------------------------------------------------


def after_contact_detail(section: str, draft: dict[str, Any], step: Step) -> Response:
    """After a new email address or phone number: send a code, unless it is confirmed already."""
    doc, kind = draft["doc"], step.key
    verify = find_step(section, step.confirmed_by or "")
    assert verify is not None
    value = doc[kind]
    if verify.applies(doc) and not contact_points.is_verified(db.session, victim_id(), kind, value):
        forget_answered(draft, verify.name)
        save_draft(section, draft)
        if not contact_points.has_live_code(db.session, victim_id(), kind, value):
            _send(kind, value)
        return redirect(url_for("victim.preferences_question", section=section, step_name=verify.name))
    mark_answered(draft, verify.name)
    save_draft(section, draft)
    return redirect(next_url(section, draft))


def _send(kind: str, value: str) -> bool:
    try:
        contact_points.send_code(db.session, victim_id(), kind, value)
    except contact_points.TooManyCodes:
        flash(
            _("You have asked for too many codes. Use the last code we sent, or wait 10 minutes."),
            "important",
        )
        return False
    return True


def _check_code(form: CodeForm, kind: str, value: str) -> bool:
    result = contact_points.check_code(
        db.session, victim_id(), kind, value, form.code.data or "", actor=current_user.actor
    )
    if result.ok:
        return True
    if result.outcome == "expired":
        form.code.errors.append(_("The security code has expired or was used. Send a new code."))
    else:
        form.code.errors.append(_("The security code is wrong. Check it and try again."))
    return False


def _code_page(kind: str, value: str, form: CodeForm, *, back: str, send_url: str, in_flow: bool) -> str:
    return render_template(
        "victim/preferences/verify.html",
        title=KIND_TITLES[kind],
        kind=kind,
        shown_value=rules.display_phone(value) if kind == "phone" else value,
        form=form,
        action_form=EmptyForm(prefix="action"),
        code_sent=contact_points.has_live_code(db.session, victim_id(), kind, value),
        back=back,
        send_url=send_url,
        in_flow=in_flow,
    )


def verify_page(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    """The code sent to the new email address or phone number; or send another, or carry on without."""
    kind = step.key
    value = draft["doc"][kind]
    if contact_points.is_verified(db.session, victim_id(), kind, value):
        return _done(section, draft, step)
    action = request.form.get("action") if request.method == "POST" else None
    if action in ("resend", "skip"):
        if EmptyForm(prefix="action").validate_on_submit():
            if action == "skip":
                return _done(section, draft, step)
            if _send(kind, value):
                flash(_("We have sent a new code."), "success")
        return redirect(request.path)
    form = CodeForm(formdata=_posted())
    if request.method == "POST" and form.validate_on_submit() and _check_code(form, kind, value):
        return _done(section, draft, step)
    return _code_page(
        kind, value, form, back=back_url(section, draft, step.name), send_url=request.path, in_flow=True
    )


# --- Confirming a saved email address or phone number, from the summary page --------------------


def _saved_value(kind: str) -> str | None:
    if kind not in ("email", "phone"):
        abort(404)
    prefs = preferences.current_preferences(db.session, victim_id())
    value = prefs.email if kind == "email" else prefs.phone
    if not value or prefs.contact_status.get(kind) != contact_points.UNVERIFIED:
        return None
    return value


def confirm_saved(kind: str) -> str | Response:
    value = _saved_value(kind)
    if value is None:
        return redirect(url_for("victim.preferences_summary"))
    form = CodeForm(formdata=_posted())
    if request.method == "POST" and form.validate_on_submit() and _check_code(form, kind, value):
        flash(
            _("Your email address is confirmed.")
            if kind == "email"
            else _("Your phone number is confirmed."),
            "success",
        )
        return redirect(url_for("victim.preferences_summary"))
    return _code_page(
        kind,
        value,
        form,
        back=url_for("victim.preferences_summary"),
        send_url=url_for("victim.preferences_send_saved_code", kind=kind),
        in_flow=False,
    )


def send_saved_code(kind: str) -> Response:
    value = _saved_value(kind)
    if value is None:
        return redirect(url_for("victim.preferences_summary"))
    if EmptyForm(prefix="action").validate_on_submit() and _send(kind, value):
        flash(_("We have sent you a code."), "success")
    return redirect(url_for("victim.preferences_confirm_saved", kind=kind))
