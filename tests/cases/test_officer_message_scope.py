"""Security review, finding 3 (SECURITY.md item 11): an officer sees only the messages about their own
unit's cases. A victim with cases in two forces: each unit's officer sees the messages about its own
case (and those about no case at all, such as notices about preferences), never the other unit's, on
the victim's page and in "Messages that did not arrive"."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.support.builders import create_communication, create_victim_in_two_forces
from tests.support.demo import OFFICER
from tests.support.pages import page_text
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import signed_in

pytestmark = pytest.mark.security(11)

OTHER_OFFICER = "other.officer@demo.example"  # force 02's unit (create_other_unit)
ARRESTED = "Someone has been arrested"  # the force 01 case's update
CHARGED = "The suspect has been charged"  # the force 02 case's update


def _messages_table(html: str) -> str:
    """The text of the victim page's communications log (the table after "Communications")."""
    part = html.split("Communications", 1)[1]
    return page_text(part[: part.find("</table>")])


def test_finding3_officer_never_sees_messages_about_another_units_case(seeded: Flask) -> None:
    create_other_unit(seeded)
    tess = create_victim_in_two_forces(seeded)
    # A message about no case (a notice about who is helping her): both units may see it.
    create_communication(seeded, tess["victim_id"], purpose="delegation-notice", channel="letter")
    ours, theirs = signed_in(seeded, OFFICER), signed_in(seeded, OTHER_OFFICER)
    # The force 02 case itself is out of the force 01 officer's reach ...
    assert ours.get(f"/staff/victims/{tess['victim_id']}/cases/{tess['urn_02']}").status_code == 404
    # ... and so is every message about it.
    log = _messages_table(ours.get(f"/staff/victims/{tess['victim_id']}").get_data(as_text=True))
    assert ARRESTED in log and "Change to who is helping them" in log
    assert CHARGED not in log, log
    assert "Failed" not in log and "email" not in log, log
    # The other unit sees its own case's message and the notice, not the force 01 case's.
    other_log = _messages_table(theirs.get(f"/staff/victims/{tess['victim_id']}").get_data(as_text=True))
    assert CHARGED in other_log and "Change to who is helping them" in other_log
    assert ARRESTED not in other_log, other_log


def _listed(html: str) -> list[str]:
    """Each row of "Messages that did not arrive": victim and message."""
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, flags=re.S)
    return [page_text(row) for row in rows if "govuk-table__cell" in row]


def test_finding3_messages_not_delivered_leaves_out_another_units_case(seeded: Flask) -> None:
    create_other_unit(seeded)
    tess = create_victim_in_two_forces(seeded)  # her email about the force 02 case failed
    ours, theirs = signed_in(seeded, OFFICER), signed_in(seeded, OTHER_OFFICER)
    assert not any("Twoforce" in row for row in _listed(ours.get("/staff/messages-not-delivered").text))
    assert any(
        "Twoforce" in row and "Case update" in row
        for row in _listed(theirs.get("/staff/messages-not-delivered").text)
    )
    # A code to confirm her contact details that could not be sent is about no case: both units see it.
    create_communication(
        seeded, tess["victim_id"], purpose="verification", channel="sms", status="permanent-failure"
    )
    own_rows = [r for r in _listed(ours.get("/staff/messages-not-delivered").text) if "Twoforce" in r]
    assert len(own_rows) == 1 and "Code to confirm contact details" in own_rows[0], own_rows
    other_rows = [r for r in _listed(theirs.get("/staff/messages-not-delivered").text) if "Twoforce" in r]
    assert len(other_rows) == 2, other_rows
