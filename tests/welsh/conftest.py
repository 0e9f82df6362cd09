"""The Welsh tests read the compiled catalogue (portal/translations/cy/LC_MESSAGES/messages.mo), which
`make install` and `make test` build from the .po: built here too when missing or older than the .po,
so that running these tests alone reads the Welsh as it is now."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "portal" / "translations" / "cy" / "LC_MESSAGES"


@pytest.fixture(scope="session", autouse=True)
def compiled_welsh() -> None:
    po, mo = CATALOGUE / "messages.po", CATALOGUE / "messages.mo"
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    with open(po, "rb") as source:
        catalog = read_po(source, locale="cy")
    with open(mo, "wb") as target:
        write_mo(target, catalog)
