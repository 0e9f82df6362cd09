"""Pages of a long list, as the GOV.UK Design System pagination component shows them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.services.common.errors import NotFound

_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def page_number(value: str | None) -> int | None:
    """The `page` query parameter: None when absent, else a page number from 1. Anything that is not a
    whole number of at least 1 is a page that does not exist (NotFound)."""
    if value is None:
        return None
    if not _WHOLE_NUMBER.fullmatch(value) or int(value) < 1:
        raise NotFound
    return int(value)


@dataclass(frozen=True)
class Page:
    """Page `number` (from 1) of `total` items shown `size` to a page."""

    number: int
    size: int
    total: int

    @property
    def count(self) -> int:
        """How many pages there are: at least one, even when there is nothing to show."""
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def first(self) -> int:
        """The position (from 1) of the first item on this page; 0 when there is none."""
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.size, self.total)

    @property
    def numbers(self) -> list[int | None]:
        """The page links to show, None where an ellipsis stands for skipped pages: the first and last
        pages, the current one and those either side of it (the Design System's guidance)."""
        wanted = sorted({n for n in (1, self.number - 1, self.number, self.number + 1, self.count) if n >= 1})
        shown: list[int | None] = []
        previous = 0
        for n in (n for n in wanted if n <= self.count):
            if n - previous == 2:  # a single skipped page: show it rather than an ellipsis
                shown.append(previous + 1)
            elif n - previous > 2:
                shown.append(None)
            shown.append(n)
            previous = n
        return shown


def page_of(number: int | None, size: int, total: int) -> Page:
    """Page `number` (1 when None) of `total` items; NotFound when it is past the last page."""
    page = Page(number=number or 1, size=size, total=total)
    if page.number > page.count:
        raise NotFound
    return page
