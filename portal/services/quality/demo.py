"""Demo data for the quality report: the checks on every demo update, a realistic mix of the demo
victim's answers to "Was this update clear?" and an officer's reviews of a few updates. Every row is
marked `demo`, and the report says so. No update or timeline entry is added."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.data import quality as quality_data
from portal.data import users as users_data
from portal.models import UpdateRating, UpdateReview
from portal.services.quality import checks

#: (case URN, demo update number, clear, what was unclear)
DEMO_ANSWERS: tuple[tuple[str, int, bool, str | None], ...] = (
    ("01YZ1234524", 1, True, None),
    ("01YZ1234524", 2, True, None),
    ("01YZ1234524", 3, True, None),
    ("01YZ1234524", 4, False, "I don't know what the interview means for me or what happens now."),
    ("01YZ1234524", 5, True, None),
    ("01YZ1234524", 6, True, None),
    ("01YZ1234524", 7, True, None),
    ("01YZ1234524", 8, False, "Do I have to go to court on the day, and who pays for my travel?"),
    ("01YZ1234524", 9, False, "Is the new date definite? Sam Sample was ready to go that day."),
    ("01YZ1234524", 10, True, None),
    ("01YZ1234524", 11, False, "What does 18 months mean? When could he be let out?"),
    ("01YZ1234524", 12, True, None),
    ("01AB5432123", 3, False, "Why was it closed? Nobody explained, and I can't tell if I can ask again."),
)

#: (case URN, demo update number, satisfactory, elements judged)
DEMO_REVIEWS: tuple[tuple[str, int, bool, dict[str, bool]], ...] = (
    ("01YZ1234524", 9, True, {"readability": True, "jargon": True, "hearing_reason": True}),
    ("01YZ1234524", 11, False, {"readability": False, "jargon": True}),
    ("01YZ1234524", 6, True, {"jargon": True}),
    (
        "01AB5432123",
        3,
        False,
        {"reason": False, "review": False, "next_steps": False, "contact": True},
    ),
)


def _event_id(urn: str, number: int) -> str:
    return f"demo-{urn}-{number}"


def seed(session: Session, victim_id: str, officer_email: str) -> None:
    officer = users_data.get_user_by_email(session, officer_email)
    assert officer is not None
    checks.check_updates(session, quality_data.updates_without_check(session), demo=True)
    updates = {u.agency_event_id: u for u in quality_data.updates_by_id(session, _all_ids(session)).values()}
    for urn, number, clear, unclear in DEMO_ANSWERS:
        update = updates[_event_id(urn, number)]
        quality_data.add_rating(
            session,
            UpdateRating(update_id=update.id, victim_id=victim_id, clear=clear, unclear=unclear, demo=True),
        )
    for urn, number, satisfactory, judged in DEMO_REVIEWS:
        update = updates[_event_id(urn, number)]
        quality_data.add_review(
            session,
            UpdateReview(
                update_id=update.id,
                reviewer_user_id=officer.id,
                satisfactory=satisfactory,
                elements=judged,
                demo=True,
            ),
        )


def _all_ids(session: Session) -> list[str]:
    return quality_data.demo_update_ids(session)
