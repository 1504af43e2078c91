"""Laws and treaties an article names, with the article or section it cites, matched to the
tracker's own statutes through the statute catalog (model/statutes.py: its names and aliases,
and the rule that names, never descriptions or a bare city, are statutes).

An article or section counts when it is tied to a name in the same sentence: "Article
8(2)(b)(xx) of the Rome Statute", "the Rome Statute's article 7", "ICCPR Article 9", "Art. 3
common to the Geneva Conventions" and "common Article 3" (article "common 3"), "Section 2 of
the Insurrection Act". "Article 19" with no instrument beside it (a newspaper's article, the
free-expression group) is nothing.

Back-references: "the convention", "the treaty", "the covenant", "the protocol", "the
charter", "the statute" after a named instrument are that instrument: the last one named in
the text whose names hold that word ("treaty" and "convention" standing for each other, so
"the convention" after the Rome Statute is still the Ottawa Convention named before it); "the
Act" is a national law named earlier in the same sentence only, since articles often name
several. "The treaty" before any instrument is named, "the statute of limitations", "the
Convention on ..." (a name the catalog lacks) are nothing.

Names the catalog lacks are read by their shape (`law_patterns`): "the Suppression of
Terrorism Act of 2008", "8 U.S.C. § 1231", "Title 42", "la Ley Orgánica 4/2015", each the
statute the catalog resolves it to when it resolves ("the Posse Comitatus Act of 1878"), else
one of its own under the name the article gives it most fully ("the Suppression of Terrorism
Act" after "the Suppression of Terrorism Act of 2008" is the same one). Names are found
whatever their accents ("Convention de Geneve" is "Convention de Genève"), and Spanish and
French references tie as English ones do ("el artículo 7 del Estatuto de Roma", "l'article 7
du Statut de Rome", "…, cuya disposición décima").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from casework.ingest.article import Article, Span
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.items import LawMention
from casework.ingest.extract.law_patterns import read_names
from casework.ingest.extract.sentences import sentence_at, sentences
from casework.model import Site
from casework.model.statutes import (
    Statute,
    StatuteCatalog,
    StatuteKind,
    loose_key,
    statute_kind,
)

# The word a back-reference uses, and which instruments it may stand for.
_BACK_WORDS: dict[str, tuple[StatuteKind, ...]] = {
    "convention": ("treaty",),
    "treaty": ("treaty",),
    "covenant": ("treaty",),
    "protocol": ("treaty",),
    "charter": ("treaty",),
    "statute": ("treaty", "national"),
    "act": ("national",),
}

_NUMBER = r"(?:\d+[a-z]?|[IVXL]+\b)(?:\s?\((?:[0-9]{1,3}|[a-z]{1,2}|[ivxl]{1,6})\))*"
_ARTICLE_REF = re.compile(
    rf"(?P<common>\b[Cc]ommon\s+)?"
    rf"(?P<label>\b[Aa]rticles?|\b[Aa]rticulos?|\bArts?\.|\b[Ss]ections?|\bSecs?\.|§§?)\s*"
    rf"(?P<numbers>{_NUMBER}(?:\s*(?:,|and|&|or|y|et)\s*{_NUMBER})*)"
)
# A Spanish law's additional provisions are cited by ordinal: "disposición (adicional) décima";
# the article is written so, label and all (it is no article number).
_DISPOSICION = re.compile(
    r"\b[Dd]isposicion(?:\s+(?:adicional|transitoria|final|derogatoria))?\s+"
    r"(?:primera|segunda|tercera|cuarta|quinta|sexta|septima|octava|novena|decima|"
    r"undecima|duodecima|decimo\w+|vigesima|unica)\b"
)
_ONE_NUMBER = re.compile(_NUMBER)
# Between an article reference and the name it belongs to: "Article 7 of the [Rome Statute]",
# "Art. 3 common to the four [Geneva Conventions]".
_REF_BEFORE_NAME = re.compile(
    r"\s+(?:(?P<common>common)\s+to\s+(?:all\s+)?(?:the\s+)?(?:four\s+)?|"
    r"commun(?:e)?\s+aux\s+(?:quatre\s+)?|"
    r"(?:of|in|under)\s+(?:the\s+)?(?:(?:1[89]|20)\d\d\s+)?|"
    r"(?:del|de\s+la|de\s+los|de\s+las|de|du|de\s+l['’]|des)\s*)",
    re.IGNORECASE,
)
# Between a name and the article reference that belongs to it: "the Rome Statute's article 7",
# "ICCPR Article 9", "the Covenant on Civil and Political Rights, whose Article 21".
_NAME_BEFORE_REF = re.compile(
    r"(?:['’]s?)?\s*(?:,\s*(?:whose|cuy[oa]s?|dont\s+(?:l['’]|les?\s+|la\s+))\s*)?"
)
_BACK_REFERENCE = re.compile(
    r"\b(?:the|this|that|The|This|That)\s+"
    r"(?P<word>[Cc]onvention|[Tt]reaty|[Cc]ovenant|[Pp]rotocol|[Cc]harter|[Ss]tatute|Act)\b"
    # "the statute of limitations", "the Convention on Migrant Workers": other things.
    r"(?!\s+(?:of|on|against|for|to|relating|between|with)\b)"
    # "the Convention Center", "the Charter Building": a name of something else.
    r"(?!\s+[A-Z][a-z])"
)
_BRACKETED_ACRONYM = re.compile(r"\((?P<short>[A-Z]{2,8})\)")
# The capitalised words before a bracketed acronym ("European Court of Human Rights (ECHR)").
_LONG_FORM = re.compile(
    r"(?:[A-Z][\w’'-]*\s+(?:(?:of|for|on|the|and|to|against|in)\s+){0,2}){2,12}$"
)


def fold_same_length(text: str) -> str:
    """`text` with each accented letter its base letter ("é" → "e", "í" → "i"), one
    character for one, so that offsets in it are offsets in `text`."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        parts = unicodedata.normalize("NFD", char)
        plain = len(parts) > 1 and all(unicodedata.combining(c) for c in parts[1:])
        out.append(parts[0] if plain else char)
    return "".join(out)


