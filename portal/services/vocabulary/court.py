"""Court updates from witness care units: hearings, witnesses, bail (Victims' Code rights 8 and 10)."""

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
    schema,
    text,
    text_list,
)

WITNESS_CARE = (Agency.WITNESS_CARE,)

HEARING_TYPES = ("first-hearing", "plea-hearing", "bail-hearing", "trial", "sentencing", "other")


def _hearing_fields() -> dict[str, dict[str, Any]]:
    return {
        "hearing_at": datetime_field("When the hearing starts, with its UTC offset."),
        "court_name": text("The court's name, e.g. 'Leeds Crown Court'.", 120),
        "court_address": text("The court's full address, including postcode.", 300),
        "hearing_type": choice("What kind of hearing it is.", HEARING_TYPES),
    }


_HEARING_SENTENCES: tuple[Sentence, ...] = (
    Sentence("court_address", _l("The court's address is {court_address}.")),
    Sentence(
        "hearing_type",
        _l("This is the first hearing. The defendant will usually be asked whether they plead guilty."),
        when="first-hearing",
    ),
    Sentence(
        "hearing_type",
        _l("At this hearing the defendant will be asked whether they plead guilty or not guilty."),
        when="plea-hearing",
    ),
    Sentence(
        "hearing_type",
        _l("At this hearing the court will decide if the defendant is kept in custody or released on bail."),
        when="bail-hearing",
    ),
    Sentence(
        "hearing_type",
        _l("This is the trial. The court will hear the evidence and decide whether the defendant is guilty."),
        when="trial",
    ),
    Sentence(
        "hearing_type",
        _l(
            "At this hearing the court will decide the sentence. Before then, you can make a Victim Personal "
            "Statement, or add to the one you made, to tell the court how the crime has affected you: tell "
            "Witness Care if you want to. The defendant and their lawyers will see it."
        ),
        when="sentencing",
    ),
)

_HEARING_EXAMPLE = {
    "hearing_at": "2027-03-14T10:00:00+00:00",
    "court_name": "Leeds Crown Court",
    "court_address": "1 Oxford Row, Leeds LS1 3BG",
    "hearing_type": "trial",
}

_AT_COURT = _l(
    "You only need to go to court if Witness Care tells you that you are needed as a witness. If you do "
    "go, the Witness Service can support you on the day, and you can ask to wait away from the defendant "
    "and their family."
)

_REASON = text("The reason, in plain English, written for the victim.", 600)

