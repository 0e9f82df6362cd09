"""Extensions, created unbound and attached to the app in create_app()."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from portal.database import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
