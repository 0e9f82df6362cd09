"""Session cookie settings and the security headers on every response (SECURITY.md 6 and 8)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request


def configure_cookies(app: Flask) -> None:
    """HttpOnly, SameSite=Lax, and Secure with the __Host- prefix when served over HTTPS. No remember-me."""
    secure = bool(app.config.get("SECURE_COOKIES"))
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["SESSION_COOKIE_NAME"] = "__Host-session" if secure else "session"
    app.config["SESSION_COOKIE_DOMAIN"] = None
    app.config["SESSION_COOKIE_PATH"] = "/"
    app.config["SESSION_REFRESH_EACH_REQUEST"] = True
    # Flask-Login's remember-me cookie is never set (login_user is never called with remember=True);
    # should it ever be, it is locked down the same way and lasts no time at all.
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    app.config["REMEMBER_COOKIE_DURATION"] = 0
    # Referrer-Policy: no-referrer means browsers send no Referer, so Flask-WTF's HTTPS Referer check
    # would refuse every form. The CSRF token (and SameSite=Lax) protect the forms instead.
    app.config["WTF_CSRF_SSL_STRICT"] = False
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)


def _form_targets() -> str:
    """Where forms may lead: this service, and GOV.UK One Login's address when it is configured (signing
    in and out with it are forms here whose answer redirects there, which form-action also governs)."""
    issuer = str(current_app.config.get("ONE_LOGIN_ISSUER") or "")
    parts = urlsplit(issuer)
    if current_app.config.get("ONE_LOGIN_CLIENT_ID") and parts.scheme in ("http", "https") and parts.netloc:
        return f"'self' {parts.scheme}://{parts.netloc}"
    return "'self'"


def add_security_headers(response: Response) -> None:
    """SECURITY.md item 8, on every response (tests walk the whole url_map)."""
    nonce = g.get("csp_nonce", "")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; "
        f"connect-src 'self'; form-action {_form_targets()}; base-uri 'none'; object-src 'none'; "
        "frame-ancestors 'none'"
    )
    response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    response.headers["X-Request-Id"] = g.get("request_id", "")
    if not request.path.startswith(("/assets/", "/static/")):
        # Signed-in pages, and every other page, are never stored: Back after leaving shows nothing.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
