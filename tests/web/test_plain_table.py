"""`plain_table` (templates/components/table.html) renders the markup govukTable renders, for every option
the report tables use: a person reading the page, or a screen reader, cannot tell which one drew it."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader
from markupsafe import Markup

from portal.config import PROJECT_ROOT
from tests.support.pages import same_markup

ENVIRONMENT = Environment(
    loader=ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    ),
    autoescape=True,
)
BOTH = ENVIRONMENT.from_string(
    '{% from "govuk_frontend_jinja/components/table/macro.html" import govukTable %}'
    '{% from "components/table.html" import plain_table %}'
    "{{ govukTable(params) }}\n=====\n{{ plain_table(params) }}"
)


TABLES: dict[str, dict[str, Any]] = {
    "figures": {
        "caption": "On time by agency",
        "captionClasses": "govuk-table__caption--s",
        "head": [{"text": "Agency"}, {"text": "Updates", "format": "numeric"}],
        "rows": [
            [{"text": "Police"}, {"text": 12, "format": "numeric"}],
            [{"text": "CPS & <partners>"}, {"text": 0, "format": "numeric"}],
        ],
    },
    "links and hidden caption": {
        "caption": "Updates not told",
        "captionClasses": "govuk-visually-hidden",
        "attributes": {"id": "request-figures"},
        "classes": "app-wide",
        "head": [
            {"html": Markup("<span>Victim</span>")},
            {"text": "Days", "format": "numeric", "classes": "x"},
        ],
        "rows": [
            [
                {"html": Markup('<a class="govuk-link" href="/a?b=1&amp;c=2">Sam</a>')},
                {"text": "–", "colspan": 2},
            ],
            [],
            [{"text": "Jo", "classes": "app-bold"}, {"text": 3, "format": "numeric"}],
        ],
    },
    "row headers": {
        "firstCellIsHeader": True,
        "rows": [[{"text": "Police", "classes": "c"}, {"text": "1"}], [{"text": "CPS"}, {"text": "2"}]],
    },
}


@pytest.mark.parametrize("params", TABLES.values(), ids=TABLES.keys())
def test_plain_table_renders_what_govuk_table_renders(params: dict[str, Any]) -> None:
    govuk, plain = BOTH.render(params=params).split("=====")
    assert same_markup(plain) == same_markup(govuk)
