"""gunicorn settings for the portal, read by every way it is served: Procfile, Procfile.local (`make run`)
and `make bench` (which serves its baseline app with these same settings).

Sync workers, two per core by default (`WEB_CONCURRENCY` overrides): while one process waits on a
PostgreSQL round trip another uses the core. Measured with `make bench` on 2 cores: 4 sync workers served
the timeline and the agency API faster, and with a shorter tail, than 2 processes of 4 threads (the
threads contend for the GIL) or 6 sync workers (more switching).
"""

import os

from gunicorn.glogging import Logger

workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
worker_class = "sync"
control_socket_disable = True

# The access log (when asked for, as the Procfile does) gives the method, the path without its query
# string, the status, the size, the time taken and the request id: no client address, user agent or
# referrer. Every line is written by portal/logs.py's handler (JSON unless LOG_FORMAT=text).
access_log_format = "%(m)s %(U)s %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s"


class PortalLogger(Logger):
    """gunicorn's logger, its lines (from its first, "Starting gunicorn") in the portal's format."""

    def setup(self, cfg: object) -> None:
        super().setup(cfg)
        from portal import logs

        logs.adopt_gunicorn_loggers()


logger_class = PortalLogger


def post_worker_init(worker: object) -> None:
    """Once a web process has loaded the portal: the garbage collector set for a long-lived process
    (portal/web/garbage_collection.py: full collections no longer walk the whole app)."""
    from portal.web import garbage_collection

    garbage_collection.settle_after_start()
