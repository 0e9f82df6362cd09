"""Who is asking: a signed-in person (`Actor`) or an agency system (`ApiCaller`). Every read or write of
victim data is given one of these and scoped by it (services/common/access.py)."""

from __future__ import annotations

from dataclasses import dataclass

from portal.models.api_clients import FORCE_SCOPED_AGENCIES


@dataclass(frozen=True)
class Actor:
    """Who is asking: every victim-data access is scoped by this (see services/common/access.py)."""

    user_id: int
    role: str
    victim_id: str | None = None
    organisation_id: int | None = None
    force_code: str | None = None
    label: str = ""


@dataclass(frozen=True)
class ApiCaller:
    """An authenticated agency system: who is asking through the API (the API's Actor)."""

    client_id: str
    name: str
    agency: str
    force_code: str | None

    @property
    def force_scoped(self) -> bool:
        return self.agency in FORCE_SCOPED_AGENCIES

    @property
    def label(self) -> str:
        return self.name
