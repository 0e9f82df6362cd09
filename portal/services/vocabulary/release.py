"""Urgent prison and release news from the Probation Service (Victims' Code right 11): an offender who
escapes, absconds or is returned, temporary release, home detention curfew, a changed release date
(including early release schemes) and deportation.

DOMAIN.md counts these as safety news: 1/1 working days (unconfirmed, so configurable), urgent, milestones.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.services.vocabulary.model import (
    Agency,
    EventType,
    Sentence,
    choice,
    date_field,
    schema,
    text,
    text_list,
)

PROBATION = (Agency.PROBATION,)

SAFETY_VLO = _l(
    "If the offender contacts you when they should not, or you feel unsafe, call 999 if you are in danger. "
    "Otherwise, tell your Victim Liaison Officer."
)
_CONDITIONS = text_list(
    "Conditions that protect the victim, in plain English, e.g. exclusion zones and no-contact conditions."
)
_CONDITIONS_SENTENCE = Sentence("conditions", _l("The conditions that protect you include: {conditions}."))
_CONDITIONS_EXAMPLE = [
    "not to contact you directly or through anyone else",
    "not to enter an area of north Leeds shown on a map your Victim Liaison Officer can share with you",
]

_AT_LARGE_ADVICE = _l(
    "If you see the offender, or they contact you, call 999 straight away and do not approach them. Your "
    "Victim Liaison Officer will tell you when they are back in custody. If you are worried about your "
    "safety, tell your Victim Liaison Officer."
)
_FROM = choice(
    "Where the offender was held.",
    ("prison", "open-prison", "secure-hospital", "escort", "temporary-release"),
)

RELEASE_TYPES: tuple[EventType, ...] = (
    EventType(
        code="offender-escaped",
        agencies=PROBATION,
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        urgent=True,
        title=_l("The offender has escaped from custody"),
        what_this_means=_l(
            "The offender has escaped from custody. The police know and are looking for them."
        ),
        what_happens_next=_AT_LARGE_ADVICE,
        review_right=None,
        details_schema=schema({"escaped_from": _FROM}, {"escaped_from": "escort"}),
        sentences=(
            Sentence("escaped_from", _l("They escaped from prison."), when="prison"),
            Sentence("escaped_from", _l("They escaped from an open prison."), when="open-prison"),
            Sentence("escaped_from", _l("They escaped from a secure hospital."), when="secure-hospital"),
            Sentence(
                "escaped_from",
                _l("They escaped while being taken somewhere, for example to court or to hospital."),
                when="escort",
            ),
            Sentence(
                "escaped_from",
                _l("They escaped while on temporary release from prison."),
                when="temporary-release",
            ),
        ),
    ),
    EventType(
        code="offender-absconded",
        agencies=PROBATION,
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        urgent=True,
        title=_l("The offender is missing from custody"),
        what_this_means=_l(
            "The offender has left without permission, or did not come back when they had to. This is "
            "called absconding. The police know and are looking for them."
        ),
        what_happens_next=_AT_LARGE_ADVICE,
        review_right=None,
        details_schema=schema({"absconded_from": _FROM}, {"absconded_from": "temporary-release"}),
        sentences=(
            Sentence("absconded_from", _l("They left prison without permission."), when="prison"),
            Sentence(
                "absconded_from", _l("They left an open prison without permission."), when="open-prison"
            ),
            Sentence(
                "absconded_from",
                _l("They left a secure hospital without permission."),
                when="secure-hospital",
            ),
            Sentence("absconded_from", _l("They got away while being taken somewhere."), when="escort"),
            Sentence(
                "absconded_from",
                _l("They did not go back to prison at the end of their temporary release."),
                when="temporary-release",
            ),
        ),
    ),
    EventType(
        code="offender-returned",
        agencies=PROBATION,
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        urgent=True,
        title=_l("The offender is back in custody"),
        what_this_means=_l("The offender is back in custody. They were returned on {occurred_date}."),
        what_happens_next=_l(
            "Your Victim Liaison Officer will tell you what happens next. If you are worried about your "
            "safety, tell them."
        ),
        review_right=None,
        details_schema=schema(
            {"returned_to": choice("Where the offender is now held.", ("prison", "secure-hospital"))},
            {"returned_to": "prison"},
        ),
        sentences=(
            Sentence("returned_to", _l("They are now in prison."), when="prison"),
            Sentence("returned_to", _l("They are now in a secure hospital."), when="secure-hospital"),
        ),
    ),
    EventType(
        code="temporary-release",
        agencies=PROBATION,
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        urgent=True,
        title=_l("The offender may leave prison for short periods"),
        what_this_means=_l(
            "The offender has been allowed to leave prison for short periods, under conditions. This is "
            "called release on temporary licence. It helps prisoners prepare for release, for example by "
            "working or visiting family, and they must go back to prison when each period ends. If they "
            "break the conditions, they can lose this permission."
        ),
        what_happens_next=SAFETY_VLO,
        review_right=None,
        details_schema=schema(
            {
                "starts_on": date_field("The first day the offender may be out of prison."),
                "ends_on": date_field("The last day of this release, or of this pattern of releases."),
                "conditions": _CONDITIONS,
            },
            {"starts_on": "2027-09-06", "ends_on": "2027-12-17", "conditions": _CONDITIONS_EXAMPLE},
        ),
        sentences=(
            Sentence("starts_on", _l("This starts on {starts_on}.")),
            Sentence("ends_on", _l("It ends on {ends_on}.")),
            _CONDITIONS_SENTENCE,
        ),
    ),
    EventType(
        code="home-detention-curfew",
        agencies=PROBATION,
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        urgent=True,
        title=_l("The offender will be released early on a curfew"),
        what_this_means=_l(
            "The offender will be released from prison early, on home detention curfew. They must stay at "
            "an approved address during set hours, usually overnight, and wear an electronic tag. If they "
            "break the curfew or their other conditions, they can be sent back to prison."
        ),
        what_happens_next=SAFETY_VLO,
        review_right=None,
        details_schema=schema(
            {
                "release_date": date_field("The date the offender is due to be released on curfew."),
                "curfew_hours": text("The curfew hours, in plain English, e.g. '7pm to 7am'.", 100),
                "conditions": _CONDITIONS,
            },
            {
                "release_date": "2027-11-08",
                "curfew_hours": "7pm to 7am every day",
                "conditions": _CONDITIONS_EXAMPLE,
            },
        ),
        sentences=(
            Sentence("release_date", _l("They are due to be released on {release_date}.")),
            Sentence("curfew_hours", _l("Their curfew hours are {curfew_hours}.")),
            _CONDITIONS_SENTENCE,
        ),
    ),
    EventType(
        code="release-date-changed",
        agencies=PROBATION,
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        urgent=True,
        title=_l("The offender's release date has changed"),
        what_this_means=_l(
            "The offender's release date has changed. They are now due to be released on {release_date}."
        ),
        what_happens_next=_l(
            "Your Victim Liaison Officer will tell you about the conditions the offender must follow when "
            "they are released. %(safety)s",
            safety=SAFETY_VLO,
        ),
        review_right=None,
        details_schema=schema(
            {
                "release_date": date_field("The new date the offender is due to be released."),
                "previous_release_date": date_field("The date they were due to be released before."),
                "reason": choice(
                    "Why the date changed.",
                    (
                        "early-release-scheme",
                        "additional-days",
                        "sentence-recalculated",
                        "parole-board-decision",
                        "other",
                    ),
                ),
                "reason_text": text("The reason in plain English, written for the victim.", 600),
            },
            {
                "release_date": "2027-10-22",
                "previous_release_date": "2028-01-14",
                "reason": "early-release-scheme",
            },
            required=("release_date",),
        ),
        sentences=(
            Sentence("previous_release_date", _l("They were due to be released on {previous_release_date}.")),
            Sentence(
                "reason",
                _l(
                    "This is because of an early release scheme set by law, which releases many people "
                    "serving prison sentences of a fixed length earlier in their sentence than before. It "
                    "is not a decision about this offender's behaviour."
                ),
                when="early-release-scheme",
            ),
            Sentence(
                "reason",
                _l("This is because they were given extra days in prison for breaking prison rules."),
                when="additional-days",
            ),
            Sentence(
                "reason",
                _l(
                    "This is because the prison has worked out the sentence again, for example to count "
                    "time the offender had already spent in custody."
                ),
                when="sentence-recalculated",
            ),
            Sentence(
                "reason", _l("This follows a decision by the Parole Board."), when="parole-board-decision"
            ),
            Sentence("reason_text", _l("The reason given is: {reason_text}.")),
        ),
    ),
    EventType(
        code="deportation-decision",
        agencies=PROBATION,
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        urgent=True,
        title=_l("A decision has been made about deporting the offender"),
        what_this_means=_l(
            "The Home Office has made a decision about whether the offender will be deported. Deportation "
            "means being sent from the UK to another country, and not being allowed to come back."
        ),
        what_happens_next=_l(
            "Your Victim Liaison Officer can tell you more. %(safety)s",
            safety=SAFETY_VLO,
        ),
        review_right=None,
        details_schema=schema(
            {
                "decision": choice(
                    "What was decided or has happened.",
                    ("to-be-deported", "early-removal", "deported", "not-to-be-deported"),
                ),
                "expected_date": date_field("When removal from the UK is expected, if it is known."),
            },
            {"decision": "early-removal", "expected_date": "2027-08-30"},
        ),
        sentences=(
            Sentence(
                "decision",
                _l(
                    "The Home Office has decided to deport the offender. The offender may be able to appeal "
                    "against this decision."
                ),
                when="to-be-deported",
            ),
            Sentence(
                "decision",
                _l(
                    "The offender will be removed from the UK before the end of their time in prison. This "
                    "is called the Early Removal Scheme. If they come back to the UK, they can be arrested "
                    "and returned to prison."
                ),
                when="early-removal",
            ),
            Sentence("decision", _l("The offender has been deported from the UK."), when="deported"),
            Sentence(
                "decision",
                _l(
                    "The offender will not be deported, so they will stay in the UK. Your Victim Liaison "
                    "Officer will tell you about their release and any conditions that protect you."
                ),
                when="not-to-be-deported",
            ),
            Sentence("expected_date", _l("This is expected to happen on or after {expected_date}.")),
        ),
    ),
)
