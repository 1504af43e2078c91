"""The words search matches: one tokenizer with Snowball stemming, shared by every engine.

SQLite (`store/sqlite_search.py`), PostgreSQL (`store/postgres_search.py`) and the static
index (`publish/search_index.py`, with its twin `render/static/snowball.js` in the browser)
all index and query the *keys* this module makes, so that "landmines" finds what "landmine"
finds everywhere, and the engines agree on which records match:

1. text is cut into runs of letters and digits (after NFC, so that a decomposed accent stays
   in its word);
2. each word is lower-cased (`str.lower`, which JavaScript's `toLowerCase` matches for the
   letters the stemmers handle) and stemmed by the Snowball stemmer of the tracker's
   language (English by default; Spanish and French available): the stemmers see accents,
   which the French and Spanish rules need;
3. the stem is folded as FTS5's `unicode61 remove_diacritics 2` folds it (NFKD, combining
   marks dropped, case folded).
4. search.js does the same in the same order: `words` there must equal `keys` here (the tests
   run both over hostile strings).

Why snowballstemmer (pure Python, pinned) and not PyStemmer (C): the browser's stemmer is a
mechanical translation of the same generated Python (`scripts/snowball_to_js.py`), so the two
run one program; a C library could be a different Snowball release. Its cost is paid once per
distinct word (`_stem` is cached): stems are Zipfian, an import's words mostly hit the cache.
Words holding a character outside the Basic Multilingual Plane are not stemmed: JavaScript
indexes strings by UTF-16 unit, Python by code point, and the stemmers index strings.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from itertools import chain

from snowballstemmer.english_stemmer import EnglishStemmer
from snowballstemmer.french_stemmer import FrenchStemmer
from snowballstemmer.spanish_stemmer import SpanishStemmer

LANGUAGES = ("english", "spanish", "french")
DEFAULT_LANGUAGE = "english"
PLAIN = "plain"
"""No stemming: words only cut and folded (how search matched before stemming; the
benchmark's baseline, and what migration 0017's downgrade writes back)."""
_STEMMERS = {"english": EnglishStemmer, "spanish": SpanishStemmer, "french": FrenchStemmer}
_TOKEN = re.compile(r"[^\W_]+")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")  # _TOKEN over lower-cased ASCII text, a third faster


def fold(word: str) -> str:
    """NFKD, marks (categories Mn, Mc, Me) dropped, case folded: what FTS5's unicode61
    (remove_diacritics 2) makes of a Latin word, and what search.js's `fold` makes of any."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if unicodedata.category(c)[0] != "M").casefold()


class _Stemmers(threading.local):
    """One stemmer object per language and thread: a snowball stemmer keeps the word it
    works on in the object, and a thread switch inside `stemWord` (pure Python) let another
    thread's word replace it (IndexError or a wrong stem: seen with the web app's threads)."""

    def __init__(self) -> None:
        self.made: dict[str, object] = {}

    def stem(self, language: str, word: str) -> str:
        stemmer = self.made.get(language)
        if stemmer is None:
            if language not in _STEMMERS:
                raise ValueError(f"no stemmer for language {language!r} (one of {LANGUAGES})")
            stemmer = self.made[language] = _STEMMERS[language]()
        return str(stemmer.stemWord(word))  # type: ignore[attr-defined]


_stemmers = _Stemmers()


_language: ContextVar[str] = ContextVar("casework_search_language", default=DEFAULT_LANGUAGE)
"""The language of the tracker being indexed or searched, where no language is passed. Not a
process-wide setting: a store stems in its own tracker's language (`using`, around each of
its searches and writes), so one process serving an English and a Spanish tracker stems
each in its own; a thread or task that sets none stems in English."""


def _checked(language: str) -> str:
    if language not in (*LANGUAGES, PLAIN):
        raise ValueError(f"no stemmer for language {language!r} (one of {LANGUAGES})")
    return language


def set_language(language: str) -> None:
    """The language the current context (thread, task) stems in from now on (one of
    LANGUAGES, or PLAIN): for scripts and benchmarks. An index is written in one language:
    changing it needs `rebuild_search_index`."""
    _language.set(_checked(language))


@contextmanager
def using(language: str) -> Iterator[None]:
    """Stem in `language` within the block (the store's searches and writes, a build)."""
    if _language.get() == language:  # the common case: nothing to set
        yield
        return
    token = _language.set(_checked(language))
    try:
        yield
    finally:
        _language.reset(token)


def language() -> str:
    return _language.get()


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> tuple[str, ...]:
    """The keys of one lower-cased word (usually one; folding may split a word)."""
    if language == PLAIN or any(ord(c) > 0xFFFF for c in word):  # see the module docstring
        stemmed = word
    else:
        stemmed = _stemmers.stem(language, word)
    folded = fold(stemmed)
    if folded.isascii() and folded.isalnum():
        return (folded,)
    return tuple(_TOKEN.findall(folded))


