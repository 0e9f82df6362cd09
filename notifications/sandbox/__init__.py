"""A local GOV.UK Notify stand-in: the default when no Notify key is set, and the fake the tests use.

`create_sandbox_app(api_key, callback_url=..., callback_token=..., templates=..., international_sms=...,
international_letters=...)` builds the WSGI app; `python -m notifications.sandbox --port 6011 --api-key KEY
--callback-url URL --callback-token TOKEN` runs it. It checks JWTs as Notify does, refuses what Notify
refuses and accepts what it accepts (the service's templates, personalisation, recipients under the
service's permissions, content length, Notify's rate limit), answers in Notify's words and shapes,
simulates Notify's test recipients, POSTs delivery receipts (retried as Notify retries them), shows what
was sent, and can be told to misbehave (see `app.py`).
"""

from notifications.sandbox.app import create_sandbox_app
from notifications.sandbox.state import SandboxNotification, SandboxState

__all__ = ["SandboxNotification", "SandboxState", "create_sandbox_app"]
