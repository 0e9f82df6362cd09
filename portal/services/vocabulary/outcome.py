"""Outcome updates from witness care units: verdict, sentence and appeals (Victims' Code rights 7, 9, 11)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.services.vocabulary.model import (
    UNDULY_LENIENT_SENTENCE,
    VCS_OPT_IN,
    VPS_BEFORE_SENTENCE,
    Agency,
    EventType,
    OfferedRight,
    Sentence,
    choice,
    date_field,
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
            "straight away or at a later hearing."
        ),
        # A Victim Personal Statement is offered again before sentence (Code right 7).
        review_right=VPS_BEFORE_SENTENCE,
        review_right_if="guilty",
        details_schema=schema(
            {
                "verdict_summary": text(
                    "The verdict on each charge in plain English, e.g. 'guilty of assault causing actual "
                    "bodily harm'.",
                    600,
                ),
                "guilty": flag("True when the defendant was found guilty of at least one charge."),
                "sentencing_at": datetime_field("When the sentencing hearing will be, if it is known."),
            },
            {
                "verdict_summary": "guilty of assault causing actual bodily harm",
                "guilty": True,
                "sentencing_at": "2027-04-28T10:00:00+01:00",
            },
        ),
        sentences=(
            Sentence("verdict_summary", _l("The verdict is: {verdict_summary}.")),
            Sentence(
                "guilty",
                _l("As the defendant was found not guilty, there will be no sentence for these charges."),
                when=False,
                section="next",
            ),
            Sentence(
                "guilty",
                _l(
                    "If they were found guilty, you can make a Victim Personal Statement before the sentence, "
                    "or add to the one you made, to tell the court how the crime has affected you: Witness "
                    "Care can help you with this. The defendant and their lawyers will see it."
                ),
                if_absent=True,
                section="next",
            ),
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
            "If the sentence includes time in prison, the offender may not spend all of it there. Most "
            "people given a prison sentence of a fixed length are released automatically part of the way "
            "through it, and spend the rest on licence in the community, under supervision. When that "
            "happens depends on the sentence and the crime. If you have questions about the sentence, "
            "contact Witness Care."
        ),
        review_right=VCS_OPT_IN,
        review_right_if="vcs_eligible",
        more_rights=(OfferedRight(UNDULY_LENIENT_SENTENCE),),
        details_schema=schema(
            {
                "sentence_summary": text(
                    "The sentence in plain English, with what applies to it: for a prison sentence, when the "
                    "offender is released automatically or can apply for parole, as the law applies to this "
                    "sentence. Never promise a fraction: since 10 September 2024 many standard sentences are "
                    "released at 40%, not half, and some crimes are excluded.",
                    600,
                ),
                "sentence_date": date_field(
                    "The date of sentence. The Unduly Lenient Sentence scheme's 28 days run from it."
                ),
                "vcs_eligible": flag("True when the victim is eligible for the Victim Contact Scheme."),
            },
            {
                "sentence_summary": (
                    "3 years in prison. They will be released automatically part of the way through, and "
                    "spend the rest of the 3 years on licence in the community, under supervision. They can "
                    "be sent back to prison if they break the conditions of their licence"
                ),
                "sentence_date": "2027-03-01",
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
