"""Jinja filters and globals: GOV.UK date style in UK time, agency labels."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask, current_app, url_for
from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

from portal import navigation
from portal.services import vocabulary
from portal.services.cases.standing import Standing
from portal.services.cases.timeline import TimelineEntry
from portal.services.common.pagination import Page

LONDON = ZoneInfo("Europe/London")

SOURCE_TAG_CLASSES = {
    "police": "govuk-tag--blue",
    "cps": "govuk-tag--purple",
    "witness_care": "govuk-tag--green",
    "probation": "govuk-tag--orange",
}


def govuk_date(value: datetime | date | None) -> str:
    """'14 March 2027' (UK time for datetimes); '14 Mawrth 2027' in Welsh (Babel's month names)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return babel_dates.format_date(value, "d MMMM y", locale=str(get_locale() or "en"))


def govuk_weekday(value: date) -> str:
    """'Monday'; 'Dydd Llun' in Welsh."""
    return babel_dates.format_date(value, "EEEE", locale=str(get_locale() or "en"))


def govuk_time(value: datetime) -> str:
    """'2:30pm', 'midday', 'midnight' as the GOV.UK style guide asks; '2:30yh', 'canol dydd' in Welsh."""
    return vocabulary.format_time(value.astimezone(LONDON))


def govuk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return gettext("%(date)s at %(time)s", date=govuk_date(value), time=govuk_time(value))


def source_label(source: str | None) -> str:
    if source is None:
        return ""
    return str(vocabulary.AGENCY_LABELS[vocabulary.Agency(source)])


def english_marked(text: str | None, words: tuple[str, ...] | list[str]) -> Markup:
    """`text` as HTML with each of `words` (an agency's words sent in English only, longest first) marked
    `<span lang="en">`, so that a screen reader reading a Welsh page says them in English."""
    escaped = escape(text or "")
    if not words:
        return escaped
    pattern = re.compile("|".join(re.escape(str(escape(word))) for word in words))
    return Markup(pattern.sub(lambda found: f'<span lang="en">{found[0]}</span>', str(escaped)))  # noqa: S704


TIMELINE_ENTRY_TEMPLATE = "components/timeline_entry.html"
#: Rendered timeline entries kept per web process: an update's HTML depends only on the entry, the
#: heading level and the locale, and a victim's timeline shows the same updates on every view.
TIMELINE_ENTRY_CACHE_SIZE = 8192


def timeline_entry(entry: TimelineEntry, heading_level: int) -> Markup:
    """One update of the timeline component, rendered once per (entry, heading level, locale)."""
    render = _rendered_entry.__wrapped__ if current_app.debug else _rendered_entry  # edits show at once
    return render(str(get_locale() or "en"), heading_level, entry)


@lru_cache(maxsize=TIMELINE_ENTRY_CACHE_SIZE)
def _rendered_entry(_locale: str, heading_level: int, entry: TimelineEntry) -> Markup:
    # The entry is frozen and compared field by field (and the locale is in the key, for the words the
    # template adds), so a kept rendering is always the one this entry would get.
    template = current_app.jinja_env.get_template(TIMELINE_ENTRY_TEMPLATE)
    return Markup(template.render(entry=entry, heading_level=heading_level))  # noqa: S704


#: The stand-in update of the one unanswered "Was this update clear?" form a timeline page renders
#: (victim/_rating.html's rating_form), copied for each update that has no answer yet.
RATING_STAND_IN_ID = "ffffffff-0000-4000-8000-standinratng"
RATING_STAND_IN_TITLE = "STAND-IN-RATING-TITLE"
_TIMELINE_START = Markup('<div class="moj-timeline">\n')
_TIMELINE_END = Markup("</div>\n")
_RATING = Markup('<div class="app-timeline__rating" id="clear-answer-{}">\n{}\n</div>\n')


def rated_timeline(
    items: Sequence[Any],
    answers: Mapping[str, Any],
    urn: str,
    page: int,
    rating: Callable[..., Markup],
    rating_form: Callable[..., Markup],
    moment: Callable[..., Markup],
    heading_level: int = 3,
) -> Markup:
    """The timeline component (components/timeline.html) of the victim's own case page, with "Was this
    update clear?" under each update: `items` are the page's updates (TimelineEntry) and changes of the
    victim's requests (rendered by the `moment` macro), `answers` the victim's answers by update id.
    The loop is here rather than in Jinja, where each update cost three macro calls: an update with no
    answer gets a copy of one form rendered for a stand-in (`rating_form`), one with an answer the
    `rating` macro."""
    blank: Markup | None = None
    parts = [_TIMELINE_START]
    for item in items:
        if not isinstance(item, TimelineEntry):
            parts.append(moment(item, heading_level))
            continue
        parts.append(timeline_entry(item, heading_level))
        answer = answers.get(item.update_id)
        if answer is None:
            if blank is None:
                blank = rating_form(urn, RATING_STAND_IN_ID, RATING_STAND_IN_TITLE, None, page)
            form = rating_copy(blank, item.update_id, item.title)
        else:
            form = rating(urn, item, answer, page)
        parts.append(_RATING.format(item.update_id, form))
    parts.append(_TIMELINE_END)
    return Markup("").join(parts)


def rating_copy(blank: Markup, update_id: str, title: str) -> Markup:
    """The stand-in's form made this update's: its id (in full, and the first 8 characters that name the
    form's fields) and its title, escaped (Markup.replace escapes what it puts in)."""
    return (
        blank.replace(RATING_STAND_IN_ID, update_id)
        .replace(RATING_STAND_IN_ID[:8], update_id[:8])
        .replace(RATING_STAND_IN_TITLE, title)
    )


CASE_STANDING_TEMPLATE = "components/case_standing.html"
#: Rendered "Where things stand now" cards kept per web process: the card depends only on the standing
#: (which holds the dates it shows and whether each has passed, worked out for the day of the view), who
#: reads it, whether contacts are shown, and the locale; a victim sees the same card on every view of a
#: case until something changes it.
CASE_STANDING_CACHE_SIZE = 4096


def case_standing(standing: Standing, who: str | None = None, show_contacts: bool = True) -> Markup:
    """The case_standing macro of components/case_standing.html, rendered once per (standing, reader,
    contacts shown, locale): it is about a tenth of a victim's case page's CPU when rendered each time."""
    render = _rendered_standing.__wrapped__ if current_app.debug else _rendered_standing  # edits show at once
    return render(str(get_locale() or "en"), standing, who, show_contacts)


@lru_cache(maxsize=CASE_STANDING_CACHE_SIZE)
def _rendered_standing(_locale: str, standing: Standing, who: str | None, show_contacts: bool) -> Markup:
    # The standing is frozen and compared field by field (its words in the locale, which is in the key),
    # so a kept rendering is always the one this standing would get. The template's module is made
    # without a request's context: the macro uses only the environment's globals and filters.
    module = current_app.jinja_env.get_template(CASE_STANDING_TEMPLATE).module
    return Markup(module.case_standing(standing, who, show_contacts))  # type: ignore[attr-defined]  # noqa: S704


def static_fragment(name: str) -> Markup:
    """A part of every page that depends only on the language (the GOV.UK skip link, header, phase
    banner, Exit this page and footer, from templates/fragments/): rendered once per process and language
    rather than on every request (GOV.UK Frontend's header alone was about a seventh of a page's CPU).
    Re-rendered each time when templates reload (development)."""
    cache: dict[tuple[str, str], Markup] = current_app.extensions.setdefault("static_fragments", {})
    key = (name, str(get_locale() or "en"))
    html = cache.get(key)
    if html is None:
        # The output of an autoescaped template of our own: already safe HTML.
        html = Markup(current_app.jinja_env.get_template(f"fragments/{name}.html").render())  # noqa: S704
        if not current_app.jinja_env.auto_reload:
            cache[key] = html
    return html


_ARROW_PREVIOUS = Markup(
    '<svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" '
    'height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">'
    '<path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984'
    'l4.2931-4.293-1.414-1.414z"></path></svg>'
)
_ARROW_NEXT = Markup(
    '<svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" '
    'height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">'
    '<path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 '
    '6.7441-6.4062-6.7246-6.7266z"></path></svg>'
)


def pagination_links(
    pages: Page, endpoint: str, params: dict[str, Any], label: str, page_arg: str = "page", fragment: str = ""
) -> Markup:
    """The GOV.UK pagination component's markup for `pages` (services/common/pagination.Page), its
    landmark named `label`: links to the previous and next pages and to the pages `pages.numbers` names,
    each URL built by `url_for(endpoint, **params)` with its page number as `page_arg` (none for the first)
    and then `fragment` ("#told-late"); empty when there is only one page. The same markup as
    govukPagination with those options (tests/web/test_pagination_links.py), written out rather than
    through its nested macros, which cost a timeline view about a tenth of its rendering."""
    if pages.count <= 1:
        return Markup("")

    def href(number: int) -> str:
        return url_for(endpoint, **{**params, page_arg: number if number > 1 else None}) + fragment

    hidden_page = Markup('<span class="govuk-visually-hidden"> %s</span>') % gettext("page")
    parts = [Markup('<nav class="govuk-pagination" aria-label="%s">') % label]
    if pages.number > 1:
        parts.append(
            Markup(
                '<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="%s" '
                'rel="prev">%s<span class="govuk-pagination__link-title">%s%s</span></a></div>'
            )
            % (href(pages.number - 1), _ARROW_PREVIOUS, gettext("Previous"), hidden_page)
        )
    parts.append(Markup('<ul class="govuk-pagination__list">'))
    for number in pages.numbers:
        if number is None:
            parts.append(
                Markup('<li class="govuk-pagination__item govuk-pagination__item--ellipsis">&ctdot;</li>')
            )
            continue
        current = number == pages.number
        parts.append(
            Markup(
                '<li class="govuk-pagination__item%s"><a class="govuk-link govuk-pagination__link" href="%s" '
                'aria-label="%s"%s>%d</a></li>'
            )
            % (
                Markup(" govuk-pagination__item--current") if current else "",
                href(number),
                gettext("Page %(number)d", number=number),
                Markup(' aria-current="page"') if current else "",
                number,
            )
        )
    parts.append(Markup("</ul>"))
    if pages.number < pages.count:
        parts.append(
            Markup(
                '<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="%s" '
                'rel="next"><span class="govuk-pagination__link-title">%s%s</span>%s</a></div>'
            )
            % (href(pages.number + 1), gettext("Next"), hidden_page, _ARROW_NEXT)
        )
    parts.append(Markup("</nav>"))
    return Markup("").join(parts)


def init_app(app: Flask) -> None:
    app.add_template_filter(govuk_date)
    app.add_template_filter(govuk_time)
    app.add_template_filter(govuk_weekday)
    app.add_template_filter(govuk_datetime)
    app.add_template_filter(english_marked)
    app.add_template_global(source_label)
    app.add_template_global(lambda source: SOURCE_TAG_CLASSES.get(source, ""), name="source_tag_class")
    app.add_template_global(timeline_entry)
    app.add_template_global(rated_timeline)
    app.add_template_global(case_standing, name="case_standing_card")
    app.add_template_global(static_fragment)
    app.add_template_global(pagination_links)
    app.add_template_global(navigation.service_navigation)
