"""The audit trail in words, for the admin's search: a name for each action (one place for all of them)
and an event's detail as "Key: value" lines rather than JSON.

Actions are written all over the portal (`services/common/audit.py` names most of them); one this module
does not know yet is still shown, its code turned into words ("api_client.created" -> "Api client
created"), and `tests/accounts/test_paginated_staff_pages.py` checks that every action in `audit.ACTIONS`
has its own name here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.services.common.roles import ROLE_LABELS

ACTION_LABELS: dict[str, Any] = {
    # Accounts and signing in
    "sign-in": _l("Signed in"),
    "sign-in-failed": _l("Sign-in failed"),
    "account-locked": _l("Account locked after too many wrong attempts"),
    "second-factor-failed": _l("Wrong security code entered"),
    "signed-out": _l("Signed out"),
    "signed-out-everywhere": _l("Signed out on every device"),
    "quick-exit": _l("Left the service using Exit this page"),
    "session-timed-out": _l("Signed out after a time without activity"),
    "password-changed": _l("Password changed"),
    "password-reset-requested": _l("Password reset asked for"),
    "password-reset": _l("Password reset"),
    "password-confirm-failed": _l("Wrong password entered to confirm a change"),
    "second-factor-set-up": _l("Security codes set up"),
    "second-factor-changed": _l("Way of getting security codes changed"),
    "second-factor-reset": _l("Security codes reset"),
    "one-login-linked": _l("GOV.UK One Login linked to an account"),
    "one-login-unlinked": _l("GOV.UK One Login removed from an account"),
    "one-login-logged-out": _l("Signed out by GOV.UK One Login"),
    # Invitations, accounts and organisations
    "invitation-sent": _l("Invitation sent"),
    "invitation-resent": _l("Invitation sent again"),
    "invitation-cancelled": _l("Invitation cancelled"),
    "account-created": _l("Account created"),
    "case-added-to-account": _l("Case added to an account"),
    "account-revoked": _l("Account closed"),
    "organisation-created": _l("Organisation added"),
    "organisation-changed": _l("Organisation changed"),
    "audit-searched": _l("Audit trail searched"),
    # Victims' information
    "contact-details-changed": _l("Contact details changed"),
    "safe-contact-changed": _l("Safe ways or times to contact changed"),
    "preferences-changed": _l("Preferences or needs changed"),
    "contact-verified": _l("Contact detail confirmed"),
    "contact-unusable": _l("Contact detail found not to work"),
    "case-contacts-changed": _l("Named contacts for a case changed"),
    "accessible-format-sent": _l("Update sent or explained in an accessible format"),
    "victim-data-viewed": _l("Victim's information looked at"),
    "staff.view_victim": _l("Victim shown on a staff page"),
    "staff.listed_victim": _l("Victim listed on a staff page"),
    "support.view_victim": _l("Victim's information looked at by a support worker"),
    "support.change_preferences": _l("Needs changed by a support worker"),
    # Support workers' permissions
    "delegation-granted": _l("Support worker given permission to help"),
    "delegation-changed": _l("Support worker's permission changed"),
    "delegation-revoked": _l("Support worker's permission stopped"),
    # Messages and agency systems
    "delivery.failed": _l("Message not delivered"),
    "api-call": _l("Agency API call"),
    "api_client.created": _l("API key created"),
    "api_client.revoked": _l("API key revoked"),
    # Secure messages
    "message-replied": _l("Reply sent to a victim's message"),
    "message-note-added": _l("Internal note added to a victim's message"),
    "message-thread-changed": _l("Victim's message assigned or closed"),
    # Contacts recorded by officers
    "contact-recorded": _l("Officer recorded telling a victim about updates"),
}

#: The agency API's verbs (`api.<verb>` actions).
API_VERB_LABELS: dict[str, Any] = {
    "put_case": _l("case created or changed"),
    "add_victim": _l("victim added to a case"),
    "send_updates": _l("updates sent"),
    "read_preferences": _l("preferences read"),
    "read_communications": _l("messages read"),
    "set_contacts": _l("named contacts set"),
    "read_contacts": _l("named contacts read"),
    "read_requests": _l("victims' requests read"),
    "set_request_status": _l("status of a victim's request changed"),
    "read_request_document": _l("victim's personal statement document read"),
    "read_court_needs_changes": _l("changes to victims' court needs read"),
    "read_messages": _l("victims' secure messages read"),
    "read_message": _l("a victim's secure message read"),
    "reply_to_message": _l("reply to a victim's secure message sent"),
    "read_message_attachment": _l("file attached to a victim's secure message read"),
}

DETAIL_LABELS: dict[str, Any] = {
    "role": _l("Role"),
    "what": _l("What was shown"),
    "reason": _l("Reason"),
    "results": _l("Events found"),
    "user_id": _l("Account"),
    "client_id": _l("API client id"),
    "agency": _l("Agency"),
    "force": _l("Police force code"),
    "status_code": _l("Response status"),
    "version": _l("Version"),
    "answers_changed": _l("Answers changed"),
    "source": _l("How"),
    "delegation_id": _l("Permission number"),
    "change": _l("Change"),
    "channel": _l("Channel"),
    "message_id": _l("Message id"),
    "kind": _l("Kind"),
    "urn": _l("Case"),
    "by": _l("By"),
    "occurrences": _l("Times"),
}

_WORD_BREAKS = re.compile(r"[-_.]+")


def _words(code: str) -> str:
    """ "api_client.created" -> "Api client created"."""
    text = _WORD_BREAKS.sub(" ", code).strip()
    return text[:1].upper() + text[1:]


def action_label(action: str) -> str:
    """The name of an audit action, as admins read it."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    if action.startswith("api."):
        verb = action.removeprefix("api.")
        return str(_l("Agency API: %(what)s", what=API_VERB_LABELS.get(verb) or _words(verb).lower()))
    return _words(action)


def action_choices(actions: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, name) for the search's list of actions: those given and every one named here, by name."""
    every = dict.fromkeys([*actions, *ACTION_LABELS])
    return sorted(((action, action_label(action)) for action in every), key=lambda choice: choice[1])


def _value(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(_l("Yes")) if value else str(_l("No"))
    if value is None or value == "":
        return str(_l("not set"))
    if key == "role" and value in ROLE_LABELS:
        return str(ROLE_LABELS[value])
    if isinstance(value, Mapping):
        return "; ".join(f"{_key_label(k)}: {_value(str(k), v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value(key, item) for item in value) or str(_l("none"))
    return str(value)


def _key_label(key: str) -> str:
    return str(DETAIL_LABELS[key]) if key in DETAIL_LABELS else _words(key)


def detail_lines(detail: Mapping[str, Any]) -> list[tuple[str, str]]:
    """An event's detail as (label, value) pairs, in the order it was written."""
    return [(_key_label(str(key)), _value(str(key), value)) for key, value in detail.items()]
