"""Unit-test fixtures: a bare Flask app with Flask-Babel, for code that translates text.

Deliberately not ``portal.create_app``: unit tests of pure rules need only an app context for gettext.
Use it with ``pytestmark = pytest.mark.usefixtures("babel_app_context")``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import Babel


@pytest.fixture(scope="session")
def babel_app() -> Flask:
    """A minimal app: English by default, no translations loaded."""
    app = Flask(__name__)
    app.config.update(TESTING=True, BABEL_DEFAULT_LOCALE="en")
    Babel(app)
    return app


@pytest.fixture
def babel_app_context(babel_app: Flask) -> Iterator[Flask]:
    """An application context for the minimal app, so gettext and force_locale work."""
    with babel_app.app_context():
        yield babel_app
