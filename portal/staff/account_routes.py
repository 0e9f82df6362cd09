"""Officers' account actions for victims of their unit: invite, re-send or cancel an invitation, reset a
lost second factor after identity checks, sign a victim out everywhere, and remove the GOV.UK One Login
linked to their account. Minimal pages; the staff
case pages link here (url_for("staff.victim_account", victim_id=...))."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.accounts import invitations, one_login_sessions, sessions
from portal.services.accounts.invitations import InvitationError
from portal.services.common import access, audit
from portal.services.common.roles import WITNESS_CARE_OFFICER
from portal.staff import bp
from portal.staff.forms import RecoveryForm
from portal.web.forms import ContinueForm
from portal.web.guards import role_required
from portal.web.recovery_fields import YES

officer_only = role_required(WITNESS_CARE_OFFICER)


@bp.route("/invitations")
@officer_only
def invitation_list() -> str:
    rows = invitations.invitations_for_officer(db.session, current_user.actor)
    return render_template(
        "staff/invitations.html", rows=rows, status=invitations.status, form=ContinueForm()
    )


@bp.route("/victims/<victim_id>/account")
@officer_only
def victim_account(victim_id: str) -> str:
    actor = current_user.actor
    victim = access.victim_for_officer(db.session, actor, victim_id)
    user = invitations.user_for_victim(db.session, actor, victim_id)
    sent = invitations.invitations_of_victim(db.session, actor, victim_id)
    one_login_link = one_login_sessions.link_of_victim(db.session, actor, victim_id)
    audit.record_view(db.session, actor, victim_id, "account status")
    return render_template(
        "staff/victim_account.html",
        victim=victim,
        user=user,
        one_login_link=one_login_link,
        sent=sent,
        status=invitations.status,
        form=ContinueForm(),
    )


@bp.route("/victims/<victim_id>/invite", methods=["POST"])
@officer_only
def invite_victim(victim_id: str) -> Response:
    form = ContinueForm()
    if not form.validate_on_submit():
        abort(400)
    sent = invitations.invite_victim_by_officer(db.session, current_user.actor, victim_id)
    if sent is None:
        flash(_("No invitation was sent: they already have an account, or we have no way to reach them."))
    else:
        flash(_("Invitation sent."), "success")
    return redirect(url_for("staff.victim_account", victim_id=victim_id))


def _invitation_action(invitation_id: int, action: str) -> Response:
    form = ContinueForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if action == "resend":
            invitation = invitations.resend(db.session, current_user.actor, invitation_id)
            flash(_("A new invitation link has been sent. The old link no longer works."), "success")
        else:
            invitation = invitations.cancel(db.session, current_user.actor, invitation_id)
            flash(_("The invitation has been cancelled."), "success")
    except InvitationError:
        flash(_("We cannot reach this person to send a new link."))
        return redirect(url_for("staff.invitation_list"))
    return redirect(url_for("staff.victim_account", victim_id=invitation.victim_id))


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@officer_only
def resend_invitation(invitation_id: int) -> Response:
    return _invitation_action(invitation_id, "resend")


@bp.route("/invitations/<int:invitation_id>/cancel", methods=["POST"])
@officer_only
def cancel_invitation(invitation_id: int) -> Response:
    return _invitation_action(invitation_id, "cancel")


@bp.route("/victims/<victim_id>/reset-security-codes", methods=["GET", "POST"])
@officer_only
def reset_second_factor(victim_id: str) -> str | Response:
    actor = current_user.actor
    user = invitations.user_for_victim(db.session, actor, victim_id)
    if user is None:
        abort(404)
    form = RecoveryForm()
    if form.validate_on_submit():
        try:
            invitations.recover_second_factor(
                db.session,
                actor,
                user,
                how_checked=form.how.data or "",
                password_forgotten=form.password_forgotten.data == YES,
            )
        except InvitationError:
            flash(_("We have no way to reach this person. Add a phone number or email address first."))
        else:
            flash(
                _("Their security codes have been reset and we have sent them a link to set them up again."),
                "success",
            )
            return redirect(url_for("staff.victim_account", victim_id=victim_id))
    return render_template("staff/reset_second_factor.html", form=form, victim_id=victim_id)


@bp.route("/victims/<victim_id>/sign-out-everywhere", methods=["POST"])
@officer_only
def sign_out_victim(victim_id: str) -> Response:
    form = ContinueForm()
    if not form.validate_on_submit():
        abort(400)
    actor = current_user.actor
    user = invitations.user_for_victim(db.session, actor, victim_id)
    if user is None:
        abort(404)
    sessions.end_everywhere(
        db.session,
        user.id,
        actor_label=actor.label,
        actor_user_id=actor.user_id,
        action=audit.SIGNED_OUT_EVERYWHERE,
    )
    flash(_("They have been signed out on every device."), "success")
    return redirect(url_for("staff.victim_account", victim_id=victim_id))


@bp.route("/victims/<victim_id>/one-login/remove", methods=["POST"])
@officer_only
def remove_one_login(victim_id: str) -> Response:
    """The victim no longer has (or no longer trusts) the GOV.UK One Login linked to their account: it is
    removed and every session of the account ends (audited). They sign in again through a new link."""
    form = ContinueForm()
    if not form.validate_on_submit():
        abort(400)
    one_login_sessions.unlink(db.session, current_user.actor, victim_id)
    flash(
        _(
            "GOV.UK One Login has been removed from their account and they have been signed out on every device."
        ),
        "success",
    )
    return redirect(url_for("staff.victim_account", victim_id=victim_id))
