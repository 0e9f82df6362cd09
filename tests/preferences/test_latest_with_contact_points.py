"""Each message's wording and address come from the victim's latest preferences and their contact points,
read in one statement (`latest_version_and_contact_points`): it must give what the two reads it replaces
give, for victims with and without recorded preferences, with none, one or several contact points, and
with several versions (the latest, never an earlier one)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portal.data import contact_points as contact_points_data
from portal.data import preferences as preferences_data
from portal.extensions import db
from portal.models import Victim
from tests.support.builders import create_contact_point, create_preferences_version, create_victim


def test_the_latest_version_and_contact_points_in_one_statement_are_what_two_reads_give(
    seeded: Flask,
) -> None:
    bare = create_victim(seeded, "Nadia", "Nopref")
    points_only = create_victim(seeded, "Paul", "Points", email="paul@example.com")
    create_contact_point(seeded, points_only.id, "email", "paul@example.com")
    create_contact_point(seeded, points_only.id, "phone", "07700900111")
    versions = create_victim(seeded, "Vera", "Versions", email="vera@example.com")
    for frequency in ("every-update", "daily-digest", "key-milestones"):
        create_preferences_version(seeded, versions, {"frequency": frequency})
    create_contact_point(seeded, versions.id, "email", "vera@example.com")
    with seeded.app_context(), db.job() as session:
        ids = list(session.scalars(select(Victim.id)))
        kinds = {"none": 0, "some": 0, "versioned": 0}
        for victim_id in [*ids, "no-such-victim"]:
            latest, points = preferences_data.latest_version_and_contact_points(session, victim_id)
            assert latest == preferences_data.get_latest_version(session, victim_id), victim_id
            expected = contact_points_data.contact_points_for_victim(session, victim_id)
            assert sorted(points, key=lambda p: p.id) == sorted(expected, key=lambda p: p.id), victim_id
            kinds["none"] += latest is None and not points
            kinds["some"] += len(points) > 1
            kinds["versioned"] += latest is not None and latest.version > 1
        latest, _ = preferences_data.latest_version_and_contact_points(session, versions.id)
        assert latest is not None and latest.version == 3
        assert preferences_data.latest_version_and_contact_points(session, bare.id) == (None, [])
        assert all(kinds.values()), kinds
