"""Safety news from court and the police: warrants for an arrest, and restraining orders.

Warrants follow the court timescale of Code right 8 (5/1 working days). Restraining orders are urgent
safety news (DOMAIN.md: 1/1 working days, unconfirmed so configurable): sent at once to every safe
channel. Titles name no person, place or offence.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.services.vocabulary.model import (
    Agency,
    EventType,
    Sentence,
    choice,
    date_field,
    datetime_field,
    flag,
    officer_fields,
    schema,
    text,
    text_list,
)

WITNESS_CARE = (Agency.WITNESS_CARE,)

_IN_DANGER = _l(
    "If you are in danger, call 999. If the defendant contacts you when they should not, and it is not an "
    "emergency, call 101."
)
_ORDER_BREACH_ADVICE = _l(
    "If you are in danger, call 999. If the person breaks the order while it is in force and it is not an "
    "emergency, call 101 and say that there is a restraining order. It helps to keep a note of anything "
    "they do that breaks it, with dates and times."
)

_BAIL_DECISION = choice("What the court decided.", ("remanded-in-custody", "bail-granted"))
_BAIL_CONDITIONS = text_list("Bail conditions that protect the victim, in plain English.")
_TERMS = text_list(
    "The terms of the order that protect the victim, in plain English, e.g. 'not to contact you directly "
    "or through anyone else'."
)
_TERMS_EXAMPLE = [
    "not to contact you directly or through anyone else, including online",
    "not to go within 100 metres of your home",
]
_ORDER_UNTIL = date_field("The date the order ends, if it has an end date.")
_COURT = text("The court's name, e.g. 'Leeds Crown Court'.", 120)


def _order_fields(terms_description: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "terms": terms_description,
        "order_until": _ORDER_UNTIL,
        "until_further_order": flag("True when the order has no end date and lasts until a court ends it."),
        "court_name": _COURT,
    }


_ORDER_LASTS: tuple[Sentence, ...] = (
    Sentence("order_until", _l("The order lasts until {order_until}.")),
    Sentence("until_further_order", _l("The order lasts until a court changes or ends it."), when=True),
)

SAFETY_TYPES: tuple[EventType, ...] = (
    EventType(
        code="arrest-warrant-issued",
        agencies=WITNESS_CARE,
        rights=(8,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="court",
        title=_l("A warrant has been issued for an arrest"),
        what_this_means=_l(
            "The defendant did not come to court when they had to, so the court has issued a warrant for "
            "their arrest. This means the police can arrest them and bring them to court."
        ),
        what_happens_next=_l(
            "Witness Care will tell you when the defendant has been arrested, and about any new court dates. "
            "%(advice)s",
            advice=_IN_DANGER,
        ),
        review_right=None,
        details_schema=schema(
            {
                "missed_hearing_at": datetime_field("When the hearing the defendant did not come to was."),
                "court_name": _COURT,
                "warrant": choice(
                    "Whether the warrant lets the police release the defendant on bail once arrested.",
                    ("not-backed-for-bail", "backed-for-bail"),
                ),
                "bail_conditions": _BAIL_CONDITIONS,
            },
            {
                "missed_hearing_at": "2027-04-20T10:00:00+01:00",
                "court_name": "Leeds Magistrates' Court",
                "warrant": "not-backed-for-bail",
            },
        ),
        sentences=(
            Sentence("missed_hearing_at", _l("They were due at court on {missed_hearing_date}.")),
            Sentence("court_name", _l("The warrant was issued by {court_name}.")),
            Sentence(
                "warrant",
                _l("When they are arrested, they will be kept in custody until they can be taken to court."),
                when="not-backed-for-bail",
            ),
            Sentence(
                "warrant",
                _l(
                    "When they are arrested, the police can release them on bail to come to court on a set day."
                ),
                when="backed-for-bail",
            ),
            Sentence(
                "bail_conditions",
                _l("If they are released on bail, the conditions include: {bail_conditions}."),
            ),
        ),
    ),
    EventType(
        code="offender-arrested-on-warrant",
        agencies=WITNESS_CARE,
        rights=(8,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="court",
        title=_l("The defendant has been arrested on a warrant"),
        what_this_means=_l(
            "The defendant has been arrested on the warrant the court issued when they did not come to "
            "court. A court decides whether they are kept in custody or released on bail until the case "
            "continues."
        ),
        what_happens_next=_l(
            "Witness Care will tell you about any new court dates. %(advice)s",
            advice=_IN_DANGER,
        ),
        review_right=None,
        details_schema=schema(
            {
                "decision": _BAIL_DECISION,
                "bail_conditions": _BAIL_CONDITIONS,
                "hearing_at": datetime_field("When the next hearing is, if it is known."),
                "court_name": _COURT,
            },
            {
                "decision": "remanded-in-custody",
                "hearing_at": "2027-05-04T10:00:00+01:00",
                "court_name": "Leeds Crown Court",
            },
        ),
        sentences=(
            Sentence(
                "decision",
                _l("The court has decided to keep the defendant in custody, which means held in prison."),
                when="remanded-in-custody",
            ),
            Sentence(
                "decision",
                _l("The court has released the defendant on bail, with conditions."),
                when="bail-granted",
            ),
            Sentence("bail_conditions", _l("The bail conditions include: {bail_conditions}.")),
            Sentence(
                "hearing_at", _l("The next hearing is on {hearing_date} at {hearing_time}."), section="next"
            ),
            Sentence("court_name", _l("It will be at {court_name}."), section="next"),
        ),
    ),
    EventType(
        code="restraining-order-made",
        agencies=(Agency.WITNESS_CARE, Agency.POLICE),
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="court",
        urgent=True,
        title=_l("A court order has been made to protect you"),
        what_this_means=_l(
            "The court has made a restraining order to protect you. It forbids the person it is made against "
            "from doing the things it lists. Breaking it without a reasonable excuse is a crime: they can be "
            "arrested and prosecuted."
        ),
        what_happens_next=_ORDER_BREACH_ADVICE,
        review_right=None,
        details_schema=schema(
            _order_fields(_TERMS),
            {
                "terms": _TERMS_EXAMPLE,
                "order_until": "2029-03-01",
                "court_name": "Leeds Crown Court",
            },
        ),
        sentences=(
            Sentence("terms", _l("The order says the person must follow these terms: {terms}.")),
            *_ORDER_LASTS,
            Sentence("court_name", _l("The order was made at {court_name}.")),
        ),
    ),
    EventType(
        code="restraining-order-varied",
        agencies=(Agency.WITNESS_CARE, Agency.POLICE),
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="court",
        urgent=True,
        title=_l("A court order protecting you has changed"),
        what_this_means=_l("The court has changed the restraining order that protects you."),
        what_happens_next=_ORDER_BREACH_ADVICE,
        review_right=None,
        details_schema=schema(
            {
                "change": choice(
                    "What the court changed.", ("terms-changed", "extended", "shortened", "ended")
                ),
                **_order_fields(
                    text_list("The terms of the order now, that protect the victim, in plain English.")
                ),
                "reason": text("Why the court changed the order, in plain English.", 600),
            },
            {
                "change": "extended",
                "terms": _TERMS_EXAMPLE,
                "order_until": "2031-03-01",
                "court_name": "Leeds Magistrates' Court",
                "reason": "the person contacted you through a friend while the order was in force",
            },
        ),
        sentences=(
            Sentence("change", _l("The terms of the order have changed."), when="terms-changed"),
            Sentence("change", _l("The order will now last longer."), when="extended"),
            Sentence("change", _l("The order will now end sooner."), when="shortened"),
            Sentence(
                "change",
                _l(
                    "The court has ended the order, so its terms no longer apply. If you feel unsafe, tell "
                    "the police, or call 999 if you are in danger."
                ),
                when="ended",
            ),
            Sentence("terms", _l("The terms are now: {terms}.")),
            *_ORDER_LASTS,
            Sentence("court_name", _l("The decision was made at {court_name}.")),
            Sentence("reason", _l("The reason is: {reason}.")),
        ),
    ),
    EventType(
        code="restraining-order-breached",
        agencies=(Agency.POLICE, Agency.WITNESS_CARE),
        rights=(11,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="court",
        urgent=True,
        title=_l("A court order protecting you has been broken"),
        what_this_means=_l(
            "The police know that the restraining order protecting you has been broken. Breaking a "
            "restraining order is a crime."
        ),
        what_happens_next=_l(
            "If you are in danger now, call 999. If the person contacts you or comes near you again, call "
            "999 if you are in danger, or 101 if it is not an emergency, and say that there is a restraining "
            "order. It helps to keep a note of anything they do, with dates and times. The police will tell "
            "you what they do next."
        ),
        review_right=None,
        details_schema=schema(
            {
                "police_action": choice(
                    "What the police have done so far.", ("arrested", "investigating", "charged")
                ),
                "crime_reference": text("The crime reference number for the breach.", 40),
                **officer_fields(),
            },
            {
                "police_action": "arrested",
                "crime_reference": "42/13302/27",
                "officer_name": "PC Jo Evans",
                "officer_contact": "01632 960 418",
            },
        ),
        sentences=(
            Sentence("police_action", _l("The police have arrested the person."), when="arrested"),
            Sentence("police_action", _l("The police are investigating."), when="investigating"),
            Sentence(
                "police_action", _l("The person has been charged with breaking the order."), when="charged"
            ),
            Sentence("crime_reference", _l("The crime reference number is {crime_reference}.")),
            Sentence("officer_name", _l("The officer dealing with it is {officer_name}."), section="next"),
            Sentence(
                "officer_contact", _l("You can contact the officer on {officer_contact}."), section="next"
            ),
        ),
    ),
)
