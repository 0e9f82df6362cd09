"""The jargon check searches a text once for any term before looking for each, and then only for the terms
one of whose words is in the text: neither search may rule out a text or a term that would be found, or
jargon would reach victims unflagged."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.services.quality import jargon

# Pieces a message is made of: every term as listed, in capitals and in lower case, parts of terms,
# ordinary words and the characters the word boundaries turn on.
_PIECES = sorted(
    {piece for term in jargon.TERMS for piece in (term.term, term.term.lower(), term.term.upper())}
    | {word for term in jargon.TERMS for word in term.term.split()}
    | {"the", "hearing", "was", "re", "for", "released", "-", " ", ".", "_", "'", "\n", "x", "1"}
    # Terms spelled with letters that match others without regard to case ("ſ" is an "s", "K" the Kelvin
    # sign a "k"), which a search in lower case would miss.
    | {term.term.replace("s", "\u017f", 1) for term in jargon.TERMS}
    | {term.term.replace("k", "\u212a", 1) for term in jargon.TERMS}
    | {"\u0130", "\u00e9"}
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_one_search_finds_a_text_with_jargon_whenever_a_term_would(text: str) -> None:
    assert jargon.find(text) == jargon._each_term(text)


@pytest.mark.parametrize("term", [t for t in jargon.TERMS if t.pattern], ids=lambda t: t.term)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_match_of_a_pattern_in_plain_letters_holds_one_of_its_needles(
    term: jargon.Term, data: st.DataObject
) -> None:
    body = re.compile(term.pattern, term.regex().flags)
    text = data.draw(st.from_regex(body, fullmatch=True, alphabet=st.characters(codec="ascii")))
    assert any(needle in text.lower() for needle in term.needles), (term.term, text)


def test_a_pattern_without_needles_is_refused() -> None:
    with pytest.raises(ValueError, match="needs `needles`"):
        jargon._needle_rule(jargon.Term("wibble", "plain", pattern=r"wibbl(?:e|ing)"))


def test_only_the_terms_whose_words_are_in_a_plain_text_are_tried() -> None:
    text = "The CPS said the case was discontinued and the hearing vacated."
    tried = [term.term for term, _regex in jargon._candidates(text)]
    assert tried == ["CPS", "discontinued", "vacated"]
    assert jargon._candidates(text.replace("s", "\u017f")) == jargon._COMPILED  # other letters: every term


def test_each_term_alone_is_found_and_keeps_its_own_case_rule() -> None:
    for term in jargon.TERMS:
        if not term.regex().search(term.term):  # a pattern that needs more words ("listed for")
            continue
        assert jargon.find(f"Your update: {term.term}.") != [], term.term
        if term.is_abbreviation:  # abbreviations only in capitals
            assert jargon.find(f"your update: {term.term.lower()}.") == [], term.term
        else:
            assert jargon.find(f"Your update: {term.term.upper()}.") != [], term.term


def test_a_text_without_jargon_is_ruled_out_by_the_single_search() -> None:
    text = "The court has set a new date for the trial. We will write to you again before then."
    assert jargon._ANY.search(text) is None
    assert jargon.find(text) == []


def test_a_term_with_two_spellings_is_matched_on_whole_words_only() -> None:
    # "aforementioned|aforesaid": each spelling on whole words, not inside another word
    assert [found.term for found in jargon.find("as aforesaid")] == ["aforementioned"]
    assert jargon.find("the aforementionedx and xaforesaid") == []
