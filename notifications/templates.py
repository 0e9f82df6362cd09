"""The three generic GOV.UK Notify templates every outbox message goes through, defined once.

The portal writes and reviews its own wording, then sends it through one template per channel. A service
team creates these in Notify once (README, "Notify templates") and sets their ids:

- email: subject `((subject))`, message `((body))`
- text message: message `((body))`
- letter: heading `((subject))`, body `((body))`. Notify prints the address block itself from the
  `address_line_1` to `address_line_7` personalisation (the last line holds the postcode or the
  country): the address is never part of the body.

Notify refuses a request that leaves out any placeholder its template has ("Missing personalisation:
...") or gives one as null; an empty string is accepted. `personalisation_for` builds exactly what each
template needs, so the gateway and the sandbox (which checks requests against these same templates, as
Notify checks them against the ones a team created) can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

EMAIL = "email"
SMS = "sms"
LETTER = "letter"

ADDRESS_KEYS: tuple[str, ...] = tuple(f"address_line_{index}" for index in range(1, 8))


@dataclass(frozen=True)
class GenericTemplate:
    """One Notify template as the service team creates it: its type, subject (heading) and content."""

    type: str
    subject: str | None
    content: str

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The personalisation keys the template's subject and content name, in order."""
        names: list[str] = []
        for text in (self.subject or "", self.content):
            for part in text.split("((")[1:]:
                name = part.split("))", 1)[0]
                if name not in names:
                    names.append(name)
        return tuple(names)


TEMPLATES: dict[str, GenericTemplate] = {
    EMAIL: GenericTemplate(EMAIL, "((subject))", "((body))"),
    SMS: GenericTemplate(SMS, None, "((body))"),
    LETTER: GenericTemplate(LETTER, "((subject))", "((body))"),
}


def personalisation_for(
    channel: str, *, subject: str | None, body: str, address: Sequence[str] | None = None
) -> dict[str, str]:
    """The personalisation one message sends with its channel's generic template.

    Every placeholder gets a string (never None: Notify refuses null). A letter also carries its address,
    one line per `address_line_N`, the postcode (or country) on the last given line.
    """
    values = {"subject": subject or "", "body": body}
    personalisation = {name: values[name] for name in TEMPLATES[channel].placeholders}
    if channel == LETTER:
        personalisation.update(dict(zip(ADDRESS_KEYS, address or (), strict=False)))
    return personalisation
