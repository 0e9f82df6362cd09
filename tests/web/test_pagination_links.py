"""`pagination_links` (portal/template_helpers.py) writes out the markup govukPagination renders for the
options the portal's lists use: a person reading the page, or a screen reader, cannot tell which one drew
it. Every number of pages up to 12, every current page, both languages, a parameter that needs escaping,
and a second list's own page argument and fragment (the timeliness report's)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from portal.services.common.pagination import Page
from portal.template_helpers import pagination_links
from tests.support.pages import same_markup

#: What components/pagination.html did before pagination_links: govukPagination's own macro.
GOVUK = """
{%- from "govuk_frontend_jinja/components/pagination/macro.html" import govukPagination -%}
{%- macro href(number) %}{{ url_for(endpoint, **dict(params, **{page_arg: (number if number > 1 else none)})) }}{{ fragment }}{% endmacro -%}
{%- set items = [] -%}
{%- for number in pages.numbers -%}
  {%- if number is none -%}
    {%- if items.append({"ellipsis": true}) %}{% endif -%}
  {%- else -%}
    {%- if items.append({"number": number, "href": href(number), "current": number == pages.number,
        "visuallyHiddenText": _("Page %(number)d", number=number)}) %}{% endif -%}
  {%- endif -%}
{%- endfor -%}
{%- set previous_html %}{{ _("Previous") }}<span class="govuk-visually-hidden"> {{ _("page") }}</span>{% endset -%}
{%- set next_html %}{{ _("Next") }}<span class="govuk-visually-hidden"> {{ _("page") }}</span>{% endset -%}
{%- if pages.count > 1 -%}
{{ govukPagination({
  "landmarkLabel": label,
  "previous": {"href": href(pages.number - 1), "html": previous_html} if pages.number > 1 else none,
  "next": {"href": href(pages.number + 1), "html": next_html} if pages.number < pages.count else none,
  "items": items
}) }}
{%- endif -%}
"""


LISTS: dict[str, dict[str, Any]] = {
    "a victim's timeline": {
        "endpoint": "victim.case",
        "params": {"urn": "01AB<&>'\"", "source": None},
        "label": "Pages of updates",
        "page_arg": "page",
        "fragment": "",
    },
    "one source of a timeline": {
        "endpoint": "victim.case",
        "params": {"urn": "01AB1234567", "source": "police"},
        "label": "Pages of <updates> & more",
        "page_arg": "page",
        "fragment": "",
    },
    "a report's second list": {
        "endpoint": "staff.timeliness_report",
        "params": {"unit": "01 & 02"},
        "label": "Pages of updates told late",
        "page_arg": "late-page",
        "fragment": "#told-late",
    },
}


@pytest.mark.parametrize("locale", ["en", "cy"])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_the_same_markup_as_govuk_pagination(session_app: Flask, name: str, locale: str) -> None:
    options = LISTS[name]
    reference = session_app.jinja_env.from_string(GOVUK)
    compared = 0
    with session_app.test_request_context("/"), force_locale(locale):
        for count in range(1, 13):
            for number in range(1, count + 1):
                pages = Page(number=number, size=20, total=count * 20 - 3)
                ours = str(pagination_links(pages, **options))
                theirs = reference.render(pages=pages, **options)
                assert same_markup(ours) == same_markup(theirs), (count, number)
                compared += 1
                if count == 1:
                    assert ours == ""
                else:
                    assert f'aria-label="{_label(options["label"])}"' in ours
    assert compared == 78


def _label(label: str) -> str:
    return label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_welsh_words_and_each_page_link(session_app: Flask) -> None:
    """What a Welsh reader is given, and where each link goes (the reference could share a mistake)."""
    with session_app.test_request_context("/"), force_locale("cy"):
        html = str(
            pagination_links(
                Page(number=3, size=20, total=150), "victim.case", {"urn": "01AB1234567"}, "Tudalennau"
            )
        )
    assert 'href="/cases/01AB1234567?page=2" rel="prev"' in html
    assert 'href="/cases/01AB1234567?page=4" rel="next"' in html
    assert 'href="/cases/01AB1234567" aria-label="Tudalen 1"' in html
    assert 'aria-label="Tudalen 3" aria-current="page">3</a>' in html
    assert "govuk-pagination__item--ellipsis" in html
    assert "Blaenorol" in html and "Nesaf" in html
    assert "Previous" not in html and "Next" not in html
