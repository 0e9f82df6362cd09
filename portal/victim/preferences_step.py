"""What a question step is (preferences_steps.py lists them): the kinds of answer, the `Step` dataclass,
and the named rules steps refer to: when a step is asked, how a text answer is tidied (with the checks of
services/preferences/rules.py, so every way in gives the same answers), and how the few answers not kept
as they are (the ways to contact, the phone number) are read and written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.services.preferences import rules

Doc = dict[str, Any]
YES, NO = "yes", "no"
OFFICER_ONLY = "officer-only"
NONE = "none"  # "None of these": the step was answered with nothing else

# What a step asks for:
RADIOS = "radios"  # one of the choices, kept as it is
YES_NO = "yes-no"  # radios whose choices mean yes and no, kept as True or False
CHECKBOXES = "checkboxes"  # any of the choices, kept as a list
TEXT = "text"  # one line of text, kept as `clean` makes it
PAGE = "page"  # a page with several inputs or a security code (preferences_pages.py)

YES_OR_NO = {YES: _l("Yes"), NO: _l("No")}
#: Which way to try first, next, after that: one question for each place but the last, by place.
ORDER_TITLES = {
    0: _l("Which should we try first?"),
    1: _l("Which should we try next?"),
    2: _l("Which should we try after that?"),
}
ORDER_REQUIRED = {
    0: _l("Select which way we should try first"),
    1: _l("Select which way we should try next"),
    2: _l("Select which way we should try after that"),
}


def always(doc: Doc) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One question page."""

    name: str  # in the page's address
    kind: str
    title: Any  # the question: the page heading
    key: str = ""  # the document key that keeps the answer
    channel: str | None = None  # a channel's flag within doc[key] (safe, detailed)
    hint: Any = None
    choices: Mapping[str, Any] = field(default_factory=dict)  # value: label, in the order shown
    choice_hints: Mapping[str, Any] = field(default_factory=dict)  # value: a hint under its label
    exclusive: str | None = None  # the choice that cannot go with the others
    required: Any = None  # the error when nothing is chosen or entered
    answer_named: Any = None  # how an error names a text answer ("Your email address")
    exclusive_error: Any = None  # the error when the exclusive choice is chosen with others
    clean: Callable[[str, Doc], str] | None = None  # a text answer tidied; ValueError(message) if wrong
    autocomplete: str | None = None
    width: str = "govuk-!-width-two-thirds"
    applies: Callable[[Doc], bool] = always  # asked only when this says so
    read: Callable[[Doc], Any] | None = None  # the answer, when it is not doc[key] as it is
    write: Callable[[Doc, Any], None] | None = None
    asks_password: bool = False  # the password again first (contact details)
    confirmed_by: str | None = None  # a new value is confirmed with a security code on this step
    ask_again_on_change: tuple[str, ...] = ()  # steps asked again when the values at doc[key] change

    def load(self, doc: Doc, *, answered: bool) -> Any:
        """The answer as the page shows it, from the draft document.

        A question not answered yet shows no answer: what the document holds then is a default (no
        channel is safe, messages are discreet, every day is safe, every update), not something the
        victim chose, and a pre-selected answer to a safety question would be taken by pressing
        Continue. So no radio is selected and no checkbox ticked until the victim answers.
        """
        if self.read is not None:
            return self.read(doc)
        if not answered and self.kind in (YES_NO, RADIOS, CHECKBOXES):
            return [] if self.kind == CHECKBOXES else None
        value = doc[self.key].get(self.channel) if self.channel else doc.get(self.key)
        if self.kind == YES_NO:
            return None if value is None else (YES if value else NO)
        if self.exclusive == NONE:
            return list(value or []) or [NONE]
        return value

    def store(self, doc: Doc, value: Any) -> None:
        """Write a checked answer into the draft document."""
        if self.write is not None:
            self.write(doc, value)
        elif self.kind == YES_NO and self.channel:
            doc[self.key][self.channel] = value == YES
        elif self.kind == YES_NO:
            doc[self.key] = value == YES
        elif self.exclusive == NONE:
            doc[self.key] = [v for v in value if v != NONE]
        else:
            doc[self.key] = value


# --- When a step is asked ----------------------------------------------------------------------


def ways_left_after(position: int, doc: Doc) -> bool:
    """Whether there is still a choice to make for this place (0: first): two or more ways not placed
    before it (the last way needs no question)."""
    return len(doc["channels"]) > position + 1


def uses_email(doc: Doc) -> bool:
    return rules.EMAIL in doc["channels"]


def uses_phone_number(doc: Doc) -> bool:
    return rules.SMS in doc["channels"] or rules.PHONE in doc["channels"]


def uses_letters(doc: Doc) -> bool:
    return rules.LETTER in doc["channels"]


def email_to_confirm(doc: Doc) -> bool:
    return rules.EMAIL in doc["channels"] and bool(doc.get("email"))


def mobile_to_confirm(doc: Doc) -> bool:
    """Text messages need a confirmed number; an officer's call does not."""
    return rules.SMS in doc["channels"] and bool(doc.get("phone"))


def chosen_for_messages(channel: str, doc: Doc) -> bool:
    """Chosen, and not "only a phone call from an officer" (which is safe by the victim's choice)."""
    return channel in doc["channels"] and not doc["officer_phone_only"]


def chosen_and_safe(channel: str, doc: Doc) -> bool:
    return channel in doc["channels"] and bool(doc["safe"].get(channel))


def receives_messages(doc: Doc) -> bool:
    """A written way chosen and confirmed safe: when urgent news may come matters only then."""
    return rules.asks_urgent_any_time(doc)


def needs_interpreter(doc: Doc) -> bool:
    return bool(doc["interpreter_needed"])


def wants_an_advocate(doc: Doc) -> bool:
    return "advocate" in doc["accessibility"]


# --- Answers that are not kept as they are -----------------------------------------------------


def read_channels(doc: Doc) -> list[str]:
    return [OFFICER_ONLY] if doc["officer_phone_only"] else list(doc["channels"])


def write_channels(doc: Doc, value: list[str]) -> None:
    """The ways already chosen keep their order; new ones go last. An officer's call only is safe."""
    if OFFICER_ONLY in value:
        doc["channels"], doc["officer_phone_only"] = [rules.PHONE], True
        doc["safe"][rules.PHONE] = True
        return
    kept = [c for c in doc["channels"] if c in value]
    doc["channels"] = kept + [c for c in rules.CHANNELS if c in value and c not in kept]
    doc["officer_phone_only"] = False


def read_phone(doc: Doc) -> str | None:
    return rules.display_phone(doc.get("phone")) or None


def clean_email(value: str, doc: Doc) -> str:
    return rules.normalise_email(value)


def clean_phone(value: str, doc: Doc) -> str:
    """Text messages need a mobile number."""
    return rules.normalise_phone(value, mobile=rules.SMS in doc["channels"])


def clean_text(value: str, doc: Doc) -> str:
    return value.strip()[: rules.MAX_TEXT]
