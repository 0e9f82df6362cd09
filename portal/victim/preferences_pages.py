"""The question pages with more than one input (order, address, safe times, another safe way) and the
security-code pages that confirm a new email address or phone number."""

from __future__ import annotations

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
    victim_id,
)
from portal.victim.preferences_forms import (
    AddressForm,
    AlternativeForm,
    CodeForm,
    Step,
    TimesForm,
    input_params,
    order_form,
    ranked_channels,
    select_params,
)
from portal.victim.preferences_steps import find_step
from portal.web.forms import EmptyForm

KIND_TITLES = {"email": _l("Check your email"), "phone": _l("Check your phone")}


def _posted() -> Any:
    return request.form if request.method == "POST" else None


def _done(section: str, draft: dict[str, Any], step: Step) -> Response:
    mark_answered(draft, step.name)
    save_draft(section, draft)
    return redirect(next_url(section, draft))


def _render(template: str, section: str, step: Step, draft: dict[str, Any], form: Any, **extra: Any) -> str:
    return render_template(
        template,
        title=step.title,
        step=step,
        form=form,
        back=back_url(section, draft, step.name),
        **extra,
    )


def order_page(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    doc = draft["doc"]
    form = order_form(doc, _posted())
    if request.method == "POST" and form.validate_on_submit():
        doc["channels"] = ranked_channels(form, doc)
        return _done(section, draft, step)
    selects = [select_params(getattr(form, f"rank_{channel}")) for channel in doc["channels"]]
    return _render("victim/preferences/order.html", section, step, draft, form, selects=selects)


def address_page(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    doc = draft["doc"]
    form = (
        AddressForm(formdata=_posted())
        if request.method == "POST"
        else AddressForm.from_lines(doc["address"])
    )
    if request.method == "POST" and form.validate_on_submit():
        doc["address"] = form.lines()
        return _done(section, draft, step)
    fields = [
        input_params(form.line_1, autocomplete="address-line1"),
        input_params(form.line_2, autocomplete="address-line2"),
        input_params(form.town, "govuk-!-width-two-thirds", autocomplete="address-level2"),
        input_params(form.postcode, "govuk-input--width-10", autocomplete="postal-code"),
    ]
    return _render("victim/preferences/fields.html", section, step, draft, form, fields=fields)


def times_page(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    doc = draft["doc"]
    if request.method == "POST":
        form = TimesForm(formdata=request.form)
    else:
        form = TimesForm(formdata=None, data={"safe_from": doc["safe_from"], "safe_to": doc["safe_to"]})
    if request.method == "POST" and form.validate_on_submit():
        doc["safe_from"], doc["safe_to"] = form.safe_from.data, form.safe_to.data
        return _done(section, draft, step)
    fields = [
        input_params(form.safe_from, "govuk-input--width-5", inputmode="numeric"),
        input_params(form.safe_to, "govuk-input--width-5", inputmode="numeric"),
    ]
    hint = _(
        "Use the 24-hour clock, for example 09:00 or 17:30. These are UK times. We will wait until then."
    )
    return _render("victim/preferences/fields.html", section, step, draft, form, fields=fields, hint=hint)


def alternative_page(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    doc = draft["doc"]
    if request.method == "POST":
        form = AlternativeForm(formdata=request.form)
    else:
        form = AlternativeForm(
            formdata=None,
            data={
                "alternative_phone": rules.display_phone(doc["alternative_phone"]),
                "alternative_email": doc["alternative_email"] or "",
                "alternative_address": "\n".join(doc["alternative_address"] or []),
            },
        )
    if request.method == "POST" and form.validate_on_submit():
        doc["alternative_phone"] = form.alternative_phone.data or None
        doc["alternative_email"] = form.alternative_email.data or None
        text = (form.alternative_address.data or "").strip()
        doc["alternative_address"] = rules.normalise_address(text.splitlines()) if text else None
        return _done(section, draft, step)
    fields = [
        input_params(form.alternative_phone, "govuk-input--width-20", autocomplete="off", type="tel"),
        input_params(form.alternative_email, spellcheck=False, autocomplete="off"),
        {**input_params(form.alternative_address), "rows": 4, "textarea": True},
    ]
    hint = _(
        "For example a friend's phone number, or a safe address for letters. We use it only if the usual "
        "way is not safe or does not work. Leave it blank if there is none."
    )
    return _render("victim/preferences/fields.html", section, step, draft, form, fields=fields, hint=hint)


def after_contact_detail(section: str, draft: dict[str, Any], kind: str, before: dict[str, Any]) -> Response:
    """After a new email address or phone number: send a code, unless it is confirmed already."""
    doc = draft["doc"]
    verify = find_step(section, f"verify-{kind}")
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
        code_params=input_params(
            form.code,
            "govuk-input--width-5",
            autocomplete="one-time-code",
            inputmode="numeric",
            spellcheck=False,
        ),
        back=back,
        send_url=send_url,
        in_flow=in_flow,
    )


def verify_step(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    kind = step.name.removeprefix("verify-")
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


CUSTOM_PAGES = {
    "order": order_page,
    "address": address_page,
    "safe-times": times_page,
    "alternative": alternative_page,
    "verify-email": verify_step,
    "verify-phone": verify_step,
}


def custom_page(section: str, step: Step, draft: dict[str, Any]) -> str | Response:
    return CUSTOM_PAGES[step.name](section, step, draft)


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
