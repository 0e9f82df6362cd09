"""The second factor: a 6-digit code by text message or email, or an authenticator app (TOTP).

Codes: 10 minutes, single use, stored as an HMAC (keyed with the app's secret), at most 5 live per
account and purpose (sending a 6th retires the oldest). The HMAC covers the channel and the phone number
or email address the code went to, so a code confirms only the destination it was sent to (a code sent
to phone A never confirms phone B, nor an email address). TOTP: RFC 6238 with one step either side, and a
step once used cannot be used again; the secrets are encrypted at rest (portal.models.people.EncryptedText,
keyed from SECRET_KEY, which this module supplies). Staff and support workers must use an authenticator app.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime, timedelta

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app
from flask_babel import gettext
from sqlalchemy.orm import Session

from notifications import outbox
from portal.data import sign_in_codes as sign_in_codes_data
from portal.models import SignInCode, User
from portal.models.people import use_secret_key_from
from portal.services.common.roles import must_use_totp

SMS = "sms"
EMAIL = "email"
TOTP = "totp"
CODE_LIFETIME = timedelta(minutes=10)
MAX_LIVE_CODES = 5
SIGN_IN = "sign-in"
SET_UP = "set-up"
RESET = "reset"
# Checking the current second factor before changing it.
CHECK = "check"
PURPOSES = (SIGN_IN, SET_UP, RESET, CHECK)
ISSUER = "GOV.UK Updates about your case"


def _secret_key() -> str:
    return str(current_app.config["SECRET_KEY"])


# Authenticator app secrets are encrypted with a key derived from the app's SECRET_KEY.
use_secret_key_from(_secret_key)


def _key() -> bytes:
    return _secret_key().encode()


def hash_code(user_id: int, purpose: str, code: str, *, channel: str, sent_to: str) -> str:
    """The code's HMAC, bound to the account, the purpose and where it was sent."""
    message = f"{user_id}:{purpose}:{channel}:{sent_to.strip().casefold()}:{code}"
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


def normalise_code(code: str) -> str:
    """People type codes with spaces or dashes ("123 456"); keep the digits."""
    return re.sub(r"[\s\-]", "", code or "")


def allowed_methods(user: User) -> tuple[str, ...]:
    """The second factors this user may choose."""
    if must_use_totp(user.role):  # which second factor to offer: sign-in policy, not an access decision
        return (TOTP,)
    methods: list[str] = []
    if user.victim is not None and user.victim.phone:
        methods.append(SMS)
    if user.email:
        methods.append(EMAIL)
    methods.append(TOTP)
    return tuple(methods)


def destination(user: User, channel: str) -> str | None:
    if channel == SMS:
        return user.victim.phone if user.victim is not None else None
    if channel == EMAIL:
        return user.email
    return None


def masked_destination(user: User, channel: str) -> str:
    """What the page may show: the last 3 digits of a phone number, or the email with most letters hidden."""
    return mask(channel, destination(user, channel) or "")


def mask(channel: str, value: str) -> str:
    """A phone number's last 3 digits, or an email address with most of its letters hidden."""
    if channel == SMS:
        return re.sub(r"\D", "", value)[-3:]
    local, _, domain = value.partition("@")
    return f"{local[:1]}{'•' * max(len(local) - 1, 1)}@{domain}"


# --- Codes by text message or email ---


def issue_code(session: Session, user: User, purpose: str, channel: str) -> SignInCode:
    """Make a new code and put the message that carries it in the outbox (same transaction)."""
    recipient = destination(user, channel)
    if not recipient:
        raise ValueError("no contact point for this channel")
    return issue_code_to(session, user, purpose, channel, recipient)


def issue_code_to(
    session: Session, user: User, purpose: str, channel: str, recipient: str, *, bound_to: str = ""
) -> SignInCode:
    """A new code for `user` sent to `recipient` by `channel` (which need not be the account's own, e.g.
    where an invitation went), in the words of every security code: nothing says what it is for. The
    code only works for this channel and recipient, and for `bound_to` too when given (an invitation)."""
    if channel not in (SMS, EMAIL):
        raise ValueError("codes go by text message or email")
    now = datetime.now(UTC)
    live = sign_in_codes_data.live_sign_in_codes_for_user(session, user.id, purpose, now)
    for old in live[MAX_LIVE_CODES - 1 :]:  # keep the newest 4 so that with this one there are 5
        old.used_at = now
    code = f"{secrets.randbelow(10**6):06d}"
    row = sign_in_codes_data.add_sign_in_code(
        session,
        SignInCode(
            user_id=user.id,
            purpose=purpose,
            channel=channel,
            code_hash=hash_code(
                user.id,
                f"{purpose}:{bound_to}" if bound_to else purpose,
                code,
                channel=channel,
                sent_to=recipient,
            ),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        ),
    )
    # In the language of the page that asked for it (portal/web/language.py).
    body = gettext(
        "%(code)s is your GOV.UK security code. It expires in 10 minutes. "
        "Do not share this code with anyone. If you did not ask for it, you can ignore this message.",
        code=code,
    )
    outbox.enqueue(
        session,
        channel=channel,
        recipient=recipient,
        subject=gettext("Your security code") if channel == EMAIL else None,
        body=body,
        correlation=f"security-code:{row.id}",
        waited_for=True,
    )
    return row


