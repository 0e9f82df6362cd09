"""A Flask test client that checks every HTML page it returns (the test app's `test_client_class`).

Each response with the media type text/html must:
- parse: every end tag closes an element that is open (elements whose end tag HTML lets you leave out
  may be closed implicitly), and nothing but those is still open at the end;
- give each element id once;
- carry the Content-Security-Policy nonce on every <script> (`nonce="..."`, the header's 'nonce-...');
- show no "None" or "Undefined" (whole words) in its visible text: a Python None or a Jinja Undefined
  rendered into the page. The service writes a few things that begin with the word None on purpose
  (INTENDED_NONE, NONE_ANSWER_ROWS): those, and only those, are not taken for a rendered None;
- if it is a page of the service (the GOV.UK template), have one <h1> and the title the one rule gives
  (templates/base.html): "<the h1> – <service name> – GOV.UK", "Error: " before it when the page shows an
  error summary (and only then), " (page 2 of 8)" after the h1 on a page of a long list, and on the start
  page, whose h1 is the service name, "<service name> – GOV.UK". TITLE_NOT_YET lists the pages that do not
  follow the rule yet (tests/web/test_titles.py checks that each still needs its place there).

A page that fails raises AssertionError naming its method, URL and status, so the test that fetched it
fails where it fetched it.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

# Elements with no end tag.
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
# Elements whose end tag may be left out (HTML's "optional tags"): closed by the end of their parent or
# by a sibling. A stricter rule per element is more than these checks need.
OPTIONAL_END = frozenset(
    {"html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody"}
    | {"tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp"}
)
# Their content is not text the page shows.
HIDDEN_TEXT = frozenset({"script", "style", "template"})
NONCE_IN_CSP = re.compile(r"'nonce-([^']+)'")
CSRF_TOKEN_VALUE = re.compile(r'(name="(?:[\w-]+-)?csrf_token"[^>]*value=")[^"]*"')
NOT_RENDERED = re.compile(r"\b(None|Undefined)\b")
# The service's own words that begin with "None" (option labels, answers, empty lists), each allowed only
# as the whole text of an element: a rendered Python None is never one of these.
INTENDED_NONE = frozenset(
    {
        "None given",  # another safe way to reach you
        "None – you hear about everything",  # updates you do not want
        "None – they hear about everything",  # the same answer as staff read it
        "None of these",  # help when giving evidence
        "None (administrators)",  # an account's organisation
        "None: a named support worker",  # an officer recording who may help a victim
        "None: this update has no Code timescale",  # an update's Code deadline
        "None.",  # an empty list in the timeliness report
    }
)
# The bare word is the service's answer only in these rows of a summary list (their value, <dd>).
NONE_ANSWER_ROWS = frozenset(
    {"Help with reading or communicating", "Help when giving evidence (special measures)", "Organisation"}
)
# The service's name as the header shows it, when a page has no header to read it from.
SERVICE_NAME = "Updates about your case"
TITLE = re.compile(  # in English or Welsh ("Gwall: ", "(tudalen 2 o 3)")
    r"(?P<error>(?:Error|Gwall): )?(?P<heading>.+?)(?P<page> \((?:page|tudalen) \d+ (?:of|o) \d+\))?"
    r"(?: – (?P<service>.+?))? – GOV\.UK"
)
# Pages whose title does not follow the rule yet, by path (a regular expression, matched in full), each
# with what is wrong (none now: every page follows it). Remove an entry once its page follows the rule:
# tests/web/test_titles.py fails while an entry is no longer needed.
TITLE_NOT_YET: dict[str, str] = {}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.ids: dict[str, int] = {}
        self.scripts: list[str | None] = []  # each <script>'s nonce attribute (None when it has none)
        self.text: list[str] = []
        self.rendered_none: list[tuple[int, str]] = []  # (where in the text, the word) for each one found
        self._hidden = 0
        self._length = 0  # of the text so far, joined
        self._row_key: str | None = None  # the key of the summary list row being read
        self._key_text: list[str] | None = None  # collecting a summary list key
        self._answer_depth: int | None = None  # the depth of an open summary list value (<dd>)
        self.govuk_template = False  # a page of the service: <html class="govuk-template">
        self.error_summary = False  # it shows a GOV.UK error summary
        self.title: list[str] | None = None  # the text of <title>
        self.h1: list[list[str]] = []  # the text of each <h1>
        self.service_name: list[str] | None = None  # the header's service name
        self._collecting: list[list[str]] = []  # the texts being collected (title, h1, service name)
        self._collecting_depths: list[int] = []  # the depth at which each of them ends

    def _where(self) -> str:
        line, column = self.getpos()
        return f"line {line}, column {column + 1}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if "govuk-summary-list__row" in classes:
            self._row_key = None
        elif tag == "dt" and "govuk-summary-list__key" in classes:
            self._key_text = []
        elif tag == "dd" and "govuk-summary-list__value" in classes:
            self._answer_depth = len(self.open) + 1
        self._note_title_parts(tag, classes)
        if "id" in values:
            element_id = values["id"] or ""
            self.ids[element_id] = self.ids.get(element_id, 0) + 1
        if tag == "script":
            self.scripts.append(values.get("nonce"))
        if tag in VOID:
            return
        self.open.append(tag)
        if tag in HIDDEN_TEXT:
            self._hidden += 1

    def _note_title_parts(self, tag: str, classes: list[str]) -> None:
        """What the title rule reads: the template, an error summary, and the text of the <title>, each
        <h1> and the header's service name (collected until the element ends)."""
        if tag == "html" and "govuk-template" in classes:
            self.govuk_template = True
        if "govuk-error-summary" in classes:
            self.error_summary = True
        collect: list[str] | None = None
        if tag == "title" and self.title is None:
            collect = self.title = []
        elif tag == "h1":
            collect = []
            self.h1.append(collect)
        elif "govuk-service-navigation__service-name" in classes and self.service_name is None:
            collect = self.service_name = []
        if collect is not None and tag not in VOID:
            self._collecting.append(collect)
            self._collecting_depths.append(len(self.open) + 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <svg ... />, <path ... />: complete elements.
        if tag not in VOID:
            self.handle_starttag(tag, attrs)
            self._close(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"</{tag}> at {self._where()}: <{tag}> has no end tag")
            return
        if tag not in self.open:
            self.problems.append(f"</{tag}> at {self._where()} closes nothing that is open")
            return
        self._close(tag)

    def _close(self, tag: str) -> None:
        while self.open:
            top = self.open.pop()
            if top in HIDDEN_TEXT:
                self._hidden -= 1
            if top == "dt" and self._key_text is not None:
                self._row_key = " ".join("".join(self._key_text).split())
                self._key_text = None
            if self._answer_depth is not None and len(self.open) < self._answer_depth:
                self._answer_depth = None
            while self._collecting_depths and len(self.open) < self._collecting_depths[-1]:
                self._collecting.pop()
                self._collecting_depths.pop()
            if top == tag:
                return
            if top not in OPTIONAL_END:
                self.problems.append(f"</{tag}> at {self._where()} closes <{top}>, which is still open")

    def handle_data(self, data: str) -> None:
        for collecting in self._collecting:
            collecting.append(data)
        if self._hidden:
            return
        if self._key_text is not None:
            self._key_text.append(data)
        found = NOT_RENDERED.search(data)
        if found is not None:
            words = " ".join(data.split())
            intended = words in INTENDED_NONE or (
                words == "None" and self._answer_depth is not None and self._row_key in NONE_ANSWER_ROWS
            )
            if not intended:
                self.rendered_none += [
                    (self._length + each.start(), each.group(0)) for each in NOT_RENDERED.finditer(data)
                ]
        self.text.append(data)
        self._length += len(data) + 1  # the text is joined with spaces

    def finish(self) -> None:
        self.close()
        unclosed = [tag for tag in self.open if tag not in OPTIONAL_END]
        if unclosed:
            self.problems.append("never closed: " + ", ".join(f"<{tag}>" for tag in unclosed))


def _words(texts: list[str] | None) -> str:
    return " ".join("".join(texts or []).split())


def title_problem(parser: _PageParser) -> str | None:
    """What is wrong with a page's <title> under the one rule (see the module's docstring), or None."""
    if len(parser.h1) != 1:
        return f"the page has {len(parser.h1)} <h1> elements, not one"
    title, h1 = _words(parser.title), _words(parser.h1[0])
    service = _words(parser.service_name) or SERVICE_NAME
    expected = (
        f"{'Error: ' if parser.error_summary else ''}{h1}{'' if h1 == service else ' – ' + service} – GOV.UK"
    )
    found = TITLE.fullmatch(title)
    if (
        found is None
        or found["heading"] != h1
        or bool(found["error"]) != parser.error_summary
        or (found["service"] or h1) != service
        or (found["service"] is not None and h1 == service)
    ):
        return f"the title is {title!r}, not {expected!r} (the h1, the service name, GOV.UK)"
    return None


def title_exempt(path: str) -> bool:
    """The page at `path` is one of TITLE_NOT_YET."""
    return any(re.fullmatch(pattern, path) for pattern in TITLE_NOT_YET)


def parse_page(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    parser.finish()
    return parser


def page_problems(html: str, content_security_policy: str, path: str = "") -> list[str]:
    """What is wrong with an HTML page (empty if nothing); `path` is where it was fetched from."""
    parser = parse_page(html)
    problems = [f"the HTML does not parse: {problem}" for problem in parser.problems]
    if parser.govuk_template and not title_exempt(path):
        wrong_title = title_problem(parser)
        if wrong_title is not None:
            problems.append(wrong_title)
    repeated = sorted(element_id for element_id, times in parser.ids.items() if times > 1)
    if repeated:
        problems.append("ids used more than once: " + ", ".join(repr(element_id) for element_id in repeated))
    if parser.scripts:
        nonce = NONCE_IN_CSP.search(content_security_policy)
        if nonce is None:
            problems.append("the page has <script> elements but the Content-Security-Policy has no nonce")
        else:
            wrong = [found for found in parser.scripts if found != nonce.group(1)]
            if wrong:
                problems.append(
                    f"{len(wrong)} <script> element(s) without the Content-Security-Policy nonce "
                    f"(nonce attributes: {wrong!r})"
                )
    text = " ".join(parser.text)
    for at, word in parser.rendered_none:
        before = " ".join(text[:at].split())[-60:]
        after = " ".join(text[at + len(word) :].split())[:40]
        problems.append(f"the visible text says {word!r}: ...{before} [{word}] {after}...")
    return problems


# Pages already found good, without what changes on every request (the CSP nonce, CSRF tokens): the
# sign-in pages and many others come back the same hundreds of times in a run, and are read once.
_good_pages: set[bytes] = set()


def _fingerprint(html: str, content_security_policy: str) -> bytes:
    nonce = NONCE_IN_CSP.search(content_security_policy)
    if nonce is not None:
        html = html.replace(nonce.group(1), "\0")
    return hashlib.blake2b(CSRF_TOKEN_VALUE.sub(r'\1"', html).encode()).digest()


def check_page(response: TestResponse) -> None:
    """Raise AssertionError if `response` is an HTML page that fails the checks above."""
    if response.mimetype != "text/html" or getattr(response, "_page_checked", False):
        return
    response._page_checked = True  # type: ignore[attr-defined]
    html = response.get_data(as_text=True)
    content_security_policy = response.headers.get("Content-Security-Policy", "")
    fingerprint = _fingerprint(html, content_security_policy)
    if fingerprint in _good_pages:
        return
    request = response.request
    problems = page_problems(html, content_security_policy, request.path if request is not None else "")
    if not problems:
        _good_pages.add(fingerprint)
    else:
        url = request.url if request is not None else "(unknown URL)"
        method = request.method if request is not None else "?"
        raise AssertionError(
            f"{method} {url} ({response.status}) returned a page that fails the page checks:\n- "
            + "\n- ".join(problems)
        )


class CheckingClient(FlaskClient):
    """FlaskClient that checks every HTML page it returns (see the module's docstring)."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = super().open(*args, **kwargs)
        check_page(response)
        for earlier in response.history:
            check_page(earlier)
        return response
