"""Jargon and abbreviations that victims should not meet unexplained, with the plain words to use.

This list is maintained here, in one place: add a term with the words a victim would understand. Each
entry is (pattern, the term as shown, plain words). Patterns are matched case-insensitively on whole words,
except abbreviations (all capitals in `term`), which match only in capitals so that "rui" in another
word, or "nfa" in lower case, is not mistaken for one. An abbreviation is not a problem when its full name is
also in the text (`spelled_out`): "the Crown Prosecution Service (CPS)" explains "CPS".
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    term: str
    plain: str
    pattern: str = ""
    #: For an abbreviation: its full name, which explains it when it is also in the text.
    spelled_out: str = ""
    #: For a pattern: words in lower case, one of which every match of the pattern contains.
    needles: tuple[str, ...] = ()

    @property
    def is_abbreviation(self) -> bool:
        return self.term.isupper()

    def regex(self) -> re.Pattern[str]:
        body = self.pattern or re.escape(self.term)
        flags = 0 if self.is_abbreviation else re.IGNORECASE
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


TERMS: tuple[Term, ...] = (
    # Abbreviations
    Term(
        "NFA", "no further action: the police will not take the case further", spelled_out="no further action"
    ),
    Term(
        "RUI",
        "released under investigation: let go without bail while the police carry on investigating",
        spelled_out="released under investigation",
    ),
    Term(
        "CPS",
        "the Crown Prosecution Service (CPS), who decide whether to prosecute",
        spelled_out="Crown Prosecution Service",
    ),
    Term("VRR", "your right to ask for the decision to be looked at again", spelled_out="Right to Review"),
    Term(
        "VPS",
        "a Victim Personal Statement: your chance to say how the crime affected you",
        spelled_out="Victim Personal Statement",
    ),
    Term("VCS", "the Victim Contact Scheme", spelled_out="Victim Contact Scheme"),
    Term("VLO", "your Victim Liaison Officer", spelled_out="Victim Liaison Officer"),
    Term("OIC", "the officer in charge of your case", spelled_out="officer in charge"),
    Term("WCU", "Witness Care", spelled_out="Witness Care"),
    Term("PTPH", "a hearing to get the case ready for trial", spelled_out="Plea and Trial Preparation"),
    Term("ULS", "the Unduly Lenient Sentence scheme", spelled_out="Unduly Lenient Sentence"),
    Term(
        "HDC",
        "home detention curfew: released early with an electronic tag",
        spelled_out="home detention curfew",
    ),
    Term("ROTL", "temporary release from prison", spelled_out="release on temporary licence"),
    Term("DPP", "the Director of Public Prosecutions", spelled_out="Director of Public Prosecutions"),
    Term("CJS", "the criminal justice system", spelled_out="criminal justice system"),
    Term("OOCD", "a way of dealing with the offence without going to court", spelled_out="out of court"),
    # Words and phrases
    Term(
        "discontinued",
        "stopped: the case will not go ahead",
        pattern=r"discontinu(?:ed|ance)",
        needles=("discontinu",),
    ),
    Term("adjourned sine die", "postponed with no new date set yet"),
    Term("sine die", "with no new date set yet"),
    Term("no case to answer", "the judge decided there was not enough evidence for the trial to go on"),
    Term(
        "no further action",
        "the police will not take the case further",
        pattern=r"no\s+further\s+action",
        needles=("further",),
    ),
    Term(
        "insufficient evidence",
        "not enough evidence to prosecute",
        pattern=r"insufficient\s+evidence",
        needles=("insufficient",),
    ),
    Term(
        "realistic prospect of conviction",
        "a court is more likely than not to find them guilty",
        pattern=r"realistic\s+prospect\s+of\s+(?:a\s+)?conviction",
        needles=("realistic",),
    ),
    Term(
        "evidential stage",
        "whether there is enough evidence",
        pattern=r"evidential\s+(?:stage|test)",
        needles=("evidential",),
    ),
    Term("full code test", "the test the CPS uses to decide whether to prosecute"),
    Term("public interest test", "whether a prosecution is needed in the public interest"),
    Term("remanded in custody", "kept in prison until the next hearing"),
    Term(
        "remanded",
        "kept in prison (or on bail) until the next hearing",
        pattern=r"remanded",
        needles=("remanded",),
    ),
    Term("indictment", "the list of charges for a Crown Court trial"),
    Term(
        "committal",
        "sending the case to a higher court",
        pattern=r"committ(?:al|ed\s+for\s+sentence)",
        needles=("committ",),
    ),
    Term(
        "vacated",
        "cancelled (the hearing will not happen on that date)",
        pattern=r"vacated",
        needles=("vacated",),
    ),
    Term("listed", "set for a date in court", pattern=r"(?:re-?)?listed\s+for", needles=("listed",)),
    Term(
        "mention hearing",
        "a short hearing about how the case will go on",
        pattern=r"mention\s+hearing",
        needles=("mention",),
    ),
    Term("ineffective trial", "the trial could not go ahead on the day"),
    Term("cracked trial", "the trial did not go ahead, for example because the defendant admitted the crime"),
    Term("acquitted", "found not guilty", pattern=r"acquit(?:ted|tal)", needles=("acquit",)),
    Term("custodial sentence", "a prison sentence"),
    Term("conditional discharge", "no punishment now, unless they commit another crime within a set time"),
    Term("bound over", "must keep the peace or pay a sum of money"),
    Term("in camera", "in private"),
    Term("inter alia", "among other things"),
    Term("pursuant to", "under"),
    Term(
        "aforementioned", "this", pattern=r"aforementioned|aforesaid", needles=("aforementioned", "aforesaid")
    ),
)

_COMPILED: tuple[tuple[Term, re.Pattern[str]], ...] = tuple((term, term.regex()) for term in TERMS)


def _any_term(terms: tuple[Term, ...]) -> re.Pattern[str]:
    """One pattern that matches wherever any of `terms` would (each alternative keeps its own case rule),
    so that a text with no jargon, most texts, is searched once rather than once per term."""
    bodies = "|".join(
        (f"(?:{body})" if term.is_abbreviation else f"(?i:{body})")
        for term in terms
        for body in [term.pattern or re.escape(term.term)]
    )
    return re.compile(rf"(?<![\w-])(?:{bodies})(?![\w-])")


_ANY = _any_term(TERMS)


@dataclass(frozen=True)
class Found:
    term: str
    plain: str


def _needle_rule(term: Term) -> tuple[bool, tuple[str, ...]]:
    """(whether to look in the text as written, the words one of which any match contains)."""
    if term.is_abbreviation and not term.pattern:
        return True, (term.term,)  # in capitals only
    if not term.pattern:
        return False, (term.term.lower(),)
    if not term.needles:
        raise ValueError(f"jargon term {term.term!r}: a pattern needs `needles`")
    return False, term.needles


_NEEDLES = tuple(_needle_rule(term) for term in TERMS)


def find(text: str) -> list[Found]:
    """The listed terms in `text`, each once, in the order of the list. A shorter term inside a longer one
    that was found ("sine die" in "adjourned sine die") is not listed again; an abbreviation whose full name
    is in the text is not listed."""
    if _ANY.search(text) is None:
        return []
    return _each_term(text, _candidates(text))


def _candidates(text: str) -> tuple[tuple[Term, re.Pattern[str]], ...]:
    """The terms that may be in `text`: in a text of ASCII characters, those with one of their needles in
    it (there, a case-insensitive match is one in lower case); in any other text, every term (a match
    without regard to case may be spelled with other letters: "ſ" for "s")."""
    if not text.isascii():
        return _COMPILED
    lowered = text.lower()
    return tuple(
        compiled
        for compiled, (as_written, needles) in zip(_COMPILED, _NEEDLES, strict=True)
        if any(needle in (text if as_written else lowered) for needle in needles)
    )


def _each_term(text: str, terms: tuple[tuple[Term, re.Pattern[str]], ...] = _COMPILED) -> list[Found]:
    """`find` without the searches that rule terms out: each term's own pattern in turn."""
    found: list[Found] = []
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for term, regex in terms:
        if term.spelled_out and term.is_abbreviation and term.spelled_out.lower() in lowered:
            continue
        for match in regex.finditer(text):
            start, end = match.span()
            if any(a <= start and end <= b for a, b in spans):
                continue
            spans.append((start, end))
            if all(f.term != term.term for f in found):
                found.append(Found(term.term, term.plain))
    return found
