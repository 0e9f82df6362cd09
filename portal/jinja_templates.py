"""A Jinja template class that imports macros without re-checking the globals on every import.

GOV.UK Frontend's Jinja components import other macros inside their own bodies, so a page runs dozens
of `{% from ... import ... %}` per render. For each, Jinja works out which of the importing context's
globals the imported template lacks (a set difference over a ChainMap, in Python): about 1.5 ms of a
page's CPU. The answer only changes if globals are added after the template is loaded, so this class
remembers the template's global names once and takes Jinja's own path whenever the context has a name
it does not know (so the result is always the same as Jinja's).
"""

from __future__ import annotations

from typing import Any

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
