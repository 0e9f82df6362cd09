"""Two savings on every page's rendering, each giving exactly what Jinja and Flask-Babel would give.

A Jinja template class that imports macros without re-checking the globals on every import.

GOV.UK Frontend's Jinja components import other macros inside their own bodies, so a page runs dozens
of `{% from ... import ... %}` per render. For each, Jinja works out which of the importing context's
globals the imported template lacks (a set difference over a ChainMap, in Python): about 1.5 ms of a
page's CPU. The answer only changes if globals are added after the template is loaded, so this class
remembers the template's global names once and takes Jinja's own path whenever the context has a name
it does not know (so the result is always the same as Jinja's).

Translations looked up once per locale per request. Flask-Babel's own template callables look up the
request's translations on every `_()`, through about ten reads of Flask's context-local proxies: a page
translates a few hundred strings. `install_gettext` gives templates the same callables over a lookup that
keeps the request's translations beside Flask-Babel's own state, with the locale they were found for, and
looks them up again whenever that locale is another (`force_locale` sets a new one, and puts it back).
`RequestDomain` does the same for Python's `gettext` and lazy strings (the vocabulary's wording, the
standing's entitlements: a few dozen a page).
"""

from __future__ import annotations

from typing import Any

from babel.support import NullTranslations
from flask import Flask, g
from flask_babel import Domain, get_translations
from jinja2 import Template
from jinja2.environment import TemplateModule
from jinja2.runtime import Context


class PortalTemplate(Template):
    _global_names: frozenset[str] | None = None

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        if ctx is not None and self._module is not None:
            names = self._global_names
            if names is None:
                names = self._global_names = frozenset(self.globals)
            if ctx.globals_keys <= names:
                return self._module
        return super()._get_default_module(ctx)


def install(environment: Any) -> None:
    """Use PortalTemplate for every template this environment loads from now on."""
    environment.template_class = PortalTemplate


_KEPT = "portal_translations"


def _kept(state: Any) -> NullTranslations | None:
    """The translations kept in this request's Flask-Babel state, if they are for its locale now."""
    kept = state.__dict__.get(_KEPT)
    locale = state.__dict__.get("babel_locale")
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    return None


def request_translations() -> NullTranslations:
    """`flask_babel.get_translations()`, looked up once per locale per request (see the docstring)."""
    try:
        state = g._flask_babel
    except (AttributeError, RuntimeError):  # not set up yet in this request, or no request at all
        return get_translations()
    kept = _kept(state)
    return kept if kept is not None else get_translations()


class RequestDomain(Domain):
    """Flask-Babel's domain (which its `gettext`, `lazy_gettext` and `get_translations` use), its
    translations kept for the request's locale as `request_translations` keeps them."""

    def get_translations(self) -> NullTranslations:
        try:
            state = g._flask_babel
        except (AttributeError, RuntimeError):
            return super().get_translations()
        kept = _kept(state)
        if kept is not None:
            return kept
        translations = super().get_translations()
        setattr(state, _KEPT, (state.__dict__.get("babel_locale"), translations))
        return translations


def install_gettext(app: Flask, babel: Any) -> None:
    """After Flask-Babel's init_app: `RequestDomain` as `babel`'s domain, and for templates the same
    gettext callables (new style, as it installs them) over `request_translations`."""
    babel.domain_instance = RequestDomain(domain=app.extensions["babel"].default_domain)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
