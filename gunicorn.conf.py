"""gunicorn settings for the portal, read by every way it is served: Procfile, Procfile.local (`make run`)
and `make bench` (which serves its baseline app with these same settings).

Sync workers, two per core by default (`WEB_CONCURRENCY` overrides): while one process waits on a
PostgreSQL round trip another uses the core. Measured with `make bench` on 2 cores: 4 sync workers served
the timeline and the agency API faster, and with a shorter tail, than 2 processes of 4 threads (the
threads contend for the GIL) or 6 sync workers (more switching).
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
worker_class = "sync"
control_socket_disable = True
