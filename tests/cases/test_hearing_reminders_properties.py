"""Property tests of hearing reminders, on SQLite and PostgreSQL: over any sequence of hearing changes
(needed as a witness, moved, adjourned with or without a new date, a new hearing, released, the case
ended) interleaved with runs of the reminder job at any times, a reminder is

- never queued for a date that no longer stands (the victim not needed then, or the hearing not on it),
- never queued twice for one date,
- always queued by the first run at or after its due time (the victim's first safe time on the working day
  before), while the hearing still stands and has not started.

The expected hearing is worked out here by a small model of the changes, independently of the code's own
rule (portal/services/cases/standing/hearings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import CaseUpdate, Communication, HearingReminder
from portal.services.cases import hearing_reminders
from portal.services.vocabulary.deadlines import is_working_day
from tests.cases.test_hearing_reminders import LONDON, Witness, run, update, witness

#: Monday 1 March 2027, midnight in London: the clock starts here.
START = datetime(2027, 3, 1, tzinfo=LONDON)
#: The victim's safe hours, every day.
SAFE_FROM, SAFE_TO = time(8, 0), time(21, 0)
PREFS = {
    "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "safe_from": "08:00",
    "safe_to": "21:00",
}


def hearing_on(day: int, hour: int) -> datetime:
    return datetime.combine(START.date() + timedelta(days=day), time(hour, 0), LONDON)


@dataclass
class Model:
    """What stands now: the hearing's start, whether the victim is needed at it, and whether they are
    needed at a hearing whose date is not known yet."""

    at: datetime | None = None
    needed: bool = False
    pending: bool = False

    def apply(self, kind: str, at: datetime | None) -> None:
        if kind == "witness-required":
            self.at, self.needed, self.pending = at, True, False
        elif kind == "hearing-scheduled":
            self.at, self.needed, self.pending = at, self.pending, False
        elif kind in ("hearing-changed", "hearing-adjourned"):
            needed = self.needed if self.at is not None else self.pending
            if at is None:
                self.at, self.needed, self.pending = None, False, needed
            else:
                self.at, self.needed, self.pending = at, needed, False
        elif kind == "witness-no-longer-needed":
            if self.at is None:
                self.pending = False
            elif at is not None and at.date() == self.at.date():
                self.needed = False
        elif kind == "case-discontinued":
            self.at, self.needed, self.pending = None, False, False

    def due(self, now: datetime) -> datetime | None:
        """When the standing hearing's reminder is due (the first safe time on the working day before), or
        None when the victim is not needed at a hearing still to come."""
        if self.at is None or not self.needed or self.at <= now:
            return None
        day = self.at.date() - timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
        return datetime.combine(day, SAFE_FROM, LONDON)


_hearing_at = st.builds(hearing_on, st.integers(min_value=0, max_value=8), st.sampled_from([10, 14]))
_change = st.one_of(
    st.tuples(st.just("witness-required"), _hearing_at),
    st.tuples(st.just("hearing-scheduled"), _hearing_at),
    st.tuples(st.just("hearing-changed"), _hearing_at),
    st.tuples(st.just("hearing-adjourned"), st.one_of(st.none(), _hearing_at)),
    st.tuples(st.just("witness-no-longer-needed"), _hearing_at),
    st.tuples(st.just("case-discontinued"), st.none()),
)
_run = st.tuples(st.just("run"), st.integers(min_value=5, max_value=30 * 60))
#: Either a change to the hearing, or (twice as likely) the clock moving on by some minutes and the job
#: running.
_step = st.one_of(_change, _run, _run)


def _fresh_witness(app: Flask) -> Witness:
    """A new victim on a new case, with no hearing updates or reminders anywhere (earlier examples')."""
    with app.app_context(), db.job() as session:
        session.execute(delete(HearingReminder))
        session.execute(delete(Communication))
        session.execute(delete(OutboundMessage))
        session.execute(delete(CaseUpdate))
    return witness(app, PREFS)


def _queued(app: Flask) -> list[tuple[str, datetime]]:
    with app.app_context(), db.job() as session:
        rows = session.execute(select(HearingReminder.hearing_on, HearingReminder.queued_at))
        return [(on.isoformat(), queued_at) for on, queued_at in rows]


def _details(kind: str, at: datetime | None) -> dict[str, object]:
    if at is None:
        return {}
    if kind in ("witness-no-longer-needed", "hearing-adjourned"):
        return {"hearing_at": at}
    return {"hearing_at": at, "court_name": "Exampletown Crown Court"}


#: Examples on each database. The reminder job has no branch by database; what PostgreSQL adds is its own
#: storage of dates and times and the unique reminder row written in a savepoint, which every example
#: meets at least 57 times (the sweep), so a third of SQLite's examples cover it there.
EXAMPLES = {"sqlite": 60, "postgresql": 20}


def test_reminders_follow_the_standing_hearing_whatever_happens(app: Flask) -> None:
    @settings(
        max_examples=EXAMPLES[app.extensions["database"].engine.dialect.name],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(first=_hearing_at, steps=st.lists(_step, min_size=1, max_size=16))
    def check(first: datetime, steps: list[tuple[str, object]]) -> None:
        _check_reminders(app, first, steps)

    check()


def _check_reminders(app: Flask, first: datetime, steps: list[tuple[str, object]]) -> None:
    who = _fresh_witness(app)
    # Then the job every 5 hours until every hearing has passed, so that each reminder due is checked.
    sweep = [("run", 5 * 60)] * (12 * 24 // 5)
    steps = [("witness-required", first), *steps, *sweep]
    model = Model()
    now = START
    after: list[tuple[str, datetime]] | None = None  # the reminders as the last run left them
    for kind, value in steps:
        if kind != "run":
            now += timedelta(minutes=1)
            at = value if isinstance(value, datetime) else None
            update(app, who, kind, now, **_details(kind, at))
            model.apply(kind, at)
            after = None
            continue
        assert isinstance(value, int)
        now += timedelta(minutes=value)
        # Between two runs with no change between them nothing writes reminders: the second run starts
        # from what the first left.
        before = _queued(app) if after is None else after
        queued = run(app, now)
        after = _queued(app)
        fresh = [on for on, queued_at in after if (on, queued_at) not in before]
        assert len(fresh) == queued
        due = model.due(now)
        safe_now = SAFE_FROM <= now.astimezone(LONDON).time() < SAFE_TO
        # Never a reminder for a date that no longer stands, nor before it is due, nor at an unsafe time.
        for on in fresh:
            assert due is not None and now >= due and safe_now, (on, model, now)
            assert model.at is not None and on == model.at.date().isoformat(), (on, model)
        # Always one once it is due, at a safe time, before the hearing.
        if due is not None and now >= due and safe_now:
            assert model.at is not None
            assert model.at.date().isoformat() in {on for on, _ in after}, (model, now)
    # Never two for one date, and one message for each reminder.
    dates = [on for on, _ in _queued(app)]
    assert len(dates) == len(set(dates))
    with app.app_context(), db.job() as session:
        sent = session.scalars(
            select(OutboundMessage.not_before).where(OutboundMessage.correlation == hearing_reminders.PURPOSE)
        ).all()
    assert sent == [None] * len(dates)
