"""Probation Service updates after sentence: Victim Contact Scheme, parole and release (Code right 11)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.services.vocabulary.model import (
    PAROLE_RECONSIDERATION,
    PAROLE_VPS,
    VCS_OPT_IN,
    Agency,
    EventType,
    OfferedRight,
    Sentence,
    choice,
    date_field,
    flag,
    schema,
    text,
    text_list,
)

PROBATION = (Agency.PROBATION,)

_SAFETY = _l(
    "If the offender contacts you when they should not, or you feel unsafe, call 999 if you are in danger. "
    "Otherwise, tell your Victim Liaison Officer."
)
_CONDITIONS = text_list(
    "Licence conditions that protect the victim, in plain English, e.g. exclusion zones and no-contact "
    "conditions."
)
_CONDITIONS_SENTENCE = Sentence("conditions", _l("The conditions that protect you include: {conditions}."))
_CONDITIONS_EXAMPLE = [
    "not to contact you directly or through anyone else",
    "not to enter an area of north Leeds shown on a map your Victim Liaison Officer can share with you",
]

PROBATION_TYPES: tuple[EventType, ...] = (
    EventType(
        code="vcs-referral",
        agencies=PROBATION,
        rights=(11,),
        # The Code's 10 working days run from the date of sentence, not from when probation heard.
        standard_days=10,
        enhanced_days=10,
        unconfirmed=False,
        milestone=True,
        category="victim-contact-scheme",
        title=_l("You have been referred to the Victim Contact Scheme"),
        what_this_means=_l(
            "You have been referred to the Victim Contact Scheme. It is run by the Probation Service for "
            "victims of serious violent or sexual crimes, where the offender was sent to prison for 12 "
            "months or more, or to a secure hospital."
        ),
        what_happens_next=_l(
            "A Victim Liaison Officer from the Probation Service will contact you to explain the scheme. You "
            "can choose whether to join."
        ),
        review_right=VCS_OPT_IN,
        details_schema=schema(
            {"sentence_date": date_field("The date of sentence. The Code's 10 working days run from it.")},
            {"sentence_date": "2027-03-01"},
        ),
        counts_from="sentence",
    ),
    EventType(
        code="vlo-contact",
        agencies=PROBATION,
        rights=(11,),
        # The Code's 20 working days run from the referral to the Probation Service.
        standard_days=20,
        enhanced_days=20,
        unconfirmed=False,
        milestone=False,
        category="victim-contact-scheme",
        title=_l("Your Victim Liaison Officer"),
        what_this_means=_l(
            "A Victim Liaison Officer from the Probation Service is now looking after you. They will tell "
            "you about important points in the offender's sentence, and can ask for conditions to protect "
            "you when the offender is released."
        ),
        what_happens_next=_l(
            "Your Victim Liaison Officer will be in touch. You can tell them what you want to know, and you "
            "can leave the Victim Contact Scheme at any time."
        ),
        review_right=None,
        details_schema=schema(
            {
                "referral_date": date_field(
                    "The date of the referral. The Code's 20 working days run from it."
                ),
                "vlo_name": text("The Victim Liaison Officer's name.", 100),
                "vlo_contact": text("How to contact the Victim Liaison Officer: phone or email.", 100),
            },
            {"referral_date": "2027-03-09", "vlo_name": "Priya Shah", "vlo_contact": "01632 960 777"},
        ),
        counts_from="referral",
        sentences=(
            Sentence("vlo_name", _l("Your Victim Liaison Officer is {vlo_name}.")),
            Sentence("vlo_contact", _l("You can contact your Victim Liaison Officer on {vlo_contact}.")),
        ),
    ),
    EventType(
        code="parole-review-started",
        agencies=PROBATION,
        rights=(7, 11),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        title=_l("The Parole Board is reviewing the offender's case"),
        what_this_means=_l(
            "The Parole Board has started to review the offender's case. It will decide whether the offender "
            "can safely be released, or moved to an open prison."
        ),
        what_happens_next=_l(
            "Your Victim Liaison Officer can help you write your statement, and can ask for conditions to "
            "protect you if the offender is released, such as not contacting you. They will tell you what "
            "the Parole Board decides."
        ),
        review_right=PAROLE_VPS,
        details_schema=schema(
            {"statement_by": date_field("The date the Parole Board needs the victim's statement by.")},
            {"statement_by": "2027-06-18"},
        ),
    ),
    EventType(
        code="licence-conditions-set",
        agencies=PROBATION,
        rights=(11,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        title=_l("Conditions have been set for the offender's release"),
        what_this_means=_l(
            "Conditions have been set that the offender must follow when they are released. These are "
            "called licence conditions. If the offender breaks them, they can be sent back to prison."
        ),
        what_happens_next=_SAFETY,
        review_right=None,
        details_schema=schema({"conditions": _CONDITIONS}, {"conditions": _CONDITIONS_EXAMPLE}),
        sentences=(_CONDITIONS_SENTENCE,),
    ),
    EventType(
        code="release-date-set",
        agencies=PROBATION,
        rights=(11,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        title=_l("The offender has a release date"),
        what_this_means=_l("The offender is due to be released from prison on {release_date}."),
        what_happens_next=_l(
            "Release dates can change: your Victim Liaison Officer will tell you if it does, and about the "
            "conditions the offender must follow when they are released. If you are worried about your "
            "safety, tell your Victim Liaison Officer."
        ),
        review_right=None,
        details_schema=schema(
            {"release_date": date_field("The date the offender is due to be released.")},
            {"release_date": "2028-09-15"},
            required=("release_date",),
        ),
    ),
    EventType(
        code="offender-released",
        agencies=PROBATION,
        rights=(11,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        title=_l("The offender has been released"),
        what_this_means=_l(
            "The offender was released from prison on {occurred_date}. If they are released on licence, the "
            "Probation Service will supervise them and they must follow their licence conditions."
        ),
        what_happens_next=_SAFETY,
        review_right=None,
        details_schema=schema({"conditions": _CONDITIONS}, {"conditions": _CONDITIONS_EXAMPLE}),
        sentences=(_CONDITIONS_SENTENCE,),
    ),
    EventType(
        code="offender-recalled",
        agencies=PROBATION,
        rights=(11,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        title=_l("The offender has been sent back to prison"),
        what_this_means=_l(
            "The offender has been sent back to prison. This is called a recall. It can happen when someone "
            "breaks their licence conditions, or when the Probation Service believes they are a risk to "
            "others."
        ),
        what_happens_next=_l(
            "Your Victim Liaison Officer will tell you if the offender may be released again, and when."
        ),
        review_right=None,
        details_schema=schema({}, {}),
    ),
    EventType(
        # A milestone because a move to an open prison can mean temporary release: a safety matter.
        code="offender-transferred",
        agencies=PROBATION,
        rights=(11,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        title=_l("The offender has moved"),
        what_this_means=_l("The offender has moved to a different prison or secure hospital."),
        what_happens_next=_l(
            "Your Victim Liaison Officer can tell you more, and can ask for conditions to protect you if "
            "the offender is allowed out for short periods."
        ),
        review_right=None,
        details_schema=schema(
            {"open_conditions": flag("True when the offender has moved to an open prison.")},
            {"open_conditions": True},
        ),
        sentences=(
            Sentence(
                "open_conditions",
                _l(
                    "They have moved to an open prison. This means there is less security, and they may be "
                    "allowed out for short periods, for example to work."
                ),
                when=True,
            ),
        ),
    ),
    EventType(
        code="parole-decision",
        agencies=PROBATION,
        rights=(11,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="parole-and-release",
        title=_l("The Parole Board has made a decision"),
        what_this_means=_l("The Parole Board made its decision about the offender on {decision_date}."),
        what_happens_next=_l(
            "You can ask for a summary of the Parole Board's reasons for its decision: your Victim Liaison "
            "Officer can ask for it for you. They will also tell you about any conditions that protect you."
        ),
        # Open conditions are a recommendation to the Secretary of State, not a decision that can be
        # reconsidered (Parole Board Rules 2019, rule 28).
        review_right=None,
        more_rights=(OfferedRight(PAROLE_RECONSIDERATION, unless=("outcome", "open-conditions")),),
        details_schema=schema(
            {
                "decision_date": date_field(
                    "The date of the Parole Board's decision. The 21 calendar days for asking for it to be "
                    "reconsidered run from it."
                ),
                "outcome": choice(
                    "What the Parole Board decided.", ("release", "no-release", "open-conditions")
                ),
                "conditions": _CONDITIONS,
            },
            {"decision_date": "2027-06-29", "outcome": "release", "conditions": _CONDITIONS_EXAMPLE},
            required=("decision_date",),
        ),
        sentences=(
            Sentence(
                "outcome",
                _l(
                    "It decided that the offender can be released on licence. They must follow licence "
                    "conditions, and can be sent back to prison if they break them."
                ),
                when="release",
            ),
            Sentence(
                "outcome",
                _l("It decided that the offender should stay in prison. Their case will be reviewed again."),
                when="no-release",
            ),
            Sentence(
                "outcome",
                _l(
                    "It recommended that the offender moves to an open prison, where there is less security. "
                    "The Secretary of State for Justice decides whether to accept this."
                ),
                when="open-conditions",
            ),
            _CONDITIONS_SENTENCE,
        ),
    ),
    EventType(
        code="parole-summary-available",
        agencies=PROBATION,
        rights=(11,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=False,
        category="parole-and-release",
        title=_l("A summary of the Parole Board's reasons"),
        what_this_means=_l(
            "The Parole Board has written a summary of the reasons for its decision about the offender. It "
            "leaves out some information, for example to protect people's safety or privacy."
        ),
        what_happens_next=_l("If you have questions about the summary, contact your Victim Liaison Officer."),
        review_right=None,
        details_schema=schema(
            {"summary": choice("Whether the summary was sent to the victim.", ("sent", "on-request"))},
            {"summary": "sent"},
        ),
        sentences=(
            Sentence("summary", _l("Your Victim Liaison Officer has sent it to you."), when="sent"),
            Sentence("summary", _l("You can ask your Victim Liaison Officer for a copy."), when="on-request"),
            Sentence(
                "summary",
                _l("You can ask your Victim Liaison Officer for a copy, if you do not already have one."),
                if_absent=True,
            ),
        ),
    ),
)
