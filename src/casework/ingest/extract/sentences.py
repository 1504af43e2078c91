"""Sentence splitting: every item an extractor finds carries the sentence it came from, so an
editor reads that sentence before accepting the item.

Rules, cheapest first: a line break always ends a sentence (readers join wrapped lines, so a
"\\n" left in Article.text is a paragraph, a heading or a list item); otherwise a sentence ends
at ".", "!", "?" or "…" (with any closing quotes or brackets after it) when whitespace and a
sentence-like start follow. A period after an abbreviation does not end one: titles ("Dr.",
"Mr."), Latin ("e.g."), and "No.", "Art.", "Jan." before a number. After an acronym or an
initial ("U.S.", "J.", "Inc.") the sentence ends only if a word that usually starts one
follows ("...in the U.S. The ministry said" splits; "the U.S. State Department" does not).
Decimals ("9.5%") and em dashes ("in 2024—the highest") never split: no whitespace follows.
"""

from __future__ import annotations

import re

from casework.ingest.article import Span
from casework.ingest.extract.budget import check_budget

# End punctuation, then closing quotes/brackets, then whitespace (not consumed). Only from
# the first mark of a run: tried at every mark of a run of 100,000 dots (or "…", "?!"), the
# run was read to its end from each one — quadratic, over a minute for 100 KB. A match from
# inside a run would end where one from its first mark does, so no sentence end is lost.
_END = re.compile(r"(?<![.!?…])(?P<punct>[.!?…]+)[\"'”’»)\]]*(?=\s)")
_LINE = re.compile(r"[^\n]+")
_NEXT = re.compile(r"\S")
_TOKEN_BEFORE = re.compile(r"[\w.]+$")
_WORD = re.compile(r"[\w'’]+")
_ROMAN = re.compile(r"[IVXLC]+\b")
_LIST_NUMBER = re.compile(r"\s*\d{1,3}$")

# Never end a sentence: a name or a clause always follows.
_ALWAYS_ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof gen lt col maj capt cmdr cdr adm sgt cpl pvt brig rep reps sen sens
    gov pres rev fr hon amb supt insp det st mt messrs mme mlle e.g i.e cf vs viz approx incl
    nr""".split()
)
# Not the end when a number (or a roman numeral, or an opening bracket) follows.
_NUMBER_ABBREVIATIONS = frozenset(
    """no nos art arts sec secs para paras vol vols p pp fig figs ch chap cl op ref
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# May end a sentence, but usually do not: split only before a word that starts sentences.
_ACRONYM_LIKE = frozenset("inc ltd co corp jr sr bros llc al".split())
_SENTENCE_STARTERS = frozenset(
    """The A An In On At It Its He She They We I You But And Or So Yet This That These Those
    There Their His Her Our My According After Before When While As If Since Although Though
    However Meanwhile Some Many Most Several One Two Three No Not Among During Under For With
    Without From By To Last Earlier Later What Why How Who Where Both Each Every All Such Other
    Another Then Now Still Also Officials Authorities Police""".split()
)


def sentences(text: str) -> list[Span]:
    """The sentences of `text`, in order, each a Span whose offsets index `text` exactly and
    whose `text` is `text[start:end]` (surrounding whitespace excluded)."""
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        check_budget()
        line_start, line_end = line.span()
        start = line_start
        # The line's first character that is not a space (found once per line: a number
        # opening a list item is looked for from there, not across the indent each time).
        first = _NEXT.search(text, line_start, line_end)
        content_start = first.start() if first else line_end
        for end in _END.finditer(text, line_start, line_end):
            if _ends_sentence(text, end, content_start, line_end):
                _add(text, start, end.end(), spans)
                start = end.end()
        _add(text, start, line_end, spans)
    return spans


def sentence_at(spans: list[Span], offset: int) -> Span | None:
    """The sentence (of `spans`, as returned by `sentences`) holding character `offset`."""
    low, high = 0, len(spans)
    while low < high:
        middle = (low + high) // 2
        if spans[middle].end <= offset:
            low = middle + 1
        else:
            high = middle
    if low < len(spans) and spans[low].start <= offset < spans[low].end:
        return spans[low]
    return None


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append(Span(start, end, text[start:end]))


def _ends_sentence(text: str, end: re.Match[str], content_start: int, line_end: int) -> bool:
    following = _NEXT.search(text, end.end(), line_end)
    if following is None:
        return False  # the line's end closes the sentence anyway
    first = following.group()
    if first.islower() or first in ",;:":
        # '"Is it over?" she asked.' — a lowercase word continues the sentence.
        return False
    if end.group("punct") != ".":
        return True
    dot = end.start("punct")
    token_match = _TOKEN_BEFORE.search(text, max(content_start, dot - 40), dot)
    if token_match is None:
        return True
    token = token_match.group().lstrip("_")  # AP's "_Oct. 9," opening a list item
    lowered = token.lower()
    if lowered in _ALWAYS_ABBREVIATIONS:
        return False
    word_match = _WORD.match(text, following.start(), line_end)
    next_word = word_match.group() if word_match else ""
    if lowered in _NUMBER_ABBREVIATIONS:
        return not (first.isdigit() or first in "([" or _ROMAN.match(next_word))
    if token.isdigit() and _LIST_NUMBER.fullmatch(text, content_start, dot):
        return False  # "1. The first demand" opening a line is a list item's number
    if "." in token or (len(token) == 1 and token.isalpha()) or lowered in _ACRONYM_LIKE:
        return next_word in _SENTENCE_STARTERS
    return True
