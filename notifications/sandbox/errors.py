"""Error answers in Notify's v2 shape: `{"status_code": 400, "errors": [{"error": ..., "message": ...}]}`.

`error` is the name of the exception class Notify raised (its v2 error handlers use
`error.__class__.__name__`, app/v2/errors.py and app/errors.py `InvalidRequest.to_dict_v2`):

- `ValidationError`: the request failed Notify's JSON schema (one entry per problem, duplicates dropped,
  app/schema_validation/__init__.py `build_error_message`), or the postal address was refused
  (app/notifications/validators.py `validate_address` raises app.v2.errors.ValidationError);
- `BadRequestError`: everything else refused with a 400 after the schema (template, personalisation,
  content, sender ids, international numbers);
- `InvalidPhoneError`: a phone number the service's permissions refuse (a UK landline);
- `RateLimitError` / `TooManyRequestsError` (429), `AuthError` (401/403), `NoResultFound` (404).
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answer in Notify's shape: `{"status_code": ..., "errors": [{"error": ..., "message": ...}]}`."""

    def __init__(self, status_code: int, error: str, messages: list[str] | str) -> None:
        self.status_code = status_code
        self.error = error
        self.messages = [messages] if isinstance(messages, str) else messages
        super().__init__(f"{status_code} {error}: {'; '.join(self.messages)}")

    def body(self) -> dict[str, Any]:
        return {
            "status_code": self.status_code,
            "errors": [{"error": self.error, "message": message} for message in self.messages],
        }


def bad_request(message: str) -> ApiError:
    """app.v2.errors.BadRequestError(message=...): 400."""
    return ApiError(400, "BadRequestError", message)


def validation_error(message: str) -> ApiError:
    """app.v2.errors.ValidationError(message=...): 400 (the postal address checks raise this one)."""
    return ApiError(400, "ValidationError", message)


def rate_limit_error(limit: int) -> ApiError:
    """app.v2.errors.RateLimitError: 'normal' keys are spoken of as LIVE; the interval is 60 seconds."""
    return ApiError(
        429, "RateLimitError", f"Exceeded rate limit for key type LIVE of {limit} requests per 60 seconds"
    )
