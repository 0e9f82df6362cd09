"""Charging and prosecution decisions from the police and the CPS (Victims' Code right 6)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.services.vocabulary.model import (
    CPS_VRR,
    CPS_VRR_NO_EVIDENCE,
    VPS,
    Agency,
    EventType,
    Sentence,
    choice,
    date_field,
    flag,
    schema,
    text,
    text_list,
)

_CHARGES = text_list("Each charge in plain English, e.g. 'assault causing actual bodily harm'.")
_CPS_REASON = text(
    "The reason for the decision in plain English, as the CPS would explain it in a letter to the victim.",
    1000,
)
_CPS_REASON_SENTENCE = Sentence("reason", _l("The CPS gave this reason: {reason}."))
_MEETING = flag("True when the CPS has offered the victim a meeting to explain the decision.")
_MEETING_SENTENCE = Sentence(
    "meeting_offered",
    _l("The CPS would like to offer you a meeting to explain the decision. Tell them if you would like one."),
    when=True,
    section="next",
)

#: CPS Victims' Right to Review limits run from the date of the CPS letter (DOMAIN.md).
_LETTER_DATE = date_field(
    "The date of the CPS letter telling the victim of this decision. The Victims' Right to Review time "
    "limits run from it; without it, they run from when the victim was told."
)
_LETTER_SENTENCE = Sentence(
    "letter_date", _l("The CPS letter about this decision is dated {letter_date}."), section="next"
)
_NOT_BELIEVED_CALM = _l(
    "This does not mean that you were not believed. If new evidence comes to light, the case can be looked "
    "at again."
)

PROSECUTION_TYPES: tuple[EventType, ...] = (
    EventType(
        code="suspect-charged",
        agencies=(Agency.POLICE, Agency.CPS),
        rights=(6, 7),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="charge-and-prosecution",
        title=_l("The suspect has been charged"),
        what_this_means=_l(
            "The suspect has been charged with a crime. This means they will be prosecuted and the case "
            "will go to court. From now on they are called the defendant."
        ),
        what_happens_next=_l(
            "There will be a first court hearing. Witness Care will tell you the date, and whether you need "
            "to go to court. You do not need to do anything now."
        ),
        review_right=VPS,
        details_schema=schema(
            {"charges": _CHARGES},
            {"charges": ["assault causing actual bodily harm", "criminal damage to a car"]},
        ),
        sentences=(Sentence("charges", _l("The charges are: {charges}.")),),
    ),
    EventType(
        code="charge-altered",
        agencies=(Agency.CPS,),
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=False,
        category="charge-and-prosecution",
        title=_l("The charges have changed"),
        what_this_means=_l(
            "The Crown Prosecution Service (CPS), which prosecutes the case, has changed the charges "
            "against the defendant."
        ),
        what_happens_next=_l(
            "The case will continue on the new charges. Witness Care will keep you up to date with court "
            "dates."
        ),
        review_right=None,
        details_schema=schema(
            {"charges": _CHARGES, "reason": _CPS_REASON, "meeting_offered": _MEETING},
            {
                "charges": ["assault by beating"],
                "reason": (
                    "the medical evidence does not show an injury serious enough for the original charge"
                ),
                "meeting_offered": True,
            },
        ),
        sentences=(
            Sentence("charges", _l("The charges are now: {charges}.")),
            _CPS_REASON_SENTENCE,
            _MEETING_SENTENCE,
        ),
    ),
    EventType(
        code="cps-no-charge-decision",
        agencies=(Agency.CPS,),
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="charge-and-prosecution",
        title=_l("A decision has been made not to charge the suspect"),
        what_this_means=_l(
            "The Crown Prosecution Service (CPS), which decides whether someone should be charged with a "
            "serious crime, has decided that the suspect should not be charged. Unless this decision is "
            "changed after a review, there will be no prosecution for this crime."
        ),
        what_happens_next=_NOT_BELIEVED_CALM,
        review_right=CPS_VRR,
        details_schema=schema(
            {"reason": _CPS_REASON, "letter_date": _LETTER_DATE, "meeting_offered": _MEETING},
            {
                "reason": (
                    "the evidence does not show who caused the injuries, so there is not a realistic "
                    "prospect of conviction"
                ),
                "letter_date": "2027-03-02",
                "meeting_offered": False,
            },
        ),
        sentences=(_CPS_REASON_SENTENCE, _LETTER_SENTENCE, _MEETING_SENTENCE),
    ),
    EventType(
        code="case-discontinued",
        agencies=(Agency.CPS,),
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="charge-and-prosecution",
        title=_l("The case has been stopped"),
        what_this_means=_l(
            "The Crown Prosecution Service (CPS) has decided to stop the case against the defendant. Unless "
            "this decision is changed after a review, there will be no trial for these charges."
        ),
        what_happens_next=_l(
            "Court dates for these charges will not go ahead while the case is stopped. Witness Care will "
            "tell you if you had been asked to go to court."
        ),
        review_right=CPS_VRR,
        details_schema=schema(
            {"reason": _CPS_REASON, "letter_date": _LETTER_DATE, "meeting_offered": _MEETING},
            {
                "reason": (
                    "a key witness is no longer able to give evidence and without it there is not a "
                    "realistic prospect of conviction"
                ),
                "letter_date": "2027-03-02",
                "meeting_offered": False,
            },
        ),
        sentences=(_CPS_REASON_SENTENCE, _LETTER_SENTENCE, _MEETING_SENTENCE),
    ),
    EventType(
        code="no-evidence-offered",
        agencies=(Agency.CPS,),
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="charge-and-prosecution",
        title=_l("The case has ended in court"),
        what_this_means=_l(
            "The Crown Prosecution Service (CPS) told the court it would not continue with the case. This "
            "is called offering no evidence. It means the case has ended and the court has recorded that "
            "the defendant is not guilty of these charges. The case cannot be started again."
        ),
        what_happens_next=_l(
            "There will be no more court hearings for these charges. Witness Care will tell you if you had "
            "been asked to go to court."
        ),
        review_right=CPS_VRR_NO_EVIDENCE,
        details_schema=schema(
            {"reason": _CPS_REASON, "letter_date": _LETTER_DATE, "meeting_offered": _MEETING},
            {
                "reason": "new evidence shows the defendant was somewhere else at the time",
                "letter_date": "2027-03-02",
                "meeting_offered": True,
            },
        ),
        sentences=(_CPS_REASON_SENTENCE, _LETTER_SENTENCE, _MEETING_SENTENCE),
    ),
    EventType(
        code="vrr-outcome",
        agencies=(Agency.POLICE, Agency.CPS),
        rights=(6,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=True,
        milestone=True,
        category="charge-and-prosecution",
        title=_l("The review you asked for has finished"),
        what_this_means=_l(
            "Someone who was not involved in the original decision has finished looking at it again, as "
            "you asked."
        ),
        what_happens_next=_l(
            "If the decision has changed, you will be told what happens next. If you are unhappy with how "
            "your request was handled, you can make a complaint."
        ),
        review_right=None,
        details_schema=schema(
            {
                "outcome": choice(
                    "Whether the original decision was kept or overturned.", ("upheld", "overturned")
                ),
                "outcome_summary": text(
                    "What the review found and what happens now, in plain English.", 1000
                ),
            },
            {
                "outcome": "overturned",
                "outcome_summary": "the suspect will now be charged and the case will go to court",
            },
        ),
        sentences=(
            Sentence("outcome", _l("The review found that the original decision was right."), when="upheld"),
            Sentence(
                "outcome", _l("The review found that the original decision was wrong."), when="overturned"
            ),
            Sentence("outcome_summary", _l("What this means: {outcome_summary}.")),
        ),
    ),
)
