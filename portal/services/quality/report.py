"""The quality report, next to the timeliness report: for the updates on a unit's cases that the agency
had in a period, by agency, by agency and event type, and by month (London dates):

- rated clear: victims' answers "Yes" to "Was this update clear?", out of every answer (an update can
  have an answer from each of its victims);
- each check (portal.services.quality.elements.CHECKS): updates that passed it, out of those it applied
  to (checks are run when an update arrives through the API; an update never checked counts for none);
- all checks passed: checked updates with no failed check, out of checked updates;
- the most common failures, and anonymised examples (portal.services.quality.examples);
- officers' reviews of a sample, and how often they agree with the checks (portal.services.quality.reviews).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.data import quality as quality_data
from portal.services import vocabulary
from portal.services.cases.timeliness import AGENCY_ORDER, BAR_GAP, BAR_HEIGHT, PLOT_WIDTH, Bar, Period
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.quality import elements
from portal.services.quality.checks import agency_texts

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Item:
    """One update, with what is known of its quality."""

    update_id: str
    case_id: int
    urn: str
    agency: str
    event_type: str
    month: str  # YYYY-MM (London) of when the agency had it
    checked: bool
    checks: dict[str, bool]
    warnings: tuple[dict[str, Any], ...]
    answers: tuple[tuple[bool, str | None], ...]  # victims' (clear, what was unclear)
    review: tuple[bool, dict[str, bool]] | None  # (satisfactory, elements) of an officer's review
    texts: tuple[tuple[str, str], ...]  # the agency's own words: (field, text)
    details: dict[str, Any] = field(default_factory=dict)
    demo: bool = False

    @property
    def all_passed(self) -> bool:
        return self.checked and all(self.checks.values())


def _month(received_at: datetime) -> str:
    return received_at.astimezone(UTC).astimezone(LONDON).strftime("%Y-%m")


def items_for_force(session: Session, force_code: str | None, period: Period) -> list[Item]:
    """Every current update on the force's cases (all forces for None) that the agency had in the period."""
    start, before = period.bounds()
    rows = quality_data.updates_for_force(session, force_code, start, before)
    answers: dict[str, list[tuple[bool, str | None]]] = {}
    demo_answers: set[str] = set()
    for rating in quality_data.ratings_of_updates(
        session, quality_data.update_ids_in_period(force_code, start, before)
    ):
        answers.setdefault(rating.update_id, []).append((rating.clear, rating.unclear))
        if rating.demo:
            demo_answers.add(rating.update_id)
    items = []
    for row in rows:
        checked = row.check_demo is not None  # a left join: no check row, every column None
        reviewed = row.satisfactory is not None
        texts = agency_texts(row.event_type, row.details or {}, row.message)
        items.append(
            Item(
                update_id=row.update_id,
                case_id=row.case_id,
                urn=str(row.urn),
                agency=row.agency,
                event_type=row.event_type,
                month=_month(row.received_at),
                checked=checked,
                checks=dict(row.checks or {}) if checked else {},
                warnings=tuple(row.warnings or ()) if checked else (),
                answers=tuple(answers.get(row.update_id, ())),
                review=(bool(row.satisfactory), dict(row.elements or {})) if reviewed else None,
                texts=tuple((at, text) for at, text, _ in texts),
                details=dict(row.details or {}),
                demo=bool(row.check_demo or row.update_id in demo_answers or row.review_demo),
            )
        )
    return items


def unit_items(session: Session, actor: Actor, period: Period) -> list[Item]:
    """The report's updates for an officer: their unit's cases only."""
    return items_for_force(session, access.officer_force_code(actor), period)


@dataclass(frozen=True)
class Row:
    agency: str  # "" for every agency
    event_type: str | None  # None for every event type
    month: str | None  # None for every month
    updates: int
    checked: int
    all_passed: int
    answers: int
    clear: int
    passed: dict[str, int]
    applicable: dict[str, int]

    @property
    def percent_clear(self) -> float | None:
        return _percent(self.clear, self.answers)

    @property
    def percent_all_passed(self) -> float | None:
        return _percent(self.all_passed, self.checked)

    def percent(self, check: str) -> float | None:
        return _percent(self.passed.get(check, 0), self.applicable.get(check, 0))

    @property
    def agency_label(self) -> str:
        if not self.agency:
            return str(_l("All agencies"))
        return str(vocabulary.AGENCY_LABELS[vocabulary.Agency(self.agency)])

    @property
    def event_label(self) -> str:
        return str(_l("All event types")) if self.event_type is None else event_label(self.event_type)


def event_label(code: str) -> str:
    try:
        return f"{vocabulary.get_event_type(code).title} ({code})"
    except vocabulary.UnknownEventType:
        return code


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def row(agency: str, event_type: str | None, month: str | None, items: Sequence[Item]) -> Row:
    passed: Counter[str] = Counter()
    applicable: Counter[str] = Counter()
    for item in items:
        for check, ok in item.checks.items():
            applicable[check] += 1
            passed[check] += int(ok)
    answers = [clear for item in items for clear, _ in item.answers]
    return Row(
        agency=agency,
        event_type=event_type,
        month=month,
        updates=len(items),
        checked=sum(1 for i in items if i.checked),
        all_passed=sum(1 for i in items if i.all_passed),
        answers=len(answers),
        clear=sum(1 for clear in answers if clear),
        passed=dict(passed),
        applicable=dict(applicable),
    )


