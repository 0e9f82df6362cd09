"""Outcome updates from witness care units: verdict, sentence and appeals (Victims' Code rights 7, 9, 11)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.services.vocabulary.model import (
    VCS_OPT_IN,
    Agency,
    EventType,
    Sentence,
    choice,
    datetime_field,
    flag,
    schema,
    text,
)

WITNESS_CARE = (Agency.WITNESS_CARE,)

_APPEAL_HEARING = {
    "hearing_at": datetime_field("When the appeal will be heard, with its UTC offset, if it is known."),
    "court_name": text("The court hearing the appeal, e.g. 'Leeds Crown Court'.", 120),
    "court_address": text("The court's full address, including postcode.", 300),
}

OUTCOME_TYPES: tuple[EventType, ...] = (
    EventType(
        code="verdict",
        agencies=WITNESS_CARE,
        rights=(7, 9),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="outcome",
        title=_l("The court has reached a verdict"),
        what_this_means=_l(
            "The court has reached its verdict. This is its decision on whether the defendant is guilty."
        ),
        what_happens_next=_l(
            "If the defendant was found guilty of any charge, the court will decide the sentence, either "
            "straight away or at a later hearing. You can make a Victim Personal Statement: this tells the "
            "court how the crime has affected you, and the court will consider it when deciding the "
            "sentence. Witness Care can help you with this."
        ),
        review_right=None,
        details_schema=schema(
            {
                "verdict_summary": text(
                    "The verdict on each charge in plain English, e.g. 'guilty of assault causing actual "
                    "bodily harm'.",
                    600,
                ),
                "sentencing_at": datetime_field("When the sentencing hearing will be, if it is known."),
            },
            {
                "verdict_summary": "guilty of assault causing actual bodily harm",
                "sentencing_at": "2027-04-28T10:00:00+01:00",
            },
        ),
        sentences=(
            Sentence("verdict_summary", _l("The verdict is: {verdict_summary}.")),
            Sentence(
                "sentencing_at",
                _l("The court will decide the sentence on {sentencing_date} at {sentencing_time}."),
                section="next",
            ),
        ),
    ),
    EventType(
        code="sentence",
        agencies=WITNESS_CARE,
        rights=(9, 11),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="outcome",
        title=_l("The court has decided the sentence"),
        what_this_means=_l("The court has decided the offender's sentence."),
        what_happens_next=_l(
            "For some crimes dealt with in the Crown Court, if you think the sentence is too low you can ask "
            "for it to be reviewed. This is called the Unduly Lenient Sentence scheme. You must ask within "
            "28 days of the sentence."
        ),
        review_right=VCS_OPT_IN,
        review_right_if="vcs_eligible",
        details_schema=schema(
            {
                "sentence_summary": text(
                    "The sentence in plain English, including how much of it is usually served in prison.",
                    600,
                ),
                "vcs_eligible": flag("True when the victim is eligible for the Victim Contact Scheme."),
            },
            {
                "sentence_summary": (
                    "3 years in prison. They will usually serve half of this in prison and the rest in the "
                    "community, under supervision"
                ),
                "vcs_eligible": True,
            },
        ),
        sentences=(
            Sentence("sentence_summary", _l("The sentence is: {sentence_summary}.")),
            Sentence(
                "vcs_eligible",
                _l(
                    "Because of the type of crime and the length of the sentence, you can join the Victim "
                    "Contact Scheme. The Probation Service will contact you about it."
                ),
                when=True,
                section="next",
            ),
        ),
    ),
    EventType(
        code="appeal-lodged",
        agencies=WITNESS_CARE,
        rights=(9,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=False,
        category="outcome",
        title=_l("An appeal has been made"),
        what_this_means=_l(
            "The offender has appealed. This means they have asked a higher court to look at the case again."
        ),
        what_happens_next=_l(
            "Witness Care will tell you about the appeal hearing and whether you need to go. Until the "
            "appeal is decided, the verdict and sentence stay as they are."
        ),
        review_right=None,
        details_schema=schema(
            {
                "appeal_against": choice(
                    "What the appeal is against.", ("conviction", "sentence", "conviction-and-sentence")
                ),
                **_APPEAL_HEARING,
            },
            {
                "appeal_against": "conviction",
                "hearing_at": "2027-07-02T10:30:00+01:00",
                "court_name": "Leeds Crown Court",
            },
        ),
        sentences=(
            Sentence(
                "appeal_against", _l("They are appealing against being found guilty."), when="conviction"
            ),
            Sentence("appeal_against", _l("They are appealing against their sentence."), when="sentence"),
            Sentence(
                "appeal_against",
                _l("They are appealing against being found guilty and against their sentence."),
                when="conviction-and-sentence",
            ),
            Sentence("hearing_at", _l("The appeal will be heard on {hearing_date} at {hearing_time}.")),
            Sentence("court_name", _l("It will be heard at {court_name}.")),
            Sentence("court_address", _l("The court's address is {court_address}.")),
        ),
    ),
    EventType(
        code="appeal-outcome",
        agencies=WITNESS_CARE,
        rights=(9,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="outcome",
        title=_l("The appeal has been decided"),
        what_this_means=_l("The court has decided the appeal."),
        what_happens_next=_l(
            "Witness Care will tell you if anything else will happen. If you have questions about what the "
            "decision means for you, contact Witness Care."
        ),
        review_right=None,
        details_schema=schema(
            {"outcome_summary": text("What the court decided, in plain English.", 600)},
            {"outcome_summary": "the appeal was dismissed, so the sentence stays the same"},
        ),
        sentences=(Sentence("outcome_summary", _l("The court decided: {outcome_summary}.")),),
    ),
)
