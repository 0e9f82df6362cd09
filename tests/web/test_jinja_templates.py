"""PortalTemplate imports macros as Jinja does: the cached module when the importing context brings no
globals the macro template lacks, a fresh module (seeing the importer's globals) when it does. The
translations kept per request follow the locale."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale, gettext, lazy_gettext
from jinja2 import DictLoader, Environment

from portal import jinja_templates

TEMPLATES = {
    "macros.html": "{% macro hello() %}Hello {{ who | default('nobody') }}{% endmacro %}",
    "page.html": '{% from "macros.html" import hello %}{{ hello() }}',
}


def _environment() -> Environment:
    environment = Environment(loader=DictLoader(TEMPLATES))
    jinja_templates.install(environment)
    return environment


def test_pages_render_as_with_jinjas_own_template_class() -> None:
    plain = Environment(loader=DictLoader(TEMPLATES))
    portal = _environment()
    assert (
        portal.get_template("page.html").render()
        == plain.get_template("page.html").render()
        == ("Hello nobody")
    )
    assert isinstance(portal.get_template("page.html"), jinja_templates.PortalTemplate)


def test_an_import_reuses_the_cached_module_when_the_globals_are_the_same() -> None:
    environment = _environment()
    macros = environment.get_template("macros.html")
    page = environment.get_template("page.html")
    page.render()
    first = macros.module
    page.render()
    assert macros.module is first  # the module Jinja cached, not rebuilt


def test_a_global_added_to_the_importing_template_is_seen_by_the_imported_macro() -> None:
    environment = _environment()
    assert "Hello" in str(environment.get_template("macros.html").module.hello())  # module cached first
    page = environment.get_template("page.html", globals={"who": "Sam"})
    assert page.render() == "Hello Sam"


def test_python_and_template_translations_follow_the_locale_within_one_request(session_app: Flask) -> None:
    """RequestDomain and request_translations keep the request's translations for its locale: wording a
    message in Welsh in the middle of an English page (force_locale), and back, gives each its own."""
    heading = lazy_gettext("Next")
    template = session_app.jinja_env.from_string("{{ _('Next') }}")
    for context in (session_app.test_request_context("/"), session_app.app_context()):
        with context:
            seen = [(gettext("Next"), str(heading), template.render())]
            with force_locale("cy"):
                seen.append((gettext("Next"), str(heading), template.render()))
                with force_locale("en"):
                    seen.append((gettext("Next"), str(heading), template.render()))
                seen.append((gettext("Next"), str(heading), template.render()))
            seen.append((gettext("Next"), str(heading), template.render()))
        assert seen == [
            ("Next",) * 3,
            ("Nesaf",) * 3,
            ("Next",) * 3,
            ("Nesaf",) * 3,
            ("Next",) * 3,
        ]
