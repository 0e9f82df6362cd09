"""An update is checked first by the compiled validator (jsonschema-rs) and, only if it refuses it, by
jsonschema, whose errors name each problem. That is safe only if the two agree: the compiled one must never
accept what jsonschema refuses (an update outside the schema would be stored), and should not refuse what
jsonschema accepts. Checked over every event type and what an agency can send: the example of each type
changed one field at a time, with values of every JSON type, strings with control characters, line and
paragraph separators, digits of other scripts, a line break at the end (where patterns' "$" differ between
regex engines), dates and times just outside their formats, and fields removed or unknown."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.api import validation
from portal.api.schemas import variant_name
from portal.services import vocabulary

CODES = sorted(vocabulary.EVENT_TYPES)

_TRICKY_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            *"aZ 09-+:()@.T",
            *["\n", "\r", "\t", "\x00", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", "\xa0", "\u2028", "\u2029"],
            *["\u0663", "\uff11", "\u00e9", "\U0001f600"],
        ]
    ),
    max_size=30,
)
NEAR_FORMATS = [
    "2026-11-26",
    "2026-02-30",
    "2026-11-26\n",
    "26/11/2026",
    "2026-11-26T14:30:00Z",
    "2026-11-26T14:30:00+01:00",
    "2026-11-26T14:30:00",
    "2026-11-26t14:30:00z",
    "2026-11-26T14:30:00.1234567Z",
    "2026-11-26T24:00:00Z",
    "2026-11-26T14:30:00Z\n",
    "14:30",
    "24:00",
    "9:30",
    "14:30\n",
    "3f6c2a9e-8b1d-4c55-9e0a-6d2f1b7c4e10",
    "3F6C2A9E-8B1D-4C55-9E0A-6D2F1B7C4E10",
    "3f6c2a9e8b1d4c559e0a6d2f1b7c4e10",
    "someone@example.org",
    "someone@example",
    "some one@example.org",
    "A123456",
    "A123456\n",
    "+44 1632 960201",
    "01632 960 201\n",
    "",
    " ",
]
_NEAR_FORMATS = st.sampled_from(NEAR_FORMATS)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    _TRICKY_TEXT,
    _NEAR_FORMATS,
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "type", "x"]), inner, max_size=2)
    ),
    max_leaves=6,
)


def _example(code: str) -> dict[str, Any]:
    event = vocabulary.get_event_type(code)
    return {
        "event_id": "POL01-2026-000311",
        "type": code,
        "occurred_at": "2026-11-26T14:30:00Z",
        "received_at": "2026-11-26T15:00:00Z",
        "details": dict(event.details_schema["examples"][0]),
        "message": "We have looked at the evidence.",
    }


@st.composite
def _changed(draw: st.DrawFn, code: str) -> dict[str, Any]:
    item = _example(code)
    target = item if draw(st.booleans()) else item["details"]
    # The type is checked before either validator runs (validate_update); every other field may change.
    keys = [*sorted(set(target) - {"type"}), "unknown_field", "message_cy", "victim_id", "supersedes"]
    key = draw(st.sampled_from(keys))
    action = draw(st.sampled_from(["replace", "remove", "append", "insert"]))
    current = target.get(key)
    if action == "remove":
        target.pop(key, None)
    elif action in {"append", "insert"} and isinstance(current, str):
        extra = draw(_TRICKY_TEXT.filter(bool))
        at = draw(st.integers(0, len(current))) if action == "insert" else len(current)
        target[key] = current[:at] + extra + current[at:]
    else:
        target[key] = draw(_VALUES)
    return item


def _agree(item: dict[str, Any]) -> None:
    name = variant_name(item["type"])
    slow_valid = not any(True for _ in validation._validator(name).iter_errors(item))
    assert validation._fast_validator(name).is_valid(item) == slow_valid, item


def test_every_event_types_example_is_valid_to_both() -> None:
    for code in CODES:
        item = _example(code)
        assert validation._fast_validator(variant_name(code)).is_valid(item), code
        _agree(item)


def test_every_field_of_every_type_with_each_value_near_a_format() -> None:
    """Each string field of each type's example given each value just inside or outside a format or
    pattern, and its own value with a line break, a NUL or a line separator added: all of them."""
    for code in CODES:
        for in_details in (False, True):
            for key, value in list((_example(code)["details"] if in_details else _example(code)).items()):
                if key == "type" or not isinstance(value, str):
                    continue
                for changed in [*NEAR_FORMATS, value + "\n", value + "\x00", "\u2028" + value, value + " "]:
                    item = _example(code)
                    (item["details"] if in_details else item)[key] = changed
                    _agree(item)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CODES).flatmap(_changed))
def test_the_two_validators_agree_on_what_an_agency_can_send(item: dict[str, Any]) -> None:
    _agree(item)


def test_a_refused_update_still_gets_messages_that_name_each_problem() -> None:
    item = _example("investigation-update")
    item["details"]["next_update_by"] = "2026-02-30"
    item["occurred_at"] = "yesterday"
    try:
        validation.validate_update(item, "updates[0]", "police")
    except validation.RequestInvalid as error:
        assert error.messages == [
            "updates[0].details.next_update_by: is not a valid date",
            "updates[0].occurred_at: is not a valid date-time",
        ]
    else:  # pragma: no cover - the assertion above is the test
        raise AssertionError("an invalid update was accepted")


def test_each_schema_is_compiled_with_every_component_it_refers_to_and_no_more() -> None:
    schemas = validation._components()
    for name in schemas:
        given = validation._with_referenced(name)
        jsonschema_rs.Draft202012Validator(given)  # a missing component would not resolve
        for ref in given["components"]["schemas"]:
            assert f'"#/components/schemas/{ref}"' in json.dumps(given)
    assert validation._with_referenced(variant_name("bail-decision"))["components"]["schemas"] == {}
