"""How long the portal keeps each kind of record, and the work that removes what has expired: the
retention schedule (schedule.py), the periodic job (job.py), a victim's information given back to them
(export.py) and erased on request (erasure.py), both of which use the same anonymising (anonymise.py)."""
