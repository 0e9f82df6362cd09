"""Pages of a long timeline: which page links to show and which `page` values exist (no database)."""

from __future__ import annotations

import pytest

from portal.services.common import pagination
from portal.services.common.errors import NotFound
from portal.services.common.pagination import Page


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (2, 3, [1, 2, 3]),
        (1, 8, [1, 2, None, 8]),
        (3, 8, [1, 2, 3, 4, None, 8]),  # a single skipped page is shown, not an ellipsis
        (5, 8, [1, None, 4, 5, 6, 7, 8]),
        (4, 9, [1, 2, 3, 4, 5, None, 9]),
        (6, 12, [1, None, 5, 6, 7, None, 12]),
        (12, 12, [1, None, 11, 12]),
    ],
)
def test_page_links_are_the_first_last_current_and_its_neighbours(
    number: int, count: int, shown: list[int | None]
) -> None:
    assert Page(number=number, size=20, total=count * 20).numbers == shown


def test_positions_on_a_page() -> None:
    page = Page(number=2, size=20, total=150)
    assert (page.count, page.offset, page.first, page.last) == (8, 20, 21, 40)
    last = Page(number=8, size=20, total=150)
    assert (last.first, last.last) == (141, 150)
    empty = Page(number=1, size=20, total=0)
    assert (empty.count, empty.first, empty.last, empty.numbers) == (1, 0, 0, [1])


@pytest.mark.parametrize(("value", "number"), [(None, None), ("1", 1), ("02", 2), ("150", 150)])
def test_page_numbers_that_exist(value: str | None, number: int | None) -> None:
    assert pagination.page_number(value) == number


@pytest.mark.parametrize("value", ["", "0", "-1", "1.5", "two", " 1", "1 ", "+1", "١", "1e3", "9999999999"])
def test_anything_but_a_whole_number_from_1_is_not_found(value: str) -> None:
    with pytest.raises(NotFound):
        pagination.page_number(value)


def test_a_page_past_the_last_is_not_found_but_page_1_of_nothing_is_fine() -> None:
    assert pagination.page_of(None, 20, 0).number == 1
    assert pagination.page_of(8, 20, 150).first == 141
    with pytest.raises(NotFound):
        pagination.page_of(9, 20, 150)
    with pytest.raises(NotFound):
        pagination.page_of(2, 20, 0)