def _pattern(alias: str) -> str:
    out = []
    for char in fold_same_length(alias):
        if char == " ":
            out.append(r"[\s\-‐–]+")
        elif char in "-‐–":
            out.append(r"[\s\-‐–]?")
        elif char == ".":
            out.append(r"\.?")
        elif char in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(char))
    return "".join(out)


class LawCatalog(StatuteCatalog):
    """The statute catalog, with what finding its names in text needs: a pattern of every
    name and one of every acronym."""

    def __init__(self, statutes: Iterable[Statute]) -> None:
        super().__init__(statutes)
        # Names of one word ("ICCPR", a tracker's "IHL" or "Statute") match as written only:
        # "statute" is a word, not a statute.
        names = sorted(
            {n for i in self.statutes for n in i.names() if len(n.split()) > 1},
            key=len,
            reverse=True,
        )
        self._names = re.compile(
            r"(?<![\w-])(?:" + "|".join(_pattern(n) for n in names) + r")(?![\w-])",
            re.IGNORECASE,
        )
        acronyms = sorted(
            {a for i in self.statutes for a in i.acronyms}
            | {n for i in self.statutes for n in i.names() if len(n.split()) == 1},
            key=len,
            reverse=True,
        )
        self._words = re.compile(
            r"(?<![\w-])(?:" + "|".join(_pattern(a) for a in acronyms) + r")(?![\w-])"
        )

    @classmethod
    def for_site(cls, site: Site) -> LawCatalog:
        """The catalog `site` knows (the built-in one with its `[[law.statutes]]`)."""
        return _site_catalog(site.statute_catalog())

    def mentions(self, text: str, start: int, end: int) -> list[tuple[int, int, Statute]]:
        """(start, end, instrument) of every name and acronym in text[start:end], in order,
        without overlaps (the longer name wins)."""
        found: list[tuple[int, int, Statute]] = []
        for pattern in (self._names, self._words):
            for match in pattern.finditer(text, start, end):
                instrument = self.find(match.group())
                if instrument is not None:
                    found.append((match.start(), match.end(), instrument))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        kept: list[tuple[int, int, Statute]] = []
        for item in found:
            if kept and item[0] < kept[-1][1]:
                continue
            if (
                kept
                and kept[-1][2] is item[2]
                and re.fullmatch(r"\s*\(", text[kept[-1][1] : item[0]])
            ):
                continue  # "Convention against Torture (CAT)": the acronym defined, not again
            kept.append(item)
        return kept


