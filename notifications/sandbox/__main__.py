"""`python -m notifications.sandbox`: serve the Notify sandbox until SIGTERM or Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from typing import Any

from werkzeug.serving import make_server

from notifications.sandbox.app import create_sandbox_app
from notifications.sandbox.defaults import (
    DEFAULT_EMAIL_TEMPLATE_ID,
    DEFAULT_LETTER_TEMPLATE_ID,
    DEFAULT_SMS_TEMPLATE_ID,
    generic_templates,
)

# The key the portal's defaults use with the sandbox. Not a secret: the sandbox sends nothing anywhere.
DEFAULT_API_KEY = "local_sandbox-5b2c1f0e-6a77-4d4e-9d1c-7f3e2a9b8c10-0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f"


def _parser() -> argparse.ArgumentParser:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m notifications.sandbox", description=__doc__)
    parser.add_argument("--host", default=env("SANDBOX_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("SANDBOX_PORT", "6011")))
    parser.add_argument("--api-key", default=env("NOTIFY_API_KEY") or DEFAULT_API_KEY)
    parser.add_argument("--callback-url", default=env("SANDBOX_CALLBACK_URL"))
    parser.add_argument("--callback-token", default=env("NOTIFY_CALLBACK_TOKEN"))
    parser.add_argument("--callback-delay", type=float, default=0.5, help="seconds before a receipt is sent")
    parser.add_argument("--callback-retries", type=int, default=5, help="retries of a failed receipt POST")
    parser.add_argument("--callback-retry-delay", type=float, default=5.0, help="seconds between retries")
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=3000,
        help="sends a minute (Notify's token bucket; lookups are free)",
    )
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of API requests that fail")
    parser.add_argument("--error-status", type=int, default=500, help="status of those failures")
    parser.add_argument("--rate-limit-rate", type=float, default=0.0, help="share of requests answered 429")
    parser.add_argument("--delay-ms", type=int, default=0, help="added to every API answer")
    # The service's templates (the portal's three generic ones) and permissions, from the same settings
    # the portal reads, so that the two agree.
    parser.add_argument(
        "--email-template-id", default=env("NOTIFY_EMAIL_TEMPLATE_ID") or DEFAULT_EMAIL_TEMPLATE_ID
    )
    parser.add_argument("--sms-template-id", default=env("NOTIFY_SMS_TEMPLATE_ID") or DEFAULT_SMS_TEMPLATE_ID)
    parser.add_argument(
        "--letter-template-id", default=env("NOTIFY_LETTER_TEMPLATE_ID") or DEFAULT_LETTER_TEMPLATE_ID
    )
    parser.add_argument(
        "--international-sms",
        action=argparse.BooleanOptionalAction,
        default=_flag(env("NOTIFY_INTERNATIONAL_SMS")),
        help="the service may text numbers outside the UK",
    )
    parser.add_argument(
        "--international-letters",
        action=argparse.BooleanOptionalAction,
        default=_flag(env("NOTIFY_INTERNATIONAL_LETTERS")),
        help="the service may post letters abroad",
    )
    return parser


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_sandbox_app(
        args.api_key,
        callback_url=args.callback_url,
        callback_token=args.callback_token,
        callback_delay=args.callback_delay,
        callback_retries=args.callback_retries,
        callback_retry_delay=args.callback_retry_delay,
        rate_limit_per_minute=args.rate_limit,
        templates=generic_templates(
            email=args.email_template_id, sms=args.sms_template_id, letter=args.letter_template_id
        ),
        international_sms=args.international_sms,
        international_letters=args.international_letters,
        faults={
            "error_rate": args.error_rate,
            "status": args.error_status,
            "rate_limit_rate": args.rate_limit_rate,
            "delay_ms": args.delay_ms,
        },
    )
    server = make_server(args.host, args.port, app, threaded=True)
    stopping = threading.Event()

    def _stop(_signum: int, _frame: Any) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"Notify sandbox on http://{args.host}:{server.server_port}/", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        app.extensions["notify_sandbox"].close()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
