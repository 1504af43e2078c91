"""search_words: the fast paths (a dict of each word's keys, ASCII text cut by a simpler
pattern, a record's fields cut once) give the keys of the rule as the module states it."""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casework import search_words
from casework.search_words import LANGUAGES, PLAIN, key_text, keys, record_key_texts

HOSTILE = [
    "",
    " \n\t",
    "Detentions, DETAINED; detaining_them",
    "ΟΔΥΣΣΕΥΣ\nΑΣ b",  # final sigma at a line's end
    "e\u0301te\u0301\na\n\u0301b",  # decomposed accents, a mark after a line break
    "ﬁne ﬂow ß straße İstanbul",
    "𝒳abc x𝒳 ①② Ⅻ ǅemal",
    'Ana "la Jefa" Núñez — corriendo ""dos veces""\r\n',
    "under_score snake_case_words 123abc 4,5",
]


def rule(text: str, language: str) -> list[str]:
    """The module docstring's steps, a word at a time."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text).lower())
    return [key for word in words for key in search_words._stem(word, language)]


@pytest.mark.parametrize("language", [*LANGUAGES, PLAIN])
def test_keys_follow_the_rule(language: str) -> None:
    for text in HOSTILE:
        assert keys(text, language) == rule(text, language), text
        assert key_text(text, language) == " ".join(rule(text, language)), text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))), st.sampled_from(LANGUAGES))
def test_keys_follow_the_rule_for_any_text(text: str, language: str) -> None:
    assert keys(text, language) == rule(text, language)
    assert keys(text, language) == keys(text, language)  # the second time from the dict


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(HOSTILE) | st.text(), min_size=5, max_size=5),
    st.sampled_from(HOSTILE) | st.text(),
)
def test_a_records_keys_are_each_fields_keys(head: list[str], body: str) -> None:
    heads, everything = record_key_texts(tuple(head), body, "english")
    assert list(heads) == [key_text(text, "english") for text in head]
    # All its text, each key once, the short fields' first: what the postings match.
    every = rule("\n".join((*head, body)), "english")
    found = everything.split(" ") if everything else []
    assert found == list(dict.fromkeys(every))


def test_a_word_with_several_keys_shares_them_with_other_words() -> None:
    # "x¼" folds to two keys (x1, 4), "½" to 1 and 2: each key is listed once, where first
    # said, though the words that say it differ (record_key_texts drops repeated words
    # before it drops repeated keys).
    head = ("4 x¼", "", "", "", "")
    heads, everything = record_key_texts(head, "x¼ ½ 2 4 ½", "english")
    assert heads[0] == "4 x1 4"
    assert everything == "4 x1 1 2"
    assert everything.split(" ") == list(dict.fromkeys(rule("4 x¼\nx¼ ½ 2 4 ½", "english")))


def test_the_language_given_is_the_one_used() -> None:
    assert keys("corriendo", "spanish") == ["corr"]
    assert keys("corriendo", "english") == ["corriendo"]
    assert keys("Corriendo", "plain") == ["corriendo"]


# Pieces `_words` must cut as the pattern does: a capital sigma (str.lower's one rule that
# looks at the letters around it) beside separators, letters lower-cased to ASCII ones.
_PIECES = ["word", "Naïve", "“quoted”", "e\u0301", "_", " ", "\xa0", "↩︎", "K", "WORD", "ΑΣ"]
_PIECES += ["Σ", "'", ".", "İ", "\u212a", "ΟΔΟΣ", "ß", "Ǆ"]


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PIECES),
            st.text(max_size=8),
        ),
        max_size=30,
    ).map("".join)
)
def test_words_are_the_runs_the_unicode_pattern_finds(text: str) -> None:
    """`_words` cuts mostly-ASCII text in C; it must find exactly what the pattern finds."""
    expected = search_words._TOKEN.findall(unicodedata.normalize("NFC", text).lower())
    assert search_words._words(text) == expected


ENDINGS = {
    "english": ("s", "es", "ed", "ing", "ly", "ness", "ation", "ational", "ies", "ied", "y"),
    "spanish": ("s", "es", "cion", "ciones", "mente", "ando", "iendo", "aron", "ieron"),
    "french": ("s", "x", "ment", "ements", "ation", "ations", "issons", "euse", "ites"),
}


@pytest.mark.parametrize("language", [*LANGUAGES, PLAIN])
def test_an_ascii_words_keys_begin_with_its_first_letter(language: str) -> None:
    # What the snippets' highlighter relies on to stem only the words that may match
    # (sqlite_search.Highlighter._matches): the stemmers change a word's ending only.
    folder = Path(__file__).parent / "fixtures" / "realnews"
    texts = [path.read_text("utf-8") for path in folder.rglob("*.md")]
    found = {w for text in texts for w in re.findall(r"[^\W_]+", text) if w.isascii()}
    words = found | {w.upper() for w in found}
    words |= {w + end for w in found if len(w) < 7 for end in ENDINGS.get(language, ())}
    words |= {"y", "ya", "yes", "dying", "skies", "ugly", "aaa", "I", "X2", "2x"}
    assert len(words) > 5000
    for word in sorted(words):
        assert all(key[0] == word[0].lower() for key in keys(word, language)), word


def test_stemming_from_many_threads_at_once_stems_each_word_as_one_thread_does() -> None:
    # A snowball stemmer keeps the word it works on in the object: shared by the threads of
    # the web app's pool (the API's PostgreSQL reads, the public pages), one thread's word
    # was cut with another's length (IndexError, or a wrong stem).
    stems = ("connect", "relat", "nation", "generous", "happ")
    endings = ("", "s", "ed", "ing", "ings", "ional", "ization", "ily", "ies")
    words = [stem + ending for stem in stems for ending in endings]
    expected = {word: search_words._stemmers.stem("english", word) for word in words}
    failures: list[str] = []

    def stem_all() -> None:
        try:
            for _ in range(40):
                for word in words:
                    # The stemmers themselves: `_stem`'s cache answers a word seen before.
                    if search_words._stemmers.stem("english", word) != expected[word]:
                        failures.append(word)
        except IndexError as error:
            failures.append(repr(error))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch inside a word's stemming
    try:
        threads = [threading.Thread(target=stem_all) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []


@pytest.mark.parametrize("initials", ["", "d", "dé", "ks0", "aeiouy", "ñ"])
def test_the_snippets_candidate_words_are_every_word_that_may_match(initials: str) -> None:
    # sqlite_search.Highlighter.first looks only at the words `_candidates_pattern` cuts:
    # they must be every word `_matches` does not rule out by its first letter (any word
    # outside ASCII, an ASCII word beginning with an initial in either case), in order.
    from casework.store.sqlite_search import _WORD_RUN, _candidates_pattern

    folder = Path(__file__).parent / "fixtures" / "realnews"
    texts = [path.read_text("utf-8") for path in sorted(folder.rglob("*.md"))]
    texts.append(
        "Dans la démarche, Ünter d'après l'élan — 'dog' café naïve x_dx dd_ee Kelvin \u212a "
        "ſtraße İstanbul ÑANDÚ ñu 0day d0 _d __ é_e e\u0301t\u00e9 Δδ ﬁne KS 2x"
    )
    for text in texts:
        expected = [
            word
            for word in _WORD_RUN.findall(text)
            if not word.isascii() or word[0].lower() in initials
        ]
        assert _candidates_pattern(initials).findall(text) == expected