_joined: dict[str, dict[str, str]] = {}
"""Per language, each lower-cased word's keys joined by spaces: `key_text` looks a word up
here (a dict hit per word) before `_stem`. Cleared when it passes _JOINED_MAX words."""
_JOINED_MAX = 200_000


# Every ASCII byte but a letter or a digit as a space, A-Z lower-cased, non-ASCII bytes kept:
# `_words`.
_ASCII_SEPARATORS = bytes(
    (c | 0x20 if 0x41 <= c <= 0x5A else c) if c >= 0x80 or chr(c).isalnum() else 0x20
    for c in range(256)
)


def _words(text: str) -> list[str]:
    """The lower-cased runs of letters and digits of `text` (after NFC): `_TOKEN.findall`
    of it. Text with a few non-ASCII characters (curly quotes, an accent) is cut at its ASCII
    separators by bytes.translate and str.split, in C, and only the pieces holding a non-ASCII
    character go through the Unicode pattern: a 6 KB body 254 -> ~150 µs (measured).

    The ASCII letters are lower-cased by the same translation, and only those pieces by
    str.lower: lower-casing a whole text that holds any non-ASCII character takes str.lower's
    slow path, a quarter of this function's work on such a body (0.34 of 1.31 million
    instructions, measured). Equal to lower-casing the whole text, since str.lower maps each
    character on its own except a capital sigma, which looks at its neighbours (final sigma):
    a text holding one is lower-cased whole."""
    if text.isascii():
        return _ASCII_TOKEN.findall(text.lower())
    text = unicodedata.normalize("NFC", text)
    whole = "Σ" in text
    if whole:
        text = text.lower()
    raw = text.encode("utf-8", "surrogatepass").translate(_ASCII_SEPARATORS)
    pieces = raw.decode("utf-8", "surrogatepass").split()
    plain = list(map(str.isascii, pieces))
    if all(plain):
        return pieces
    words: list[str] = []
    start = 0
    while True:
        try:
            at = plain.index(False, start)
        except ValueError:
            words += pieces[start:]
            return words
        words += pieces[start:at]
        words += _TOKEN.findall(pieces[at] if whole else pieces[at].lower())
        start = at + 1


def _joined_keys(found: list[str], language: str) -> list[str]:
    """The keys of each of the words `found`, joined by spaces ('' for a word without any)."""
    joined = _joined.get(language)
    if joined is None or len(joined) > _JOINED_MAX:
        joined = _joined[language] = {}
    parts: list[str | None] = list(map(joined.get, found))
    if None in parts:
        for at, part in enumerate(parts):
            if part is None:
                word = found[at]
                parts[at] = joined[word] = " ".join(_stem(word, language))
    return parts  # type: ignore[return-value]  # every None was filled in


def key_text(text: str, language: str | None = None) -> str:
    """`keys(text)` joined by spaces: what the full-text columns store (FTS5 and tsvector
    then only split it again)."""
    # A word can have no keys at all (folding may leave no letter): no empty key in between.
    return " ".join(filter(None, _joined_keys(_words(text), language or _language.get())))


def keys(text: str, language: str | None = None) -> list[str]:
    """The search keys of `text`, in order, in `language` (default: `set_language`'s). A key
    is letters and digits only, so splitting `key_text` at spaces gives them back."""
    joined = key_text(text, language)
    return joined.split(" ") if joined else []


def word_keys(word: str, language: str | None = None) -> list[str]:
    """The keys of one word of a query (a run of letters and digits)."""
    return keys(word, language)


def fts_texts(
    head: tuple[str, ...], everything: str, language: str | None = None
) -> tuple[list[str], str]:
    """What SQLite's FTS5 tables hold for a record: its short fields and all its text as
    search keys, which FTS5's tokenizer only splits again. Writing and deleting a row both go
    through here: a contentless table forgets a row only when given the text it was indexed
    with."""
    return [key_text(text, language) for text in head], key_text(everything, language)


def record_key_texts(
    head: tuple[str, ...], body: str, language: str | None = None
) -> tuple[tuple[str, ...], str]:
    """A record's search keys, each field tokenized once: its short fields' (what SQLite's
    `search_head` ranks with: every key, in order), and each key of all its text once (what
    answers which records match: SQLite's `search_postings`, PostgreSQL's `record_words`;
    they keep no positions for it, so a key said again would cost for nothing). The keys of
    the short fields come first, then the body's, each in the order first seen."""
    language = language or _language.get()
    head_words = [_words(text) for text in head]
    heads = tuple(" ".join(filter(None, _joined_keys(found, language))) for found in head_words)
    # Each distinct word once (a word's keys are always the same: dropping its repeats keeps
    # every key's first place), then each distinct key once. A 6 KB body has ~880 words but
    # ~250 distinct ones: the short fields' keys are not joined and split again.
    distinct = list(dict.fromkeys(chain(*head_words, _words(body))))
    unique = dict.fromkeys(filter(None, _joined_keys(distinct, language)))
    every = " ".join(unique)
    if every.count(" ") >= len(unique):
        # A word with several keys (folding split it): a key of it may be another's too.
        every = " ".join(dict.fromkeys(every.split()))
    return heads, every
