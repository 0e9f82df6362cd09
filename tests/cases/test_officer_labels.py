"""Officers see every kind of message named in words."""

from __future__ import annotations


def test_every_communication_purpose_has_a_label_for_officers() -> None:
    """The officer's communications log names each kind of message in words, never a code."""
    import re
    from pathlib import Path

    from portal.services.cases.officer_views import PURPOSE_LABELS

    source = "\n".join(p.read_text() for p in Path("portal/services").rglob("*.py"))
    purposes = set(re.findall(r'purpose="([a-z-]+)"', source)) | set(
        re.findall(r'PURPOSE = "([a-z-]+)"', source)
    )
    assert purposes, "no purposes found"
    assert purposes <= set(PURPOSE_LABELS), purposes - set(PURPOSE_LABELS)
