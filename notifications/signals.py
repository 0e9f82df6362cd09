"""Blinker signals through which delivery outcomes flow back to whoever composed the worker.

Both are sent with `sender` = the outbox message id, inside the transaction that changes the row, with
`session` = that transaction's session, so a listener's writes commit (or roll back) together with the
status change. A listener that raises aborts the change; the worker then retries the job later.

- `message_status_changed`: kwargs `session`, `message`, `old_status`, `new_status`. Sent on every change
  of `OutboundMessage.status` except the worker's internal claim (`-> "sending"`).
- `message_failed`: kwargs `session`, `message`, `reason`. Sent once when a message reaches a status it
  will not leave: `"failed"` (Notify rejected it, or we gave up) or `"permanent-failure"` (wrong number
  or address). `reason` is one of `REASON_*` below. The portal uses it to fall back to the victim's next
  safe channel and to alert the officer.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

message_status_changed = _signals.signal("notifications.message-status-changed")
message_failed = _signals.signal("notifications.message-failed")

REASON_REJECTED = "rejected"  # Notify answered 400/403: the request itself is wrong; never retried
REASON_PERMANENT_FAILURE = "permanent-failure"  # Notify's receipt: wrong phone number or email address
REASON_GAVE_UP = "gave-up"  # still failing (5xx, 429, timeouts, temporary failures) at give_up_at
REASON_INVALID = "invalid"  # Notify reported a status we cannot deliver from (e.g. validation-failed)
