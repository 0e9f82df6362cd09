"""Queries with select(). Functions here may flush but never commit.

One module per model or aggregate, named after what it holds. Who may see what is decided in
services/common/access.py; these only fetch and write rows. One naming style:

- `get_x(session, id)`: one row by its key, or None; `get_x_by_y(session, y)`: one by another key.
- `xs_for_y(session, y)`: a list, in a stated order; `list_xs(session)`: every row of a kind.
- `xs_by_y(session, ys)`: many at once, as a dict keyed by y (a few statements however many ys).
- `add_x(session, x)`: add (and flush); `count_xs_...`, `is_...`; other writes are verbs
  (`lock_case`, `delete_expired_jtis`, `use_all_sign_in_codes`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Ids per IN list, well under SQLite's limit on bound parameters.
CHUNK = 500


def chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """`items` in slices of CHUNK, for IN lists."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
