"""Police updates during the investigation (Victims' Code rights 2, 3, 4 and 6)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.services.vocabulary.model import (
    OFFICER_SENTENCES,
    POLICE_VRR,
    VPS,
    Agency,
    EventType,
    Sentence,
    date_field,
    flag,
    officer_fields,
    schema,
    text,
    text_list,
)

POLICE = (Agency.POLICE,)

SAFETY_ADVICE = _l(
    "If you are in danger, call 999. If it is not an emergency, you can call 101 and give your crime "
    "reference number."
)

BAIL_EXPLAINED = _l(
    "Bail means the suspect can leave the police station, but must follow rules, called bail "
    "conditions, until the police make a decision. If they break the conditions, they can be arrested."
)

_REASON = text("The reason for the decision, in plain English, written for the victim.", 600)
_REASON_SENTENCE = Sentence("reason", _l("The police gave this reason: {reason}."))
#: The police Victims' Right to Review applies only when a suspect was interviewed under caution and the
#: police then decided not to charge or not to refer the case to the CPS (DOMAIN.md).
_INTERVIEWED = flag(
    "True when a suspect was interviewed under caution before this decision. The police Victims' Right "
    "to Review is offered only then: leave it out or false when no suspect was identified or interviewed."
)
_NO_FURTHER_ACTION_CALM = _l(
    "This does not mean that you were not believed. The police can look at the case again if new "
    "information comes to light."
)

INVESTIGATION_TYPES: tuple[EventType, ...] = (
    EventType(
        # The Code says a crime is recorded "without unjustified delay" and the victim told at once.
        # We model "without delay" as 1 working day (standard and enhanced). It is our reading, not a
        # figure from the Code, so it is marked unconfirmed and can be overridden in configuration.
        code="crime-recorded",
        agencies=POLICE,
        rights=(2, 3, 7),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="investigation",
        title=_l("The crime you reported has been recorded"),
        what_this_means=_l(
            "The police have recorded the crime you reported. This means it is now on police records and "
            "will be looked at."
        ),
        what_happens_next=_l(
            "The police will decide whether to investigate and what to do next. They will tell you about "
            "important progress, and you will be offered help from a support service."
        ),
        # The Code offers a Victim Personal Statement when the victim gives a witness statement.
        review_right=VPS,
        review_right_if="witness_statement_taken",
        details_schema=schema(
            {
                "crime_reference": text("The crime reference number the victim should quote.", 40),
                "witness_statement_taken": flag(
                    "True when the police have taken the victim's witness statement (a Victim Personal "
                    "Statement is then offered)."
                ),
                **officer_fields(),
            },
            {
                "crime_reference": "42/11873/27",
                "witness_statement_taken": True,
                "officer_name": "PC Jo Evans",
                "officer_contact": "01632 960 418",
            },
        ),
        sentences=(
            Sentence(
                "crime_reference",
                _l(
                    "Your crime reference number is {crime_reference}. Keep it safe: you may need it if "
                    "you contact the police or a support service."
                ),
            ),
            *OFFICER_SENTENCES,
        ),
    ),
    EventType(
        code="support-referral-made",
        agencies=POLICE,
        rights=(4,),
        standard_days=2,
        enhanced_days=2,
        unconfirmed=False,
        milestone=False,
        category="investigation",
        title=_l("You have been referred for support"),
        what_this_means=_l(
            "The police have passed your contact details to a service that supports people affected by "
            "crime, so they can offer you help. Their help is free and confidential."
        ),
        what_happens_next=_l(
            "The support service will contact you to offer help. You do not have to accept it. If you do "
            "not want them to contact you, tell them when they get in touch, or tell the police."
        ),
        review_right=None,
        details_schema=schema(
            {
                "service_name": text("Name of the support service, e.g. 'Victim Support'.", 120),
                "service_phone": text("The support service's phone number.", 30),
            },
            {"service_name": "Victim Support", "service_phone": "0808 168 9111"},
        ),
        sentences=(
            Sentence("service_name", _l("The service is {service_name}.")),
            Sentence("service_phone", _l("You can call them on {service_phone}."), section="next"),
        ),
    ),
    EventType(
        code="investigation-update",
        agencies=POLICE,
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=False,
        category="investigation",
        title=_l("An update on the investigation"),
        what_this_means=_l("The police have an update on how the investigation is going."),
        what_happens_next=_l(
            "The police are still investigating. They will tell you when something changes."
        ),
        review_right=None,
        details_schema=schema(
            {
                "next_update_by": date_field("When the police expect to update the victim again."),
                **officer_fields(),
            },
            {
                "next_update_by": "2027-04-16",
                "officer_name": "DC Sam Patel",
                "officer_contact": "01632 960 201",
            },
        ),
        sentences=(
            Sentence(
                "next_update_by", _l("They expect to update you again by {next_update_by}."), section="next"
            ),
            *OFFICER_SENTENCES,
        ),
    ),
    EventType(
        code="suspect-arrested",
        agencies=POLICE,
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="investigation",
        title=_l("Someone has been arrested"),
        what_this_means=_l("The police arrested a suspect on {occurred_date}."),
        what_happens_next=_l(
            "The police will usually interview the suspect. They may then charge them, release them on "
            "bail with conditions, release them while they investigate further, or take no further action. "
            "The police will tell you what they decide."
        ),
        review_right=None,
        details_schema=schema(
            officer_fields(), {"officer_name": "DC Sam Patel", "officer_contact": "01632 960 201"}
        ),
        sentences=OFFICER_SENTENCES,
    ),
    EventType(
        code="suspect-interviewed",
        agencies=POLICE,
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=False,
        category="investigation",
        title=_l("The suspect has been interviewed"),
        what_this_means=_l("The police interviewed the suspect on {occurred_date}."),
        what_happens_next=_l(
            "The police will look at all the evidence. For some crimes the police decide whether to charge "
            "someone. For more serious crimes they ask the Crown Prosecution Service (CPS) to decide. The "
            "police will tell you what happens."
        ),
        review_right=None,
        details_schema=schema(
            officer_fields(), {"officer_name": "DC Sam Patel", "officer_contact": "01632 960 201"}
        ),
        sentences=OFFICER_SENTENCES,
    ),
    EventType(
        code="suspect-released-no-further-action",
        agencies=POLICE,
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="investigation",
        title=_l("The police are taking no further action"),
        what_this_means=_l(
            "The police have decided not to take any further action against the suspect, and they have "
            "been released. This means they will not be charged with this crime at the moment."
        ),
        what_happens_next=_NO_FURTHER_ACTION_CALM,
        review_right=POLICE_VRR,
        review_right_if="suspect_interviewed_under_caution",
        details_schema=schema(
            {"reason": _REASON, "suspect_interviewed_under_caution": _INTERVIEWED, **officer_fields()},
            {
                "reason": "there is not enough evidence to give a realistic chance of a conviction",
                "suspect_interviewed_under_caution": True,
                "officer_name": "DC Sam Patel",
                "officer_contact": "01632 960 201",
            },
        ),
        sentences=(_REASON_SENTENCE, *OFFICER_SENTENCES),
    ),
    EventType(
        code="suspect-bailed",
        agencies=POLICE,
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="investigation",
        title=_l("The suspect has been released on bail"),
        what_this_means=BAIL_EXPLAINED,
        what_happens_next=SAFETY_ADVICE,
        review_right=None,
        details_schema=schema(
            {
                "bail_conditions": text_list("Bail conditions that protect the victim, in plain English."),
                "bail_until": date_field("The date the bail lasts until."),
            },
            {
                "bail_conditions": [
                    "not to contact you directly or through anyone else",
                    "not to go to Elm Road, Leeds",
                ],
                "bail_until": "2027-05-14",
            },
        ),
        sentences=(
            Sentence("bail_conditions", _l("The conditions include: {bail_conditions}.")),
            Sentence("bail_until", _l("The bail lasts until {bail_until}, unless it is changed.")),
        ),
    ),
    EventType(
        # Police bail before charge, or court bail after it (then Witness Care tells the victim).
        code="bail-conditions-changed",
        agencies=(Agency.POLICE, Agency.WITNESS_CARE),
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="investigation",
        title=_l("Bail conditions have changed"),
        what_this_means=_l(
            "The rules that the suspect or defendant must follow while on bail, called bail conditions, have "
            "changed. If they break them, they can be arrested."
        ),
        what_happens_next=SAFETY_ADVICE,
        review_right=None,
        details_schema=schema(
            {
                "bail_conditions": text_list("The bail conditions now in force, in plain English."),
                "bail_until": date_field("The date the bail now lasts until."),
                "reason": text("Why the conditions changed, in plain English.", 600),
            },
            {
                "bail_conditions": ["not to contact you directly or through anyone else"],
                "bail_until": "2027-06-11",
                "reason": "the suspect has moved to a new address",
            },
        ),
        sentences=(
            Sentence("bail_conditions", _l("The conditions are now: {bail_conditions}.")),
            Sentence("bail_until", _l("The bail lasts until {bail_until}, unless it is changed.")),
            Sentence("reason", _l("The reason for the change is: {reason}.")),
        ),
    ),
    EventType(
        code="suspect-released-under-investigation",
        agencies=POLICE,
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="investigation",
        title=_l("The suspect has been released while the police investigate"),
        what_this_means=_l(
            "The suspect has been released without being charged, while the police continue to "
            "investigate. This is called being released under investigation. There are no bail conditions, "
            "so they do not have to follow any rules set by the police."
        ),
        what_happens_next=_l(
            "The police will tell you when they make a decision. If you are in danger, call 999. If it is "
            "not an emergency, you can call 101 and give your crime reference number."
        ),
        review_right=None,
        details_schema=schema(
            officer_fields(), {"officer_name": "DC Sam Patel", "officer_contact": "01632 960 201"}
        ),
        sentences=OFFICER_SENTENCES,
    ),
    EventType(
        code="investigation-closed",
        agencies=POLICE,
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="investigation",
        title=_l("The police have closed the investigation"),
        what_this_means=_l(
            "The police have closed the investigation. This means they are not taking it any further at "
            "the moment."
        ),
        what_happens_next=_NO_FURTHER_ACTION_CALM,
        review_right=POLICE_VRR,
        review_right_if="suspect_interviewed_under_caution",
        details_schema=schema(
            {"reason": _REASON, "suspect_interviewed_under_caution": _INTERVIEWED, **officer_fields()},
            {
                # No suspect was identified, so nobody was interviewed: no Victims' Right to Review.
                "reason": "all the lines of enquiry have been followed and no suspect has been identified",
                "suspect_interviewed_under_caution": False,
                "officer_name": "DC Sam Patel",
                "officer_contact": "01632 960 201",
            },
        ),
        sentences=(_REASON_SENTENCE, *OFFICER_SENTENCES),
    ),
    EventType(
        code="out-of-court-resolution",
        agencies=POLICE,
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="investigation",
        title=_l("The police have dealt with this without going to court"),
        what_this_means=_l(
            "The police have dealt with the crime without taking it to court. This is called an out of "
            "court resolution. It can only be used when the person responsible has admitted the crime or "
            "accepted responsibility for it."
        ),
        what_happens_next=_l(
            "There will be no court case for this crime. If you are unhappy with how it was dealt with, you "
            "can contact the police, or make a complaint."
        ),
        review_right=None,
        details_schema=schema(
            {
                "resolution": text(
                    "What was decided, in plain English, e.g. 'a conditional caution' or 'a community "
                    "resolution'.",
                    200,
                ),
                "conditions": text_list("Conditions the person must keep to, in plain English."),
            },
            {
                "resolution": "a conditional caution",
                "conditions": ["to pay you £150 for the damage to your car", "to write a letter of apology"],
            },
        ),
        sentences=(
            Sentence("resolution", _l("The outcome is {resolution}.")),
            Sentence("conditions", _l("The conditions include: {conditions}.")),
        ),
    ),
)
