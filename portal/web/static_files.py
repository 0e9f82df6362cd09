"""The service's own stylesheets and scripts, kept by browsers until they change.

Every `url_for("static", ...)` carries `v`, the first 12 hex digits of the SHA-256 of the file's
contents. Asked for with the `v` of the file as it is now, the answer may be kept a year without asking
again (`immutable`): a changed file has another address, so nobody is left with an old stylesheet. Without
`v`, or with another (a page from before a release), the file is served as before, to be checked with
the server every time (`no-cache`, answered 304 when unchanged). A phone then makes one request for a
page instead of eight (the stylesheets, the script and the modules it imports, which the page maps to
their own versioned addresses with an import map: `module_map`).

Static files are the same for everyone and carry no cookie (their endpoint is sessionless), so shared
caches may keep them. Pages keep `no-store` (headers.add_security_headers).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from markupsafe import Markup

#: A year: what "forever" means to browsers and caches.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
#: The modules js/app.js imports, by the address it imports them from.
MODULES = ("govuk/govuk-frontend.min.js", "js/quick-exit.js", "js/session-timeout.js")


@lru_cache(maxsize=256)
def _digest(file: tuple[str, int, int]) -> str:
    """`file`: its path, modification time and size, so a file changed while `make run` serves is given
    a new version at once."""
    return hashlib.sha256(Path(file[0]).read_bytes()).hexdigest()[:12]


def version_of(app: Flask, filename: str) -> str | None:
    """The file's version, or None if it is not a file of the static folder. One stat of the file (a few
    microseconds) and a look-up; the contents are read again only when the file has changed."""
    if filename.startswith("/") or "\\" in filename or ".." in filename.split("/"):
        return None
    path = os.path.join(str(app.static_folder), filename)
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return _digest((path, found.st_mtime_ns, found.st_size))


def module_map() -> Markup:
    """The import map's JSON: each module js/app.js imports, mapped to its versioned address."""
    imports = {}
    for name in MODULES:
        version = version_of(current_app, name)
        imports[f"/static/{name}"] = f"/static/{name}" + (f"?v={version}" if version else "")
    return Markup(json.dumps({"imports": imports}))  # noqa: S704 - JSON of our own addresses


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = version_of(current_app, str(values["filename"]))
            if version is not None:
                values["v"] = version

    @app.after_request
    def _cache_static(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        asked = request.args.get("v")
        current = version_of(current_app, str(filename))
        response.headers["Cache-Control"] = IMMUTABLE if asked and asked == current else REVALIDATE
        return response

    app.jinja_env.globals["module_map"] = module_map