def _agency_key(agency: str) -> int:
    return AGENCY_ORDER.index(agency) if agency in AGENCY_ORDER else len(AGENCY_ORDER)


def _grouped(
    items: Iterable[Item], key: Callable[[Item], tuple[str, ...]]
) -> dict[tuple[str, ...], list[Item]]:
    groups: dict[tuple[str, ...], list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def by_agency(items: Sequence[Item]) -> list[Row]:
    """One row per agency, then one for every agency (when there are updates)."""
    groups = _grouped(items, lambda i: (i.agency,))
    rows = [row(a, None, None, groups[(a,)]) for (a,) in sorted(groups, key=lambda k: _agency_key(k[0]))]
    return [*rows, row("", None, None, items)] if items else rows


def by_event_type(items: Sequence[Item]) -> list[Row]:
    groups = _grouped(items, lambda i: (i.agency, i.event_type))
    return [
        row(a, e, None, groups[(a, e)]) for a, e in sorted(groups, key=lambda k: (_agency_key(k[0]), k[1]))
    ]


def by_month(items: Sequence[Item]) -> list[Row]:
    groups = _grouped(items, lambda i: (i.month,))
    return [row("", None, m, groups[(m,)]) for (m,) in sorted(groups)]


@dataclass(frozen=True)
class Failure:
    check: str
    failed: int
    applicable: int

    @property
    def label(self) -> str:
        return str(elements.CHECK_LABELS[self.check])

    @property
    def percent(self) -> float | None:
        return _percent(self.failed, self.applicable)


def common_failures(items: Sequence[Item]) -> list[Failure]:
    """Each check that failed at least once: the most failures first (then the checks' order)."""
    overall = row("", None, None, items)
    failures = [
        Failure(
            check,
            overall.applicable.get(check, 0) - overall.passed.get(check, 0),
            overall.applicable.get(check, 0),
        )
        for check in elements.CHECKS
    ]
    return sorted(
        (f for f in failures if f.failed), key=lambda f: (-f.failed, elements.CHECKS.index(f.check))
    )


def common_jargon(items: Sequence[Item], limit: int = 5) -> list[tuple[str, int]]:
    """The jargon terms found most often: (term, updates it was found in)."""
    counts: Counter[str] = Counter()
    for item in items:
        terms = {w["message"].split('"')[1] for w in item.warnings if w.get("check") == elements.JARGON}
        counts.update(terms)
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]


CSV_HEADER = (
    "grouping",
    "agency",
    "event_type",
    "month",
    "updates",
    "checked",
    "answers",
    "rated_clear",
    "percent_rated_clear",
    "all_checks_passed",
    "percent_all_checks_passed",
    *(f"percent_{check}" for check in elements.CHECKS),
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # Never let a spreadsheet read a cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def chart_bars(rows: Sequence[Row], kind: str) -> list[Bar]:
    """Bars of a horizontal chart (drawn like the timeliness chart), one per row: the share rated clear
    (`kind` "clear") or the share of checked updates passing every check ("checks")."""
    bars = []
    for index, item in enumerate(rows):
        percent, counted = (
            (item.percent_clear, item.answers) if kind == "clear" else (item.percent_all_passed, item.checked)
        )
        bars.append(
            Bar(
                label=item.agency_label,
                percent=percent,
                measured=counted,
                y=index * (BAR_HEIGHT + BAR_GAP) + 30,
                width=round(PLOT_WIDTH * (percent or 0) / 100, 1),
            )
        )
    return bars


def report_csv(
    period: Period, groups: Sequence[tuple[str, Sequence[Row]]], measures: Sequence[Any] = ()
) -> str:
    """The figures (never a victim, a comment or an example) as CSV, one line per row of each grouping,
    then the Code compliance measures (right, agency, measure, met, total, percent)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["period_start", period.start.isoformat(), "period_end", period.end.isoformat()])
    writer.writerow(CSV_HEADER)
    for grouping, rows in groups:
        for item in rows:
            writer.writerow(
                [
                    grouping,
                    _cell(item.agency or "all"),
                    _cell(item.event_type or "all"),
                    _cell(item.month or "all"),
                    item.updates,
                    item.checked,
                    item.answers,
                    item.clear,
                    _figure(item.percent_clear),
                    item.all_passed,
                    _figure(item.percent_all_passed),
                    *(_figure(item.percent(check)) for check in elements.CHECKS),
                ]
            )
    if measures:
        writer.writerow([])
        writer.writerow(["right", "agency", "measure", "met", "total", "percent_met"])
        for measure in measures:
            writer.writerow(
                [
                    measure.right,
                    measure.agency,
                    measure.measure,
                    measure.met,
                    measure.total,
                    _figure(measure.percent),
                ]
            )
    return out.getvalue()
