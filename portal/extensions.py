"""Extensions, created unbound and attached to the app in create_app()."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter, RouteLimit
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from limits import RateLimitItem
from limits import parse as parse_limit
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter
from redis.exceptions import RedisError

from portal.database import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Rate limits. Counters live in Redis when REDIS_URL is set (shared by every web process), in memory
# otherwise: create_app() sets RATELIMIT_STORAGE_URI from REDIS_URL before init_app. No default limits:
# each use names its own (the agency API limits per client, see portal/api/routes.py). The default key is
# the client's address: behind a load balancer set PROXY_HOPS so that it is the person's, not the
# balancer's (create_app applies Werkzeug's ProxyFix).
limiter = Limiter(key_func=get_remote_address)


def normalised_email(email: str) -> str:
    """An email address as an account is looked up by it (surrounding spaces and case don't matter)."""
    return email.strip().casefold()


def submitted_account_key() -> str:
    """Rate-limit key for "per account" limits: the email address submitted in the form, normalised, as
    an HMAC-SHA256 under SECRET_KEY, so no address sits in Redis (or memory) and the keys can't be
    reversed by hashing a list of addresses. The same for an address that has no account: a limit never
    tells anyone whether an account exists (SECURITY.md item 4)."""
    email = normalised_email(request.form.get("email", ""))
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, f"rate-limit-account:{email}".encode(), hashlib.sha256).hexdigest()
    return f"account:{digest[:32]}"


def no_email_submitted() -> bool:
    """Per-account limits skip a form posted without an email address (it is refused anyway)."""
    return not normalised_email(request.form.get("email", ""))


def account_limit(setting: str, default: str, scope: str) -> RouteLimit:
    """A per-account limit on a form's POSTs (next to the per-IP one): `setting` in the app's config
    overrides `default` (flask-limiter syntax). Its counters are keyed by submitted_account_key."""
    return limiter.limit(
        lambda: str(current_app.config.get(setting) or default),
        key_func=submitted_account_key,
        methods=["POST"],
        exempt_when=no_email_submitted,
        scope=scope,
    )


# Per-account limits (SECURITY.md item 4): one account tried from many addresses. Short windows: an abuser
# who knows the victim's address can use them up on purpose, and the victim must not be kept out for long
# (the lockout after 10 wrong passwords is the long stop).
account_sign_in_limit = account_limit(
    "ACCOUNT_SIGN_IN_RATE_LIMIT", "10 per minute;60 per hour", "account-sign-in"
)
account_reset_limit = account_limit("ACCOUNT_RESET_RATE_LIMIT", "5 per 15 minutes", "account-reset")


@dataclass(frozen=True)
class AddressLimit:
    """A limit per client address on something other than requests (flask-limiter counts requests): the
    caller says when one happened (`count`) and asks, before doing any work, whether the address has used
    them up (`retry_after`). Counted in the limiter's storage (Redis when REDIS_URL is set), keyed by the
    address as rate limits see it (PROXY_HOPS). `setting` in the app's config overrides `default`."""

    setting: str
    default: str
    scope: str
    # False: one count for the whole service (every address together), not one per address.
    per_address: bool = True

    def limit(self) -> RateLimitItem:
        return parse_limit(str(current_app.config.get(self.setting) or self.default))

    def _identifiers(self) -> list[str]:
        prefix = str(current_app.config.get("RATELIMIT_KEY_PREFIX") or "")
        address = [get_remote_address()] if self.per_address else []
        return [*([prefix] if prefix else []), self.scope, *address]

    def retry_after(self) -> int | None:
        """None while the caller's address has some left; else the seconds until its window ends."""
        if not limiter.enabled:
            return None
        item = self.limit()
        try:
            return _retry_after(limiter.limiter, item, self._identifiers())
        except RedisError:  # Redis down: counted in this process's memory, as flask-limiter does
            return _retry_after(_MEMORY_FALLBACK, item, self._identifiers())

    def count(self) -> None:
        if limiter.enabled:
            try:
                limiter.limiter.hit(self.limit(), *self._identifiers())
            except RedisError:
                _MEMORY_FALLBACK.hit(self.limit(), *self._identifiers())


# Where AddressLimit counts while Redis is down (flask-limiter's own fallback for route limits is the same).
_MEMORY_FALLBACK = FixedWindowRateLimiter(MemoryStorage())


def _retry_after(counter: RateLimiter, item: RateLimitItem, identifiers: list[str]) -> int | None:
    if counter.test(item, *identifiers):
        return None
    reset_at, _remaining = counter.get_window_stats(item, *identifiers)
    return max(1, math.ceil(reset_at - time.time()))


# Agency API calls refused at authentication, per address (security finding 6): past the limit every call
# from that address is answered 429 before its token is looked at (portal/api/routes.py).
api_refusal_limit = AddressLimit("API_REFUSAL_RATE_LIMIT", "60/minute", "api-refusals")
# And for the whole service: refusals from many addresses at once (a botnet) are each still refused, but past
# this many a minute they are no longer written to the audit trail, so such a flood cannot make the
# database do a write per call. They stay counted in /metrics (portal_requests by status) and are logged
# once a minute. No caller is refused for it: a limit shared by everyone would let an attacker lock the
# agencies out.
api_refusal_audit_budget = AddressLimit(
    "API_REFUSAL_AUDIT_LIMIT", "600/minute", "api-refusals-audited", per_address=False
)
