"""Asking for a review of a decision (the Victims' Right to Review), from a decision update on the victim's
timeline that offers it: a start page (who reviews it, by when to ask, what a review can do), why they
disagree and anything else, the reason for the delay when late, check your answers, confirmation with the
reference and the dates the agency should acknowledge and answer by.

The rules are in portal/services/requests/review.py. Answers in progress are kept on the server
(portal.victim.server_drafts, journey "review:<update id>"), and every answer is saved before it is
checked, so nothing typed is lost on an error or a timeout. One review per decision: once asked, each page
of the journey shows the request made instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from portal.extensions import db
from portal.services.requests import kinds
from portal.services.requests import review as reviews
from portal.victim import bp, server_drafts
from portal.web.forms import EmptyForm, NoControlCharacters
from portal.web.guards import victim_required


def _long_text(label: Any, named: Any, too_long: Any, required: Any = None) -> TextAreaField:
    """A text area with the GOV.UK character count (MAX_ANSWER characters); `named`: how an error about
    hidden characters names it; `too_long`: the message past MAX_ANSWER; `required`: the message when
    it is required and left empty."""
    validators: list[Any] = [NoControlCharacters(named, multi_line=True)]
    if required is not None:
        validators.insert(0, DataRequired(message=required))
    validators.append(Length(max=reviews.MAX_ANSWER, message=too_long))
    return TextAreaField(label, widget=GovCharacterCount(), validators=validators)


class ReasonsForm(FlaskForm):
    reasons = _long_text(
        reviews.answer_labels()[reviews.REASONS],
        _l("Why you disagree with the decision"),
        _l("Why you disagree with the decision must be %(max)d characters or fewer", max=reviews.MAX_ANSWER),
        _l("Enter why you disagree with the decision"),
    )
    anything_else = _long_text(
        _l("Is there anything else the person reviewing the decision should know? (optional)"),
        _l("Anything else the person reviewing the decision should know"),
        _l("Anything else you want to say must be %(max)d characters or fewer", max=reviews.MAX_ANSWER),
    )


class DelayForm(FlaskForm):
    delay_reason = _long_text(
        reviews.answer_labels()[reviews.DELAY_REASON],
        _l("Why you are asking for a review now"),
        _l("Why you are asking now must be %(max)d characters or fewer", max=reviews.MAX_ANSWER),
        _l("Enter why you are asking for a review now"),
    )


def _journey(update_id: str) -> str:
    return f"review:{update_id}"


def _offer(update_id: str) -> reviews.ReviewOffer:
    return reviews.offer(db.session, current_user.actor, update_id)


def _draft(review: reviews.ReviewOffer) -> dict[str, Any]:
    return server_drafts.stored(_journey(review.update.id)) or {}


def _case_url(review: reviews.ReviewOffer) -> str:
    return url_for("victim.case", urn=review.case.urn, _anchor=f"update-{review.update.id}")


def _closed(review: reviews.ReviewOffer) -> Response | None:
    """Back to the start page (which says why) when the journey cannot go on: already asked, or too late."""
    if review.existing is not None or review.too_late:
        return redirect(url_for(".review_start", update_id=review.update.id))
    return None


def _unanswered(review: reviews.ReviewOffer, draft: dict[str, Any]) -> str | None:
    """The first question still to answer (its endpoint): a required answer missing, or an answer kept in
    the draft that its page refused (too long); None when every answer can be sent."""

    def fails(key: str, required: bool) -> bool:
        value = (draft.get(key) or "").strip()
        return (required and not value) or len(value) > reviews.MAX_ANSWER

    if fails(reviews.REASONS, True) or fails(reviews.ANYTHING_ELSE, False):
        return ".review_reasons"
    if review.late and fails(reviews.DELAY_REASON, True):
        return ".review_delay"
    return None


def _next(review: reviews.ReviewOffer, draft: dict[str, Any]) -> Response:
    return redirect(url_for(_unanswered(review, draft) or ".review_check", update_id=review.update.id))


def _character_count() -> dict[str, Any]:
    """The GOV.UK character count's words in the page's language (its own are in English only), and its
    limit. GOV.UK Frontend puts the number in place of %{count}; Welsh keeps the noun singular after a
    number, so every plural form falls back to "other"."""
    return {
        "maxlength": reviews.MAX_ANSWER,
        "textareaDescriptionText": _("You can enter up to %{count} characters"),
        "charactersUnderLimitText": {
            "one": _("You have %{count} character remaining"),
            "other": _("You have %{count} characters remaining"),
        },
        "charactersAtLimitText": _("You have 0 characters remaining"),
        "charactersOverLimitText": {
            "one": _("You have %{count} character too many"),
            "other": _("You have %{count} characters too many"),
        },
    }


def _render(template: str, review: reviews.ReviewOffer, title: str, **context: Any) -> str:
    return render_template(
        f"victim/requests/review/{template}.html",
        title=title,
        review=review,
        case_url=_case_url(review),
        character_count=_character_count(),
        **context,
    )


@bp.route("/updates/<update_id>/review", endpoint="review_start")
@victim_required
def start(update_id: str) -> str:
    review = _offer(update_id)
    if review.existing is not None:
        existing = review.existing
        return _render(
            "existing",
            review,
            _("You have already asked for a review of this decision"),
            existing=existing,
            status=kinds.status_label(existing.kind, existing.status),
        )
    if review.too_late:
        return _render(
            "too_late",
            review,
            _("You can no longer ask for a review of this decision online"),
            contact=reviews.how_to_ask_after_the_limit(review),
        )
    return _render("start", review, _("Ask for a review of this decision"))


def _question(
    review: reviews.ReviewOffer,
    form_class: type[FlaskForm],
    names: tuple[str, ...],
    template: str,
    title: str,
) -> str | Response:
    draft = _draft(review)
    if request.method == "POST":
        form = form_class()
        # Kept before it is checked: what was typed survives an error, a timeout or a closed tab.
        draft.update({name: request.form.get(name, "") for name in names})
        server_drafts.save(_journey(review.update.id), draft)
        if form.validate_on_submit():
            return _next(review, draft)
    else:
        form = form_class(formdata=None, data={name: draft.get(name, "") for name in names})
    back = (
        url_for(".review_check", update_id=review.update.id)
        if request.args.get("change")
        else (
            url_for(".review_reasons", update_id=review.update.id)
            if template == "delay"
            else url_for(".review_start", update_id=review.update.id)
        )
    )
    return _render(template, review, title, form=form, back=back, error_in_title=bool(form.errors))


@bp.route("/updates/<update_id>/review/reasons", endpoint="review_reasons", methods=["GET", "POST"])
@victim_required
def reasons(update_id: str) -> str | Response:
    review = _offer(update_id)
    closed = _closed(review)
    if closed is not None:
        return closed
    return _question(
        review,
        ReasonsForm,
        (reviews.REASONS, reviews.ANYTHING_ELSE),
        "reasons",
        _("Why do you disagree with the decision?"),
    )


@bp.route("/updates/<update_id>/review/delay", endpoint="review_delay", methods=["GET", "POST"])
@victim_required
def delay(update_id: str) -> str | Response:
    review = _offer(update_id)
    closed = _closed(review)
    if closed is not None:
        return closed
    if not review.late:
        return _next(review, _draft(review))
    return _question(
        review, DelayForm, (reviews.DELAY_REASON,), "delay", _("Why are you asking for a review now?")
    )


@bp.route("/updates/<update_id>/review/check", endpoint="review_check", methods=["GET", "POST"])
@victim_required
def check(update_id: str) -> str | Response:
    now = datetime.now(UTC)
    review = reviews.offer(db.session, current_user.actor, update_id, now=now)
    closed = _closed(review)
    if closed is not None:
        return closed
    draft = _draft(review)
    if _unanswered(review, draft) is not None:
        return _next(review, draft)  # an answer is missing (or the ordinary window closed meanwhile)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            reviews.submit(
                db.session, current_user.actor, review, draft, submitted_by_user_id=current_user.id, now=now
            )
        except reviews.ReviewRefused:
            return _next(review, draft)
        server_drafts.drop(_journey(review.update.id))
        return redirect(url_for(".review_confirmation", update_id=review.update.id))
    labels = reviews.answer_labels()
    rows = [
        (key, labels[key], (draft.get(key) or "").strip())
        for key in labels
        if key != reviews.DELAY_REASON or review.late
    ]
    return _render("check", review, _("Check your answers before asking for a review"), rows=rows, form=form)


@bp.route("/updates/<update_id>/review/confirmation", endpoint="review_confirmation")
@victim_required
def confirmation(update_id: str) -> str | Response:
    review = _offer(update_id)
    if review.existing is None:
        return redirect(url_for(".review_start", update_id=review.update.id))
    return _render("confirmation", review, _("Request for a review sent"), existing=review.existing)
