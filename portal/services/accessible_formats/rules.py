"""Which accessible-format tasks telling a victim about an update needs: a pure rule, no database.

- A letter to a victim who needs large print, braille or easy read: a task for each (Notify prints
  standard letters only). The standard letter still goes: it is discreet, and someone the victim trusts
  may read it to them; the task is how they get it in a form they can read themselves.
- A victim who needs British Sign Language, or an interpreter (in any language but English or Welsh,
  which the service writes in itself): a task to explain the update that way, whatever the channel.
- Nothing when the victim is told nothing (they opted out, or have no safe channel).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portal.models.accessible_formats import BSL, INTERPRETER, LETTER_FORMATS

LETTER = "letter"
#: Languages the service writes in itself: an interpreter for these adds no task.
SERVICE_LANGUAGES = frozenset({"english", "welsh", "cymraeg"})


@dataclass(frozen=True)
class Needed:
    kind: str
    language: str | None = None


def tasks_needed(
    channels: Iterable[str],
    accessibility: Iterable[str],
    *,
    interpreter_needed: bool,
    interpreter_language: str | None,
) -> list[Needed]:
    """The tasks for one victim and update, given the channels they are told on (none: no tasks)."""
    told_on = set(channels)
    if not told_on:
        return []
    needs = set(accessibility)
    needed = [Needed(kind) for kind in LETTER_FORMATS if kind in needs and LETTER in told_on]
    if BSL in needs:
        needed.append(Needed(BSL))
    language = (interpreter_language or "").strip()
    if interpreter_needed and language and language.lower() not in SERVICE_LANGUAGES:
        needed.append(Needed(INTERPRETER, language))
    return needed
