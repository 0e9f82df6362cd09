"""PortalTemplate imports macros as Jinja does: the cached module when the importing context brings no
globals the macro template lacks, a fresh module (seeing the importer's globals) when it does."""

from __future__ import annotations

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
