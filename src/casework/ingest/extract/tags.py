"""Tags of the tracker's vocabulary an article's text uses.

A tag matches when its words occur in the text in order, side by side (a space or a hyphen
between them: "mine-clearance" = "mine clearance"), each word in its singular or plural form
("landmines" matches "landmine", "detention" matches "detentions", "child" matches
"children"). Case does not matter, except for a tag written with capitals ("ICE"), which must
appear as written: "ice" is not the agency. Each tag matches once: its first sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from casework.ingest.article import Article
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.items import TagMatch
from casework.ingest.extract.sentences import sentence_at, sentences

_IRREGULAR = {
    "child": "children",
    "person": "people",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "life": "lives",
    "wife": "wives",
    "knife": "knives",
    "thief": "thieves",
    "leaf": "leaves",
    "self": "selves",
    "half": "halves",
    "crisis": "crises",
    "analysis": "analyses",
    "thesis": "theses",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "medium": "media",
}
_IRREGULAR_SINGULAR = {plural: singular for singular, plural in _IRREGULAR.items()}
_SIBILANT = ("s", "x", "z", "ch", "sh")
# Words ending in "s" that are not plurals: "news" is not the plural of "new".
_NOT_PLURAL = frozenset(
    "news series species politics economics ethics physics means headquarters whereabouts "
    "arms police gas bus lens its was has this thus always perhaps".split()
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def word_forms(word: str) -> tuple[str, ...]:
    """A word's singular and plural forms, lowercased: "mine" → ("mine", "mines")."""
    word = word.lower()
    forms = {word}
    if word in _IRREGULAR:
        forms.add(_IRREGULAR[word])
    if word in _IRREGULAR_SINGULAR:
        forms.add(_IRREGULAR_SINGULAR[word])
    if len(word) <= 2 or not word.isalpha() or word in _NOT_PLURAL:
        return tuple(sorted(forms, key=lambda f: (-len(f), f)))
    if len(forms) > 1:
        return tuple(sorted(forms, key=lambda f: (-len(f), f)))  # irregular: both known
    # As a plural: its singular; else, as a singular: its plural.
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    elif word.endswith("es") and word[:-2].endswith(_SIBILANT):
        forms.add(word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        forms.add(word[:-1])
    elif word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        forms.add(word[:-1] + "ies")
    elif word.endswith(_SIBILANT):
        forms.add(word + "es")
    else:
        forms.add(word + "s")
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


@lru_cache(maxsize=4096)
def _tag_words(tag: str) -> tuple[tuple[str, ...], ...]:
    """Per word of the tag, the forms it may take (as written when it holds capitals)."""
    return tuple(
        (word, word + "s") if any(c.isupper() for c in word) else word_forms(word)
        for word in _WORD.findall(tag)
    )


@lru_cache(maxsize=4096)
def _tag_pattern(tag: str) -> re.Pattern[str] | None:
    parts = []
    for word, forms in zip(_WORD.findall(tag), _tag_words(tag), strict=True):
        alternatives = "|".join(re.escape(f) for f in forms)
        # "ICE" exactly as written (or "NGOs"); other words whatever their case.
        parts.append(
            f"(?:{alternatives})" if any(c.isupper() for c in word) else f"(?i:{alternatives})"
        )
    if not parts:
        return None
    body = r"(?:\s+|\s*[-‐–]\s*)".join(parts)
    return re.compile(rf"(?<![\w-]){body}(?![\w])")


def extract_tags(article: Article, vocabulary: Iterable[str]) -> list[TagMatch]:
    """The tags of `vocabulary` the article's text uses, each once (at its first sentence), in
    the order they first appear."""
    text = article.text
    spans = sentences(text)
    found: list[tuple[int, TagMatch]] = []
    seen: set[str] = set()
    # Words of the text, as written and lowercased: a tag with a word the text lacks is
    # skipped without searching (vocabularies run to hundreds of tags).
    written = set(_WORD.findall(text))
    lowered = {w.lower() for w in written}
    for tag in vocabulary:
        check_budget()
        if tag in seen:
            continue
        seen.add(tag)
        words = _tag_words(tag)
        if not words or not all(
            any(f in (written if f != f.lower() else lowered) for f in forms) for forms in words
        ):
            continue
        pattern = _tag_pattern(tag)
        if pattern is None:
            continue
        match = pattern.search(text)
        if match is None:
            continue
        span = sentence_at(spans, match.start())
        if span is not None:
            found.append((match.start(), TagMatch(tag, span)))
    found.sort(key=lambda item: item[0])
    return [match for _at, match in found]
