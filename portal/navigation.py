"""The GOV.UK service navigation at the top of every page: the links for the signed-in person's role, the
current section marked, and "Your account" and "Sign out" when signed in.

It is the same for everyone with the same role on the same section, so it is rendered once per process
for each (language, links, signed in or not) and reused: only the sign-out form's CSRF token differs from
one request to the next, and it is put in after. (Rendering GOV.UK Frontend's navigation was about a
tenth of a signed-in page's CPU.)
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

#: Stands in for the CSRF token in the cached HTML (no real token can contain it: they are base64url).
TOKEN_PLACEHOLDER = "@@csrf-token@@"  # noqa: S105 (not a secret: a marker replaced by the token)

#: (endpoint, link text, path prefixes of the section) for each role's links. A link with no prefixes is
#: marked current on its own page only (the staff home, /staff, whose path begins every officer's page).
_SECTIONS: dict[str, list[tuple[str, Any, tuple[str, ...]]]] = {
    "victim": [
        ("victim.cases", _l("Your cases"), ("/cases",)),
        ("victim.preferences_summary", _l("Contact preferences and needs"), ("/preferences",)),
        ("victim.delegations_overview", _l("People helping you"), ("/people-helping-you",)),
    ],
    "witness_care_officer": [
        ("auth.signed_in_staff", _l("Home"), ()),
        ("staff.review_queue", _l("Review queue"), ("/staff/review", "/staff/victims")),
        ("staff.find_case", _l("Find a case"), ("/staff/find-case",)),
        ("staff.inbox_list", _l("Messages"), ("/staff/messages",)),
        ("staff.timeliness_report", _l("Timeliness"), ("/staff/timeliness",)),
        ("staff.quality_report", _l("Quality"), ("/staff/quality",)),
        ("staff.unit_delegations", _l("Support workers"), ("/staff/delegations",)),
    ],
    "support_worker": [("support.home", _l("Your clients"), ("/support",))],
    "admin": [
        ("auth.signed_in_staff", _l("Home"), ()),
        ("admin.users", _l("Staff accounts"), ("/admin/users",)),
        ("admin.organisations", _l("Organisations"), ("/admin/organisations",)),
        ("admin.api_clients", _l("API clients"), ("/admin/api-clients",)),
        ("admin.audit", _l("Audit trail"), ("/admin/audit",)),
        ("admin.erasure_requests", _l("Erasure requests"), ("/admin/erasure-requests",)),
    ],
}


def _current(href: str, prefixes: tuple[str, ...]) -> bool:
    if not prefixes:
        return request.path == href
    # A whole path segment: /staff/messages is not the section of /staff/messages-not-delivered.
    return any(request.path == prefix or request.path.startswith(prefix + "/") for prefix in prefixes)


def role_items() -> list[dict[str, Any]]:
    """The signed-in person's links, the current section marked active."""
    if not current_user.is_authenticated:
        return []
    role = "victim" if current_user.is_victim else str(current_user.role)
    items = []
    for endpoint, text, prefixes in _SECTIONS.get(role, []):
        href = url_for(endpoint)
        items.append({"href": href, "text": str(text), "active": _current(href, prefixes)})
    return items


def service_navigation(items: list[dict[str, Any]] | None = None) -> Markup:
    """The navigation with `items` (a page's own links, as the admin pages have) or the role's links."""
    items = role_items() if items is None else items
    signed_in = bool(current_user.is_authenticated)
    key = (
        str(get_locale() or "en"),
        signed_in,
        tuple((str(i["href"]), str(i["text"]), bool(i.get("active"))) for i in items),
    )
    cache: dict[tuple[Any, ...], Markup] = current_app.extensions.setdefault("service_navigation", {})
    html = cache.get(key)
    if html is None:
        template = current_app.jinja_env.get_template("fragments/service_navigation.html")
        # The output of an autoescaped template of our own: already safe HTML.
        html = Markup(template.render(items=items, signed_in=signed_in, csrf_token=TOKEN_PLACEHOLDER))  # noqa: S704
        if not current_app.jinja_env.auto_reload:
            cache[key] = html
    return Markup(html.replace(TOKEN_PLACEHOLDER, escape(generate_csrf()))) if signed_in else html  # noqa: S704
