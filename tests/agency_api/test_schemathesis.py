"""Schemathesis against the OpenAPI document, over real HTTP with fresh JWTs: data that fits the schemas
and data that does not, for every operation. No 5xx, every status documented, every response body and
header as the document says, and data that breaks the schemas refused."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.services.agency_api import clients as api_clients
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID

# Bounded, to keep the suite quick: about 25 positive and 15 negative cases per operation.
POSITIVE_EXAMPLES = 25
NEGATIVE_EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
KEYS = [demo.key for demo in api_clients.DEMO_CLIENTS]


def _fresh_token(key: str) -> str:
    claims = {"iss": key[-73:-37], "iat": int(time.time()), "jti": str(uuid.uuid4())}
    return jwt.encode(claims, key[-36:], algorithm="HS256")


OPERATIONS = [
    ("/api/v1/cases/{urn}", "PUT"),
    ("/api/v1/cases/{urn}/victims", "POST"),
    ("/api/v1/cases/{urn}/updates", "POST"),
    ("/api/v1/cases/{urn}/victims/{victim_id}/preferences", "GET"),
    ("/api/v1/cases/{urn}/communications", "GET"),
]


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_schemathesis_finds_no_server_error_and_no_broken_response(
    api_site: str, path: str, method: str
) -> None:
    schema = schemathesis.openapi.from_url(f"{api_site}/api/v1/openapi.json")
    operation = schema[path][method]
    # Half the cases aim at the demo case (so they reach the handlers); the rest at generated URNs.
    demo_params = {"urn": DEMO_CASE_URN, **({"victim_id": DEMO_VICTIM_ID} if "victim_id" in path else {})}
    strategies = {
        GenerationMode.POSITIVE: st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.POSITIVE, path_parameters=demo_params),
        ),
        GenerationMode.NEGATIVE: operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=demo_params),
    }
    http = requests.Session()
    _fuzz(api_site, http, strategies[GenerationMode.POSITIVE], POSITIVE_EXAMPLES, CHECKS)
    _fuzz(
        api_site,
        http,
        strategies[GenerationMode.NEGATIVE],
        NEGATIVE_EXAMPLES,
        [*CHECKS, negative_data_rejection],
    )


def _fuzz(
    api_site: str, http: requests.Session, strategy: st.SearchStrategy, examples: int, checks: list
) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, key=st.sampled_from(KEYS))
    def run(case: schemathesis.Case, key: str) -> None:
        case.call_and_validate(
            base_url=api_site,
            session=http,
            headers={"Authorization": f"Bearer {_fresh_token(key)}"},
            checks=checks,
        )

    run()
