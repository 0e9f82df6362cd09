"""Validating requests with the schemas in schemas.py, with messages that name the field and never echo
its value: `updates[2].details.hearing_at: is not a valid date-time`."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from portal.api.schemas import (
    FORMATS,
    MAX_BATCH,
    MULTI_LINE,
    SINGLE_LINE,
    components,
    event_codes,
    variant_name,
)
from portal.services import vocabulary

_CONTROL_CHARACTERS = {
    SINGLE_LINE: "must not contain control characters (such as a tab, a line break or an escape)",
    MULTI_LINE: "must not contain control characters other than line breaks and tabs",
}


def _ecma_pattern(pattern: str) -> str:
    """A JSON Schema pattern (ECMA-262) for Python's re: "$" at the end matches only the end of the text,
    never before a final line break as Python's does."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not re.search(_ecma_pattern(pattern), instance):
        yield ValidationError("does not match the pattern")


# Draft 2020-12 with patterns read as ECMA-262 reads them (see _ecma_pattern).
_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


class RequestInvalid(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


_VALIDATORS: dict[str, Any] = {}


@functools.cache
def _components() -> dict[str, Any]:
    """Every schema, built once per process (building them copies each event type's details schema: about
    50 ms, which each new validator would otherwise pay). Validators only read it."""
    return components()


def _validator(name: str) -> Any:
    if name not in _VALIDATORS:
        schemas = _components()
        schema = {**schemas[name], "components": {"schemas": schemas}}
        _VALIDATORS[name] = _Validator(schema, format_checker=FORMATS)
    return _VALIDATORS[name]


_FAST_VALIDATORS: dict[str, Any] = {}


def _format_check(name: str) -> Any:
    return lambda value: FORMATS.conforms(value, name)


def _fast_validator(name: str) -> Any:
    """The same schema compiled by jsonschema-rs (Rust), with our own format checks: it says whether an
    update is valid about 15 times sooner than jsonschema (9 against 155 microseconds here), and most are.
    Only an update it refuses goes through jsonschema, whose errors name each problem for the message. So
    it must never accept what jsonschema would refuse: tests/agency_api/test_validators_agree.py checks the
    two agree over every event type, the values just inside and outside each format and pattern, and
    generated changes to every field."""
    if name not in _FAST_VALIDATORS:
        _FAST_VALIDATORS[name] = jsonschema_rs.Draft202012Validator(
            _with_referenced(name),
            formats={format_name: _format_check(format_name) for format_name in FORMATS.checkers},
            validate_formats=True,
        )
    return _FAST_VALIDATORS[name]


def _with_referenced(name: str) -> dict[str, Any]:
    """The schema `name` with only the components it refers to, directly or not: the compiled validator
    builds every schema it is given (all of them would cost about 1.2 MiB per event type, per process)."""
    schemas = _components()
    needed: set[str] = set()
    waiting = [schemas[name]]
    while waiting:
        for ref in re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(waiting.pop())):
            if ref not in needed:
                needed.add(ref)
                waiting.append(schemas[ref])
    return {**schemas[name], "components": {"schemas": {ref: schemas[ref] for ref in sorted(needed)}}}


def _where(prefix: str, path: list[Any]) -> str:
    out = prefix
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: ValidationError, prefix: str) -> str:
    where = _where(prefix, list(error.absolute_path))
    kind = error.validator
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        unknown = sorted(k for k in error.instance if k not in known)
        names = ", ".join(_where(where, [k]) for k in unknown)
        return f"{names}: is not a field this accepts (unknown fields are refused)"
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else ""
        return f"{_where(where, [missing]) if missing else where or 'body'}: is required"
    if kind == "format":
        return f"{where}: is not a valid {error.validator_value}"
    if kind == "pattern" and error.validator_value in _CONTROL_CHARACTERS:
        return f"{where}: {_CONTROL_CHARACTERS[error.validator_value]}"
    if kind in {"enum", "const"}:
        values = error.validator_value if kind == "enum" else [error.validator_value]
        shown = ", ".join(str(v) for v in values[:40])
        return f"{where or 'body'}: must be one of: {shown}"
    if kind == "type":
        return f"{where or 'body'}: must be of type {error.validator_value}"
    if kind in {
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "pattern",
        "uniqueItems",
        "minimum",
        "maximum",
    }:
        words = {
            "minLength": f"must be at least {error.validator_value} characters",
            "maxLength": f"must be {error.validator_value} characters or fewer",
            "minItems": f"must have at least {error.validator_value} items",
            "maxItems": f"must have {error.validator_value} items or fewer",
            "pattern": "is not in the right form",
            "uniqueItems": "must not repeat an item",
            "minimum": f"must be at least {error.validator_value}",
            "maximum": f"must be at most {error.validator_value}",
        }
        return f"{where}: {words[kind]}"
    return f"{where or 'body'}: is not valid ({kind})"