@lru_cache(maxsize=16)
def _site_catalog(statutes: StatuteCatalog) -> LawCatalog:
    # One per site catalog: compiling the two patterns takes a few milliseconds.
    return LawCatalog(statutes.statutes)


@dataclass
class _Named:
    start: int
    end: int
    instrument: Statute
    back_reference: bool = False


def _articles(numbers: str, common: bool) -> list[str]:
    found = [" ".join(n.split()).replace(" (", "(") for n in _ONE_NUMBER.findall(numbers)]
    return [f"common {n}" if common else n for n in found]


def extract_law(article: Article, catalog: LawCatalog) -> list[LawMention]:
    """Every law or treaty the article's text names or refers back to, in order, with the
    article it cites when it cites one."""
    original = article.text
    text = fold_same_length(original)  # names are matched whatever their accents
    spans = sentences(original)
    suppressed = _suppressed_acronyms(text, catalog)
    mentions: list[LawMention] = []
    earlier = _Earlier()  # the instruments named in the sentences before
    unknown = _Unknown(catalog)  # the statutes read by shape that the catalog lacks
    for sentence in spans:
        check_budget()
        named = [
            _Named(s, e, i)
            for s, e, i in catalog.mentions(text, sentence.start, sentence.end)
            if text[s:e] not in suppressed
        ]
        named = _with_shapes(text, original, sentence, named, unknown)
        named = _with_back_references(text, sentence, named, earlier)
        used_refs: set[int] = set()
        refs = _references(text, original, sentence)
        ref_starts = [ref.start for ref in refs]
        ref_ends = [ref.end for ref in refs]
        for item in named:
            check_budget()
            articles: list[str] = []
            expr_start, expr_end = item.start, item.end
            # Only the reference right before the name and the one right after it can be
            # tied to it: the words between a name and any other would hold a reference.
            # (Every reference of the sentence was tried for every name: quadratic.)
            before = bisect_right(ref_ends, item.start) - 1
            after = bisect_left(ref_starts, item.end)
            beside = [refs[before]] if before >= 0 else []
            beside += [refs[after]] if after < len(refs) else []
            for ref in beside:
                if ref.start in used_refs:
                    continue
                if ref.end <= item.start:
                    tie = _REF_BEFORE_NAME.fullmatch(text, ref.end, item.start)
                    if tie is None:
                        continue
                    common = ref.common or bool(tie.group("common") or "commun" in tie.group())
                    expr_start = min(expr_start, ref.start)
                else:
                    if not _NAME_BEFORE_REF.fullmatch(text, item.end, ref.start):
                        continue
                    common = ref.common
                    expr_end = max(expr_end, ref.end)
                used_refs.add(ref.start)
                articles.extend(ref.articles(common))
            expression = original[expr_start:expr_end]
            instrument = item.instrument
            span = _sentence_span(spans, sentence, expr_start)
            cited_articles: list[str | None] = [*articles] if articles else [None]
            for cited in cited_articles:
                mentions.append(
                    LawMention(instrument.name, cited, expression, instrument.known, span)
                )
        for item in named:
            if not item.back_reference:
                earlier.add(item.instrument)
        # "common Article 3" alone names the Geneva Conventions.
        for ref in refs:
            if ref.start in used_refs or not ref.common:
                continue
            geneva = catalog.find("Geneva Conventions")
            if geneva is None:
                continue
            for cited in ref.articles(True):
                written = original[ref.start : ref.end]
                mentions.append(LawMention(geneva.name, cited, written, geneva.known, sentence))
    return unknown.named_fully(mentions)


