"""Fixtures for signing in with GOV.UK One Login: the local provider (oidc-provider under Node, configured
like One Login: one_login_local/provider.mjs) registered for the live server's addresses, and the app
configured to use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.support.one_login_provider import LocalProvider, running_provider

_CONFIG_KEYS = (
    "ONE_LOGIN_CLIENT_ID",
    "ONE_LOGIN_ISSUER",
    "ONE_LOGIN_PRIVATE_KEY_PATH",
    "ONE_LOGIN_REDIRECT_URI",
    "ONE_LOGIN_POST_LOGOUT_REDIRECT_URI",
    "PORTAL_BASE_URL",
)


@pytest.fixture(scope="session")
def one_login_provider(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProvider]:
    """The local One Login provider, its client registered with the live server's addresses. Its issuer is
    on `localhost`, the portal on 127.0.0.1: two sites, as One Login and the portal are in service."""
    with running_provider(
        live_server, tmp_path_factory.mktemp("one-login-provider"), public_host="localhost"
    ) as p:
        yield p


@pytest.fixture
def one_login_app(app: Flask, one_login_provider: LocalProvider, live_server: str) -> Iterator[Flask]:
    """The app configured for the local provider (its old settings put back afterwards)."""
    old = {key: app.config.get(key) for key in _CONFIG_KEYS}
    app.config.update(
        ONE_LOGIN_CLIENT_ID=one_login_provider.client_id,
        ONE_LOGIN_ISSUER=one_login_provider.issuer,
        ONE_LOGIN_PRIVATE_KEY_PATH=str(one_login_provider.private_key_path),
        ONE_LOGIN_REDIRECT_URI=f"{live_server}/one-login/callback",
        ONE_LOGIN_POST_LOGOUT_REDIRECT_URI=f"{live_server}/signed-out",
        PORTAL_BASE_URL=live_server,
    )
    try:
        yield app
    finally:
        app.config.update(old)
