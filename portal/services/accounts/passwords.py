"""Passwords: the rules for choosing one, and hashing with Argon2id.

Rules (SECURITY.md item 2, NCSC and NIST SP 800-63B guidance): 8 to 128 characters, any characters
(spaces, emoji, any script), no composition rules, refused if it is a common or breached password or
contains the service's name. Passwords are NFKC-normalised before checking and hashing, so the same
password typed on different keyboards matches. Argon2id has no 72-byte limit (unlike bcrypt), so long
passwords that differ late are different passwords.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 128
BLOCKLIST_FILE = Path(__file__).resolve().parents[2] / "data" / "password_blocklist.txt"
# The service's names, with spaces and punctuation removed, that a password may not contain.
SERVICE_NAMES = ("updatesaboutyourcase", "victimsportal", "victimportal")

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters

# A real hash of a random password, verified against when the account does not exist so that the
# answer takes the same time whether or not an account exists.
_DUMMY_HASH = _hasher.hash("not-a-real-password-used-for-timing-only")


class PasswordProblem(ValueError):
    """Why a new password is refused: `code` is one of "too-short", "too-long", "common", "service-name"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


@lru_cache(maxsize=1)
def _blocklist() -> frozenset[str]:
    with BLOCKLIST_FILE.open(encoding="utf-8") as handle:
        return frozenset(
            line.strip().casefold() for line in handle if line.strip() and not line.startswith("#")
        )


def is_common(password: str) -> bool:
    return normalise(password).casefold() in _blocklist()


def contains_service_name(password: str) -> bool:
    squashed = re.sub(r"[\W_]+", "", normalise(password).casefold())
    return any(name in squashed for name in SERVICE_NAMES)


def check_new_password(password: str) -> None:
    """Raise PasswordProblem if the password may not be used."""
    value = normalise(password)
    if len(value) < MIN_LENGTH:
        raise PasswordProblem("too-short")
    if len(value) > MAX_LENGTH:
        raise PasswordProblem("too-long")
    if is_common(value):
        raise PasswordProblem("common")
    if contains_service_name(value):
        raise PasswordProblem("service-name")


def hash_password(password: str) -> str:
    return _hasher.hash(normalise(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, normalise(password)) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
