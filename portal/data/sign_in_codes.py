"""Queries about security codes (sign-in codes: a second factor sent by text or email) and password
reset links."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import false, insert, select, update
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.models import PasswordReset, SignInCode


def add_sign_in_code(session: Session, code: SignInCode) -> SignInCode:
    session.add(code)
    session.flush()
    return code


def live_sign_in_codes_for_user(
    session: Session, user_id: int, purpose: str, now: datetime
) -> Sequence[SignInCode]:
    """Unused, unexpired codes for this purpose, newest first."""
    return session.scalars(
        select(SignInCode)
        .where(
            SignInCode.user_id == user_id,
            SignInCode.purpose == purpose,
            SignInCode.used_at.is_(None),
            SignInCode.expires_at > now,
        )
        .order_by(SignInCode.created_at.desc(), SignInCode.id.desc())
    ).all()


def use_all_sign_in_codes(session: Session, user_id: int, purpose: str, now: datetime) -> None:
    session.execute(
        update(SignInCode)
        .where(SignInCode.user_id == user_id, SignInCode.purpose == purpose, SignInCode.used_at.is_(None))
        .values(used_at=now)
    )
    session.flush()


def add_password_reset(session: Session, reset: PasswordReset) -> PasswordReset:
    session.add(reset)
    session.flush()
    return reset


def get_password_reset_by_token_hash(session: Session, token_hash: str) -> PasswordReset | None:
    return session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash))


def get_password_reset(session: Session, reset_id: int, *, for_update: bool = False) -> PasswordReset | None:
    """The reset link; `for_update` locks its row until the transaction ends (PostgreSQL), so that
    two requests checking codes on the same link at once are counted one after the other."""
    if for_update:
        return session.get(PasswordReset, reset_id, with_for_update=True, populate_existing=True)
    return session.get(PasswordReset, reset_id)


def use_all_password_resets(session: Session, user_id: int, now: datetime) -> None:
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    session.flush()


def count_password_resets_since(session: Session, user_id: int, since: datetime) -> int:
    return len(
        session.scalars(
            select(PasswordReset.id).where(
                PasswordReset.user_id == user_id, PasswordReset.created_at >= since
            )
        ).all()
    )


def insert_no_reset_and_no_message(session: Session) -> None:
    """The same two INSERTs that sending a reset link makes (password_reset, then outbound_message), as
    `INSERT ... SELECT` that match no row: asking for a link for an address with no usable account does
    the same work as for a real one (issue 14, finding 7) and writes nothing."""
    for model in (PasswordReset, OutboundMessage):
        session.execute(insert(model).from_select(["id"], select(model.id).where(false())))
