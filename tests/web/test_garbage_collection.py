"""Each web process tunes Python's garbage collector once it has loaded the portal (gunicorn.conf.py's
post_worker_init): what the app holds is frozen out of full collections, and the youngest generation is
collected less often. Without it a full collection walked the whole app, about 120 ms a time, in the
middle of whichever request set it off."""

from __future__ import annotations

import gc
import runpy
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.web import garbage_collection

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def collector_restored() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_a_web_process_freezes_what_it_loaded_and_collects_the_young_less_often(
    collector_restored: None,
) -> None:
    gc.unfreeze()
    _, middle, oldest = gc.get_threshold()
    hooks = runpy.run_path(str(GUNICORN_CONF))
    hooks["post_worker_init"](object())
    assert gc.get_freeze_count() > 10_000  # the portal's modules, templates and the rest are frozen
    assert gc.get_threshold() == (garbage_collection.YOUNG_THRESHOLD, middle, oldest)


class _Node:
    """An object that can be in a reference cycle and be watched through a weak reference."""

    link: object = None


def test_objects_made_after_starting_are_still_collected(collector_restored: None) -> None:
    garbage_collection.settle_after_start()
    frozen = gc.get_freeze_count()
    node = _Node()
    node.link = node  # a reference cycle made by a request: only the collector can free it
    alive = weakref.ref(node)
    del node
    assert gc.collect() >= 1
    assert alive() is None
    # The collector never moves what it finds into the frozen generation. (Not "==": a frozen object whose
    # last reference goes, in another thread say, is freed by its reference count, and the count falls.)
    assert gc.get_freeze_count() <= frozen