def validate(name: str, instance: Any, prefix: str = "") -> None:
    """Raise RequestInvalid listing every problem, each naming its field (never echoing values)."""
    errors = sorted(_validator(name).iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise RequestInvalid(_dedupe([_message(error, prefix) for error in errors]))


def _dedupe(messages: list[str]) -> list[str]:
    return list(dict.fromkeys(messages))


def validate_update(item: Any, prefix: str, agency: str) -> None:
    """One update: check its type first, then the shape for that type (so messages are precise), and
    whether this agency may send that type at all."""
    if not isinstance(item, dict):
        raise RequestInvalid([f"{prefix or 'body'}: must be of type object"])
    code = item.get("type")
    if code is None:
        raise RequestInvalid([f"{_where(prefix, ['type'])}: is required"])
    if not isinstance(code, str) or code not in vocabulary.EVENT_TYPES:
        raise RequestInvalid(
            [f"{_where(prefix, ['type'])}: must be one of the event types: {', '.join(event_codes())}"]
        )
    problems = []
    allowed = [str(a) for a in vocabulary.get_event_type(code).agencies]
    if agency not in allowed:
        problems.append(
            f"{_where(prefix, ['type'])}: {agency} cannot send {code} (it is sent by: {', '.join(allowed)})"
        )
    name = variant_name(code)
    if not _fast_validator(name).is_valid(item):  # only then the slower validator that names each problem
        try:
            validate(name, item, prefix)
        except RequestInvalid as error:
            problems = error.messages + problems
    if problems:
        raise RequestInvalid(problems)


def validate_updates_body(body: Any, agency: str) -> tuple[list[dict[str, Any]], bool]:
    """The updates to store and whether they came as a batch. All-or-nothing: every item's problems."""
    if isinstance(body, dict) and "updates" in body:
        if set(body) != {"updates"}:
            extra = sorted(set(body) - {"updates"})
            raise RequestInvalid(
                [f"{', '.join(extra)}: is not a field this accepts (unknown fields are refused)"]
            )
        items = body["updates"]
        if not isinstance(items, list):
            raise RequestInvalid(["updates: must be of type array"])
        if not 1 <= len(items) <= MAX_BATCH:
            raise RequestInvalid([f"updates: must have between 1 and {MAX_BATCH} items"])
        problems: list[str] = []
        for index, item in enumerate(items):
            try:
                validate_update(item, f"updates[{index}]", agency)
            except RequestInvalid as error:
                problems.extend(error.messages)
        if problems:
            raise RequestInvalid(problems)
        return items, True
    validate_update(body, "", agency)
    return [body], False


def feed_query(schema: str, names: tuple[str, ...], args: Any) -> tuple[dict[str, Any], datetime | None]:
    """A polling feed's query string (`args`: request.args), each of `names` at most once, `limit` read as a
    whole number, validated with `schema`; and `since` as a datetime (None when not given)."""
    query: dict[str, Any] = {}
    for name in args:
        values = args.getlist(name)
        if name in names and len(values) > 1:
            raise RequestInvalid([f"{name}: give it once"])
        query[name] = values[0]
    if "limit" in query:
        text = query["limit"]
        query["limit"] = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else text
    validate(schema, query)
    return query, (datetime.fromisoformat(query["since"]) if "since" in query else None)
