"""The OpenAPI document is valid OpenAPI 3.1, every example in it works as it stands against the demo
data, and the reference page (made from it) shows how to sign a request, with code that runs."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from typing import Any

import requests
from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from tests.support.agency_client import AgencyClient

AGENCIES = ("police", "cps", "witness_care", "probation")
# Update examples are named after the agency that sends them; the others are sent by these.
AGENCY_FOR_EXAMPLE = {"batch": "witness_care", "correction": "witness_care"}


def _document(api_site: str) -> dict[str, Any]:
    response = requests.get(f"{api_site}/api/v1/openapi.json", timeout=10)
    assert response.status_code == 200
    return response.json()


def test_the_document_is_valid_openapi_3_1(api_site: str) -> None:
    document = _document(api_site)
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)
    assert set(document["paths"]) == {
        "/api/v1/cases/{urn}",
        "/api/v1/cases/{urn}/victims",
        "/api/v1/cases/{urn}/updates",
        "/api/v1/cases/{urn}/victims/{victim_id}/preferences",
        "/api/v1/cases/{urn}/communications",
        "/api/v1/cases/{urn}/contacts",
        "/api/v1/requests",
        "/api/v1/requests/{id}/status",
        "/api/v1/requests/{id}/document",
        "/api/v1/court-needs/changes",
        "/api/v1/messages",
        "/api/v1/messages/{id}/replies",
        "/api/v1/messages/{id}/attachments/{attachment_id}",
    }
    # Every event type of the vocabulary is a documented update shape, with its typed details.
    variants = [name for name in document["components"]["schemas"] if name.startswith("Update_")]
    assert len(variants) == 49
    hearing = document["components"]["schemas"]["Update_hearing_scheduled"]["properties"]["details"]
    assert hearing["required"] == ["hearing_at", "court_name"] and hearing["additionalProperties"] is False


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": document["components"]})


def test_every_example_works_against_the_demo_data(
    api_site: str, agency: Callable[[str], AgencyClient]
) -> None:
    document = _document(api_site)
    sent = 0
    for path, item in document["paths"].items():
        params = {p["name"]: p["example"] for p in item.get("parameters", [])}
        url = path.format(**params)
        for method in ("put", "post", "get"):
            operation = item.get(method)
            if operation is None or not _answers_json(operation):
                continue  # a download (a statement's document): tests/requests/test_api_document.py
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            examples = body.get("examples") or {"none": {"value": None}}
            for name, example in examples.items():
                client = agency(name if name in AGENCIES else AGENCY_FOR_EXAMPLE.get(name, "police"))
                kwargs = {"json": example["value"]} if example["value"] is not None else {}
                response = client.request(method.upper(), url, **kwargs)
                assert response.status_code in (200, 201), (method, path, name, response.text)
                schema = operation["responses"][str(response.status_code)]["content"]["application/json"][
                    "schema"
                ]
                errors = list(_resolve(document, schema).iter_errors(response.json()))
                assert not errors, (path, name, errors[0].message)
                sent += 1
    # With the requests (the list, then the demo review acknowledged and answered), the court needs changes,
    # and the secure messages (the list, then the reply to the demo message).
    assert sent == 21


def _answers_json(operation: dict[str, Any]) -> bool:
    """False for an operation whose success is a file, not JSON."""
    successes = [r for status, r in operation["responses"].items() if status.startswith("2")]
    return all("application/json" in r.get("content", {"application/json": {}}) for r in successes)


def test_response_examples_match_their_schemas(api_site: str) -> None:
    document = _document(api_site)
    checked = 0
    for item in document["paths"].values():
        for method in ("put", "post", "get"):
            for response in item.get(method, {}).get("responses", {}).values():
                if "$ref" in response:
                    name = response["$ref"].rsplit("/", 1)[-1]
                    response = document["components"]["responses"][name]
                if "application/json" not in response["content"]:
                    continue  # a file: no JSON example
                content = response["content"]["application/json"]
                values = [e["value"] for e in content.get("examples", {}).values()]
                values += [content["example"]] if "example" in content else []
                for value in values:
                    assert not list(_resolve(document, content["schema"]).iter_errors(value))
                    checked += 1
    assert checked > 20


def test_the_reference_page_explains_keys_tokens_and_every_endpoint(api_site: str) -> None:
    page = requests.get(f"{api_site}/api/v1/docs", timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.text
    for words in (
        "Get an API key",
        "flask --app portal api-clients create",
        "Authorization: Bearer &lt;JWT&gt;",
        "HS256",
        "within 30 seconds",
        "/api/v1/cases/{urn}/victims/{victim_id}/preferences",
        "hearing-scheduled",
        "updates[2].details.hearing_at: is not a valid date-time",
        "Retry-After",
    ):
        assert words in html, words


def test_the_python_example_on_the_reference_page_runs(api_site: str) -> None:
    html = requests.get(f"{api_site}/api/v1/docs", timeout=10).text
    blocks = re.findall(r'<pre class="app-code"><code>(.*?)</code></pre>', html, re.S)
    code = next(b for b in blocks if b.startswith("import time"))
    import html as html_module

    source = html_module.unescape(code)
    assert 'BASE_URL = "http://127.0.0.1:5000"' in source
    source = source.replace('BASE_URL = "http://127.0.0.1:5000"', f'BASE_URL = "{api_site}"')
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, "reference-example.py", "exec"), {})
    assert printed.getvalue().startswith("201 {")


def test_every_event_type_is_in_the_catalogue_and_its_example_is_accepted(
    api_site: str, agency: Callable[[str], AgencyClient]
) -> None:
    """Each event type's documented example details, sent as its first agency would, is stored (201), and
    the reference page's catalogue lists the type, saying whether it is urgent."""
    from portal.services import vocabulary
    from portal.services.demo_data import DEMO_CASE_URN

    html = requests.get(f"{api_site}/api/v1/docs", timeout=10).text
    for index, (code, event) in enumerate(sorted(vocabulary.EVENT_TYPES.items())):
        assert f'id="type-{code}"' in html, code
        body = {
            "event_id": f"catalogue-{index}",
            "type": code,
            "occurred_at": "2026-11-20T10:00:00Z",
            "received_at": "2026-11-20T11:00:00Z",
            "details": event.details_schema["examples"][0],
        }
        response = agency(str(event.agencies[0])).send_updates(DEMO_CASE_URN, body)
        assert response.status_code == 201, (code, response.text)
    assert "Yes: sent at once to every safe channel the victim has" in html
