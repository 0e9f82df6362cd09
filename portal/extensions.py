"""Extensions, created unbound and attached to the app in create_app()."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from portal.database import Database

db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Rate limits. Counters live in Redis when REDIS_URL is set (shared by every web process), in memory
# otherwise: create_app() sets RATELIMIT_STORAGE_URI from REDIS_URL before init_app. No default limits:
# each use names its own (the agency API limits per client, see portal/api/routes.py).
limiter = Limiter(key_func=get_remote_address)