COURT_TYPES: tuple[EventType, ...] = (
    EventType(
        code="hearing-scheduled",
        agencies=WITNESS_CARE,
        rights=(8,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="court",
        title=_l("A court hearing has been arranged"),
        what_this_means=_l(
            "There will be a court hearing at {court_name} on {hearing_date} at {hearing_time}."
        ),
        what_happens_next=_AT_COURT,
        review_right=None,
        details_schema=schema(_hearing_fields(), _HEARING_EXAMPLE, required=("hearing_at", "court_name")),
        sentences=_HEARING_SENTENCES,
    ),
    EventType(
        code="hearing-changed",
        agencies=WITNESS_CARE,
        rights=(8,),
        # Right 8.1: any hearing's date, time and place within 1 working day, for every victim.
        standard_days=1,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="court",
        title=_l("A court hearing has moved"),
        what_this_means=_l("The hearing will now be at {court_name} on {hearing_date} at {hearing_time}."),
        what_happens_next=_AT_COURT,
        review_right=None,
        details_schema=schema(
            {
                **_hearing_fields(),
                "previous_hearing_at": datetime_field("When the hearing was going to be."),
                "reason": _REASON,
            },
            {
                **_HEARING_EXAMPLE,
                "hearing_at": "2027-04-20T14:00:00+01:00",
                "previous_hearing_at": "2027-03-14T10:00:00+00:00",
                "reason": "the judge is needed for a longer trial that has overrun",
            },
            required=("hearing_at", "court_name"),
        ),
        sentences=(
            Sentence("previous_hearing_at", _l("It was going to be on {previous_hearing_date}.")),
            Sentence("reason", _l("The reason for the change is: {reason}.")),
            *_HEARING_SENTENCES,
        ),
    ),
    EventType(
        code="hearing-adjourned",
        agencies=WITNESS_CARE,
        rights=(8,),
        # Right 8.1: any hearing's date, time and place within 1 working day, for every victim.
        standard_days=1,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="court",
        title=_l("A court hearing has been postponed"),
        what_this_means=_l(
            "A court hearing did not go ahead or did not finish, and will continue on another day. This is "
            "called an adjournment."
        ),
        what_happens_next=_l(
            "If the new date is not known yet, Witness Care will tell you when it has been set. You only "
            "need to go to court if Witness Care tells you that you are needed as a witness."
        ),
        review_right=None,
        details_schema=schema(
            {**_hearing_fields(), "reason": _REASON},
            {
                "hearing_at": "2027-05-10T10:00:00+01:00",
                "court_name": "Leeds Magistrates' Court",
                "reason": "the defendant was too ill to attend",
            },
        ),
        sentences=(
            Sentence("reason", _l("The reason is: {reason}.")),
            Sentence("hearing_at", _l("The new date is {hearing_date} at {hearing_time}.")),
            Sentence("court_name", _l("The hearing will be at {court_name}.")),
            *_HEARING_SENTENCES,
        ),
    ),
    EventType(
        code="witness-required",
        agencies=WITNESS_CARE,
        rights=(8, 10),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="court",
        title=_l("You are needed as a witness"),
        what_this_means=_l(
            "You are needed to give evidence at court. This means telling the court what happened and "
            "answering questions about it."
        ),
        what_happens_next=_l(
            "Witness Care will contact you to talk about the help you need. You can ask for arrangements "
            "that make giving evidence easier, such as a screen so you do not see the defendant, or giving "
            "evidence by video link from another room. These are called special measures. You can claim "
            "back reasonable travel costs and lost earnings. If you cannot go on this date, tell Witness "
            "Care as soon as you can."
        ),
        review_right=None,
        details_schema=schema(
            {
                **_hearing_fields(),
                "special_measures": text_list("Special measures the court has agreed, in plain English."),
                "pre_trial_visit_offered": flag(
                    "True when a visit to the court before the trial is offered."
                ),
            },
            {
                **_HEARING_EXAMPLE,
                "special_measures": [
                    "a screen so you do not see the defendant",
                    "a supporter sitting with you",
                ],
                "pre_trial_visit_offered": True,
            },
        ),
        sentences=(
            Sentence("hearing_at", _l("You need to be at court on {hearing_date} at {hearing_time}.")),
            Sentence("court_name", _l("The court is {court_name}.")),
            Sentence("court_address", _l("The court's address is {court_address}.")),
            Sentence(
                "special_measures",
                _l("The court has agreed these arrangements to help you give evidence: {special_measures}."),
            ),
            Sentence(
                "pre_trial_visit_offered",
                _l(
                    "You can visit the court before the trial to see the courtroom and find out what will "
                    "happen. Witness Care can arrange this."
                ),
                when=True,
                section="next",
            ),
        ),
    ),
    EventType(
        code="witness-no-longer-needed",
        agencies=WITNESS_CARE,
        rights=(8,),
        standard_days=1,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="court",
        title=_l("You no longer need to go to court"),
        what_this_means=_l(
            "You do not need to go to court to give evidence on {hearing_date} any more. You will not get "
            "a reminder about that day."
        ),
        what_happens_next=_l(
            "You do not need to do anything. The case carries on, and Witness Care will tell you what "
            "happens at court. If you are needed as a witness again, Witness Care will tell you. You can "
            "still claim back reasonable travel costs and lost earnings for any day you have already been "
            "to court."
        ),
        review_right=None,
        details_schema=schema(
            {
                "hearing_at": datetime_field(
                    "When the hearing the victim no longer needs to go to starts, with its UTC offset."
                ),
                "reason": _REASON,
            },
            {
                "hearing_at": "2027-03-14T10:00:00+00:00",
                "reason": "the defendant pleaded guilty, so there will be no trial",
            },
            required=("hearing_at",),
        ),
        sentences=(Sentence("reason", _l("The reason is: {reason}.")),),
    ),
    EventType(
        code="bail-decision",
        agencies=WITNESS_CARE,
        rights=(8,),
        standard_days=5,
        enhanced_days=1,
        unconfirmed=False,
        milestone=True,
        category="court",
        title=_l("The court has made a decision about bail"),
        what_this_means=_l(
            "The court has decided whether the defendant will be kept in custody or released on bail until "
            "the next hearing. Bail means they can live outside prison but must follow rules, called bail "
            "conditions."
        ),
        what_happens_next=_l(
            "If the defendant breaks their bail conditions or contacts you when they should not, call 999 if "
            "you are in danger, or 101 if it is not an emergency."
        ),
        review_right=None,
        details_schema=schema(
            {
                "decision": choice("The bail decision.", ("remanded-in-custody", "bail-granted")),
                "bail_conditions": text_list("Bail conditions that protect the victim, in plain English."),
                "bail_until": date_field("The date the bail lasts until, usually the next hearing."),
            },
            {
                "decision": "bail-granted",
                "bail_conditions": [
                    "not to contact you directly or through anyone else",
                    "to live and sleep at an address in Bradford",
                ],
                "bail_until": "2027-04-20",
            },
        ),
        sentences=(
            Sentence(
                "decision",
                _l("The defendant will be kept in custody, which means held in prison, until then."),
                when="remanded-in-custody",
            ),
            Sentence("decision", _l("The defendant has been released on bail."), when="bail-granted"),
            Sentence("bail_conditions", _l("The bail conditions include: {bail_conditions}.")),
            Sentence("bail_until", _l("The bail lasts until {bail_until}, unless it is changed.")),
        ),
    ),
)