@dataclass(frozen=True)
class _Ref:
    """An article or section reference: "Article 8(2)(b)", "Arts. 6 and 7", "disposición
    décima"."""

    start: int
    end: int
    numbers: str  # as the reference writes them
    common: bool  # "common Article 3"
    as_written: bool = False  # the article is `numbers` itself ("disposición décima")

    def articles(self, common: bool) -> list[str]:
        return [self.numbers] if self.as_written else _articles(self.numbers, common)


def _references(text: str, original: str, sentence: Span) -> list[_Ref]:
    refs = [
        _Ref(m.start(), m.end(), m.group("numbers"), bool(m.group("common")))
        for m in _ARTICLE_REF.finditer(text, sentence.start, sentence.end)
    ]
    refs += [
        _Ref(m.start(), m.end(), " ".join(original[m.start() : m.end()].split()), False, True)
        for m in _DISPOSICION.finditer(text, sentence.start, sentence.end)
    ]
    refs.sort(key=lambda r: r.start)
    return refs


class _Unknown:
    """The statutes read by their shape that the catalog lacks, one per name however the
    article varies it ("the Suppression of Terrorism Act of 2008", "the Suppression of
    Terrorism Act"): keyed by the name without "the" or a year, named by its fullest form."""

    def __init__(self, catalog: LawCatalog) -> None:
        self.catalog = catalog
        self.by_key: dict[str, Statute] = {}
        self.fullest: dict[str, str] = {}

    def statute(self, name: str) -> Statute | None:
        known = self.catalog.resolve(name)
        if known is not None:
            return known
        key = _bare_key(name)
        if not key:
            return None
        if key not in self.by_key:
            self.by_key[key] = Statute(name, kind=statute_kind(name))
        if len(name) > len(self.fullest.get(key, "")):
            self.fullest[key] = name
        return self.by_key[key]

    def named_fully(self, mentions: list[LawMention]) -> list[LawMention]:
        names = {self.by_key[k].name: full for k, full in self.fullest.items()}
        return [
            replace(m, statute=names[m.statute]) if m.statute in names and not m.known else m
            for m in mentions
        ]


_YEAR_TAIL = re.compile(r"(?:\s+of)?\s+(?:1[6-9]|20)\d\d$|^(?:1[6-9]|20)\d\d\s+")


def _bare_key(name: str) -> str:
    bare = re.sub(r"^(?:the|la|el|le|les|los|las)\s+", "", name.strip(), flags=re.IGNORECASE)
    return loose_key(_YEAR_TAIL.sub("", bare))


def _with_shapes(
    text: str, original: str, sentence: Span, named: list[_Named], unknown: _Unknown
) -> list[_Named]:
    """`named` with the names read by their shape (`law_patterns`) that no catalog name
    overlaps; a shape holding catalog names replaces them when the whole resolves to a
    statute ("the Posse Comitatus Act of 1878")."""
    shapes = read_names(text, original, sentence.start, sentence.end)
    if not shapes:
        return named
    # `named` never overlap, so their ends are in order too: the ones a shape overlaps are
    # found by bisection (a scan of all of them for each shape was quadratic).
    starts = [n.start for n in named]
    ends = [n.end for n in named]
    dropped: set[int] = set()
    added: list[_Named] = []
    for shape in shapes:
        check_budget()
        first = bisect_right(ends, shape.start)
        last = bisect_left(starts, shape.end)
        if first < last:
            within = named[first].start >= shape.start and named[last - 1].end <= shape.end
            whole = unknown.catalog.resolve(shape.name) if within else None
            if whole is not None:
                dropped.update(range(first, last))
                added.append(_Named(shape.start, shape.end, whole))
            continue
        statute = unknown.statute(shape.name)
        if statute is not None:
            added.append(_Named(shape.start, shape.end, statute))
    result = [n for i, n in enumerate(named) if i not in dropped] + added
    result.sort(key=lambda n: n.start)
    return result


