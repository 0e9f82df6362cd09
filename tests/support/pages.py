"""Reading pages and posting forms through the Flask test client."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on the page."""
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.find(marker)
    if start == -1:
        marker = 'name="csrf_token" value="'
        start = html.find(marker)
    assert start != -1, "no CSRF token on the page"
    start += len(marker)
    return html[start : html.index('"', start)]


def page_text(page: TestResponse | str, *, markup: bool = False) -> str:
    """What a page says, whitespace collapsed: its text without tags and scripts (`&#39;` and `&amp;`
    read as `'` and `&`), or with `markup=True` the whole HTML (tags, attributes and scripts kept).
    `page` is a response or its HTML."""
    html = page if isinstance(page, str) else page.get_data(as_text=True)
    if markup:
        return re.sub(r"\s+", " ", html)
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'").replace("&amp;", "&")


FormData = Mapping[str, Any] | Sequence[tuple[str, Any]]


def post_form(client: FlaskClient, url: str, data: FormData | None = None, *, page: str | None = None) -> Any:
    """GET the form's page (`url`, or `page` when the form is on another page) for its CSRF token, then
    POST `data` to `url`. `data` is a mapping or a list of pairs; a list or tuple value sends the field once
    per item (checkboxes) and a None value leaves the field out."""
    token = csrf_from(client.get(page or url).get_data(as_text=True))
    items = list(data.items()) if isinstance(data, Mapping) else list(data or [])
    fields: list[tuple[str, Any]] = []
    for key, value in items:
        if isinstance(value, list | tuple):
            fields += [(key, item) for item in value]
        elif value is not None:
            fields.append((key, value))
    return client.post(url, data=MultiDict([("csrf_token", token), *fields]))


def normalised(response: TestResponse, *values: str) -> str:
    """The body without what differs per request: CSRF token, CSP nonce, request id, and `values`."""
    body = response.get_data(as_text=True)
    body = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token" value=""', body)
    body = re.sub(r'nonce="[^"]*"', 'nonce=""', body)
    body = re.sub(r"Reference: [0-9a-f]+", "Reference:", body)
    for value in values:
        body = body.replace(value, "VALUE")
    return body


def new_tags(html: str) -> int:
    """How many updates a timeline page marks "New"."""
    return len(re.findall(r'class="govuk-tag govuk-tag--red">\s*New\s*</strong>', html))


def same_markup(html: str) -> str:
    """`html` with the whitespace between and inside tags taken out: it does not change what is shown or
    read, so two renderings that differ only in it are the same to a reader or a screen reader."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*>\s*", ">", html)
    return re.sub(r"\s*<\s*", "<", html).strip()
