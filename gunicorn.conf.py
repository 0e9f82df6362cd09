"""gunicorn settings for the portal, read by every way it is served: Procfile, Procfile.local (`make run`)
and `make bench` (which serves its baseline app with these same settings).

Threaded workers: a request spends much of its time waiting on PostgreSQL round trips, and a sync worker
would leave its core idle meanwhile. Each thread has its own request context and database session.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# Keep-alive for clients that reuse connections (agency systems, load balancers).
keepalive = 5
control_socket_disable = True