def _sentence_span(spans: list[Span], sentence: Span, offset: int) -> Span:
    return sentence_at(spans, offset) or sentence


def _stands_for(instrument: Statute, word: str) -> bool:
    """Whether "the <word>" may refer back to `instrument`."""
    return instrument.kind in _BACK_WORDS[word] and (word == "act" or _says(instrument, word))


class _Earlier:
    """Of the instruments named so far, the last each back-reference word may stand for
    (instead of every one named, searched again at each "the convention": quadratic)."""

    def __init__(self) -> None:
        self.last: dict[str, Statute] = {}

    def add(self, instrument: Statute) -> None:
        for word in _BACK_WORDS:
            if word != "act" and _stands_for(instrument, word):
                self.last[word] = instrument


def _with_back_references(
    text: str, sentence: Span, named: list[_Named], earlier: _Earlier
) -> list[_Named]:
    """`named` (in order, never overlapping) with "the convention", "the treaty", "the Act"...
    that stand for an instrument named before (an Act: before in the same sentence)."""
    result = list(named)
    starts = [n.start for n in named]
    ends = [n.end for n in named]
    standing: dict[str, list[int]] = {}  # word → per prefix of named, its last it stands for
    for match in _BACK_REFERENCE.finditer(text, sentence.start, sentence.end):
        around = bisect_right(starts, match.start()) - 1
        last = bisect_right(starts, match.end() - 1) - 1
        if (around >= 0 and match.start() < named[around].end) or (
            last >= 0 and match.end() <= named[last].end
        ):
            continue  # part of a name: "the Convention against Torture"
        word = match.group("word").lower()
        if word not in standing:
            found, latest = [-1], -1
            for i, n in enumerate(named):
                latest = i if _stands_for(n.instrument, word) else latest
                found.append(latest)
            standing[word] = found
        # The last instrument named before it in the sentence, else in the text before.
        at = standing[word][bisect_right(ends, match.start())]
        target = named[at].instrument if at >= 0 else None
        if target is None and word != "act":
            target = earlier.last.get(word)
        if target is not None:
            result.append(_Named(match.start(), match.end(), target, back_reference=True))
    result.sort(key=lambda n: n.start)
    return result


def _says(instrument: Statute, word: str) -> bool:
    """Whether one of the instrument's names holds `word` ("the covenant": the ICCPR); a
    treaty and a convention stand for each other ("the treaty": the Ottawa Convention), not
    for a statute ("the convention" after the Rome Statute is some other convention)."""
    words = ("treaty", "convention") if word in ("treaty", "convention") else (word,)
    return any(w in name.lower() for name in instrument.names() for w in words)


def _suppressed_acronyms(text: str, catalog: LawCatalog) -> frozenset[str]:
    """Catalog acronyms the article defines as something else: "the European Court of Human
    Rights (ECHR)" makes ECHR the court there, not the convention."""
    suppressed = set()
    for match in _BRACKETED_ACRONYM.finditer(text):
        short = match.group("short")
        if short in suppressed:
            continue  # (read once: a thousand "(ECHR)" are one question)
        instrument = catalog.find(short)
        if instrument is None:
            continue
        long = _LONG_FORM.search(text, max(0, match.start() - 160), match.start())
        if long is None:
            continue
        words = long.group()
        if all(found is not instrument for _s, _e, found in catalog.mentions(words, 0, len(words))):
            suppressed.add(short)
    return frozenset(suppressed)