def check_code(session: Session, user: User, purpose: str, code: str, channel: str) -> bool:
    """True once for a right, live code sent by `channel` to where that channel goes now; every live code
    for that purpose is then used up."""
    code = normalise_code(code)
    sent_to = destination(user, channel)
    if not re.fullmatch(r"\d{6}", code) or not sent_to:
        return False
    now = datetime.now(UTC)
    expected = hash_code(user.id, purpose, code, channel=channel, sent_to=sent_to)
    matched = False
    for row in sign_in_codes_data.live_sign_in_codes_for_user(session, user.id, purpose, now):
        matched = (row.channel == channel and hmac.compare_digest(row.code_hash, expected)) or matched
    if matched:
        sign_in_codes_data.use_all_sign_in_codes(session, user.id, purpose, now)
    return matched


# --- Authenticator apps ---


def new_totp_secret() -> str:
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account_name: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> str:
    """The QR code as inline SVG (no inline style or script, so it passes the CSP)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', '<svg width="200" height="200"', svg)
    return svg.replace(
        "<svg ", '<svg class="app-qr-code" role="img" aria-label="QR code" focusable="false" ', 1
    )


def grouped_secret(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def check_totp(
    user: User, code: str, secret: str | None = None, at: datetime | None = None, *, new_secret: bool = False
) -> bool:
    """Check a code from an authenticator app, one 30-second step either side, never a used step (of the
    account's secret: a `new_secret` being set up has had no step used yet)."""
    secret = secret or user.totp_secret
    code = normalise_code(code)
    if not secret or not re.fullmatch(r"\d{6}", code):
        return False
    totp = pyotp.TOTP(secret)
    now = at or datetime.now(UTC)
    current = totp.timecode(now)
    last = user.totp_last_step if user.totp_last_step is not None and not new_secret else -1
    for step in (current - 1, current, current + 1):
        if step > last and hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


# --- Both ---


def check_second_factor(session: Session, user: User, purpose: str, code: str) -> bool:
    if user.mfa_method == TOTP:
        return check_totp(user, code)
    if user.mfa_method in (SMS, EMAIL):
        return check_code(session, user, purpose, code, user.mfa_method)
    return False


def start_challenge(session: Session, user: User, purpose: str) -> None:
    """Send a code if the user's second factor is a code; an authenticator app needs nothing sent."""
    if user.mfa_method in (SMS, EMAIL):
        issue_code(session, user, purpose, user.mfa_method)


def begin_totp_set_up(user: User) -> str:
    user.totp_pending_secret = new_totp_secret()
    return user.totp_pending_secret


def confirm_totp_set_up(user: User, code: str) -> bool:
    secret = user.totp_pending_secret
    if not secret or not check_totp(user, code, secret=secret, new_secret=True):
        return False
    user.totp_secret = secret
    user.totp_pending_secret = None
    user.mfa_method = TOTP
    return True


def confirm_code_set_up(session: Session, user: User, channel: str, code: str) -> bool:
    """A code sent for setting up `channel`, to where that channel goes now, makes it the second factor."""
    if channel not in (SMS, EMAIL) or not check_code(session, user, SET_UP, code, channel):
        return False
    user.mfa_method = channel
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = None
    return True


def reset_second_factor(user: User) -> None:
    """Recovery: forget the second factor; the user must set one up again through a new link."""
    user.mfa_method = None
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = None


def expire_codes(session: Session, user: User, purpose: str) -> None:
    sign_in_codes_data.use_all_sign_in_codes(session, user.id, purpose, datetime.now(UTC))


def expire_all_codes(session: Session, user: User) -> None:
    """The second factor changed: no code sent before works any more, whatever it was for."""
    for purpose in PURPOSES:
        expire_codes(session, user, purpose)


def tell_old_channel(session: Session, user: User, old_method: str | None, old_sent_to: str | None) -> None:
    """Tell the person, where their codes used to go, that the way they get codes has changed. Nothing
    personal: no name, no new phone number or address (like the code messages themselves). An app has no
    channel of its own, so the account's email address is told."""
    if old_method == SMS and old_sent_to:
        channel, recipient = SMS, old_sent_to
    elif user.email:
        channel, recipient = EMAIL, (old_sent_to if old_method == EMAIL and old_sent_to else user.email)
    else:
        return
    body = (
        "The way you get security codes for your GOV.UK account has just changed. If you did not do this, "
        "contact the people who invited you to use the account straight away."
    )
    outbox.enqueue(
        session,
        channel=channel,
        recipient=recipient,
        subject="The way you get security codes has changed" if channel == EMAIL else None,
        body=body,
        correlation=f"second-factor-changed:{user.id}:{user.session_generation}",
    )
