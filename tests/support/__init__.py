"""What the tests share: builders for the records they need, page and sign-in helpers, the outbox, the
Notify conformance checker, the agency API client and the page-checking test client.

This package holds no tests: pytest never collects it (see `collect_ignore` in tests/conftest.py).
"""
