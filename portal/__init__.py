"""The victims' portal: the composition root."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import jinja_templates, logs
from portal.config import INSTANCE_DIR, PROJECT_ROOT, Settings, check_settings
from portal.extensions import babel, csrf, db, limiter, login_manager


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the portal. `config` overrides settings read from the environment (tests use it)."""
    app = Flask(
        __name__,
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.update(Settings().as_flask_config())
    if config:
        app.config.update(config)
    # PORTAL_ENV=production refuses to start unless every setting it needs is there (raises SettingsError).
    check_settings(app.config)
    if not app.config.get("TESTING"):
        # One line an event, JSON unless LOG_FORMAT=text (portal/logs.py); tests keep pytest's capture.
        logs.configure(app.config["LOG_FORMAT"])
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config["WTF_CSRF_TIME_LIMIT"] = None
    INSTANCE_DIR.mkdir(exist_ok=True)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            PrefixLoader({"govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    jinja_templates.install(app.jinja_env)
    WTFormsHelpers(app)

    db.init_app(app)
    csrf.init_app(app)
    from portal.web.language import select_locale

    babel.init_app(app, locale_selector=select_locale)
    jinja_templates.install_gettext(app, babel)
    login_manager.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    # Redis down: every limit goes on being counted, by each process in its own memory, until Redis
    # answers again (README, "Settings"); a Redis that hangs is given up on after a second.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    if app.config.get("REDIS_URL"):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter.init_app(app)

    from portal import template_helpers, web

    web.init_app(app)
    template_helpers.init_app(app)

    from portal import admin, api, auth, receipts, staff, support, victim

    # Every audience is a package whose __init__ makes its blueprint and imports its views.
    for blueprint in (auth.bp, victim.bp, staff.bp, support.bp, admin.bp, *api.blueprints, receipts.bp):
        app.register_blueprint(blueprint)

    from portal.services.messaging import delivery

    delivery.connect(app)

    from portal import cli, metrics

    metrics.init_app(app)
    cli.init_app(app)
    if app.config["PROXY_HOPS"]:
        # Behind that many proxies, trust the address and scheme they add (X-Forwarded-For, -Proto): per-IP
        # rate limits then count each person, not the load balancer. Outermost, so everything sees them.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app
