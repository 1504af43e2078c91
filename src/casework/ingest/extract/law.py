"""Laws and treaties an article names, with the article or section it cites, matched to the
tracker's own statutes through a catalog of names and aliases.

Names only, never descriptions: "the Ottawa Convention", "the Mine Ban Treaty" and "the
Anti-Personnel Mine Ban Convention" are one instrument; "an international treaty banning
landmines" is none. "Geneva" or "Rome" alone is a city, never a convention or a statute.

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
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from casework.ingest.article import Article, Span
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.items import LawMention
from casework.ingest.extract.sentences import sentence_at, sentences

InstrumentKind = Literal["treaty", "declaration", "national", "other"]


@dataclass(frozen=True)
class Instrument:
    """One law or treaty: its canonical name, the names it also goes by (matched whatever
    their case, hyphens and spacing), acronyms (matched as written, in capitals)."""

    name: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    kind: InstrumentKind = "treaty"
    known: bool = False  # the tracker uses it

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _i(
    name: str, *aliases: str, acronyms: tuple[str, ...] = (), kind: InstrumentKind = "treaty"
) -> Instrument:
    return Instrument(name, aliases, acronyms, kind)


DEFAULT_INSTRUMENTS: tuple[Instrument, ...] = (
    _i(
        "Ottawa Convention",
        "Ottawa Treaty",
        "Mine Ban Treaty",
        "Mine Ban Convention",
        "Anti-Personnel Mine Ban Convention",
        "Anti-Personnel Mine Ban Treaty",
        "Landmine Ban Treaty",
        "Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of "
        "Anti-Personnel Mines and on their Destruction",
        acronyms=("APMBC",),
    ),
    _i(
        "Rome Statute",
        "Rome Statute of the International Criminal Court",
        "ICC Statute",
        "Statute of the International Criminal Court",
    ),
    _i("First Geneva Convention", "Geneva Convention I"),
    _i("Second Geneva Convention", "Geneva Convention II"),
    _i(
        "Third Geneva Convention",
        "Geneva Convention III",
        "Geneva Convention relative to the Treatment of Prisoners of War",
        acronyms=("GCIII",),
    ),
    _i(
        "Fourth Geneva Convention",
        "Geneva Convention IV",
        "Geneva Convention relative to the Protection of Civilian Persons in Time of War",
        acronyms=("GCIV",),
    ),
    _i("Geneva Conventions", "Geneva Convention", "Geneva Conventions of 1949"),
    _i(
        "Additional Protocol I",
        "First Additional Protocol",
        "Additional Protocol I to the Geneva Conventions",
        "Protocol I Additional to the Geneva Conventions",
        "Protocol Additional to the Geneva Conventions of 12 August 1949, and relating to the "
        "Protection of Victims of International Armed Conflicts",
        acronyms=("AP I",),
    ),
    _i(
        "Additional Protocol II",
        "Second Additional Protocol",
        "Additional Protocol II to the Geneva Conventions",
        "Protocol II Additional to the Geneva Conventions",
        "Protocol Additional to the Geneva Conventions of 12 August 1949, and relating to the "
        "Protection of Victims of Non-International Armed Conflicts",
        acronyms=("AP II",),
    ),
    # Not "the Hague Convention" alone: the child-abduction one is in the news more often.
    _i(
        "Hague Regulations",
        "Hague Conventions",
        "Hague Convention of 1907",
        "1907 Hague Convention",
        "Hague Convention IV",
    ),
    _i(
        "Convention against Torture",
        "UN Convention against Torture",
        "United Nations Convention against Torture",
        "Torture Convention",
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
        acronyms=("CAT", "UNCAT"),
    ),
    _i(
        "Optional Protocol to the Convention against Torture",
        acronyms=("OPCAT",),
    ),
    _i(
        "ICCPR",
        "International Covenant on Civil and Political Rights",
        acronyms=("ICCPR",),
    ),
    _i(
        "ICESCR",
        "International Covenant on Economic, Social and Cultural Rights",
        acronyms=("ICESCR",),
    ),
    _i(
        "Genocide Convention",
        "Convention on the Prevention and Punishment of the Crime of Genocide",
        "UN Genocide Convention",
    ),
    _i(
        "Refugee Convention",
        "1951 Refugee Convention",
        "1951 Convention",
        "Convention Relating to the Status of Refugees",
        "Geneva Convention relating to the Status of Refugees",
        "UN Refugee Convention",
        "Refugees Convention",
    ),
    _i(
        "1967 Protocol Relating to the Status of Refugees",
        "1967 Protocol",
        "Protocol Relating to the Status of Refugees",
        "1967 Refugee Protocol",
    ),
    _i("Convention on Cluster Munitions", "Cluster Munitions Convention", acronyms=("CCM",)),
    _i(
        "Convention on Certain Conventional Weapons",
        "Certain Conventional Weapons Convention",
        "Convention on Conventional Weapons",
        acronyms=("CCW",),
    ),
    _i("Arms Trade Treaty", acronyms=("ATT",)),
    _i("UN Charter", "Charter of the United Nations", "United Nations Charter", "U.N. Charter"),
    _i(
        "Universal Declaration of Human Rights",
        acronyms=("UDHR",),
        kind="declaration",
    ),
    _i(
        "European Convention on Human Rights",
        "Convention for the Protection of Human Rights and Fundamental Freedoms",
        acronyms=("ECHR",),
    ),
    _i(
        "CEDAW",
        "Convention on the Elimination of All Forms of Discrimination against Women",
        "Convention on the Elimination of Discrimination against Women",
        acronyms=("CEDAW",),
    ),
    _i(
        "ICERD",
        "International Convention on the Elimination of All Forms of Racial Discrimination",
        acronyms=("ICERD", "CERD"),
    ),
    _i(
        "Convention on the Rights of the Child",
        "UN Convention on the Rights of the Child",
        "United Nations Convention on the Rights of the Child",
        acronyms=("UNCRC", "CRC"),
    ),
    _i(
        "Convention on the Rights of Persons with Disabilities",
        acronyms=("CRPD",),
    ),
    _i(
        "International Convention for the Protection of All Persons from Enforced Disappearance",
        "Convention on Enforced Disappearances",
        "Enforced Disappearance Convention",
        acronyms=("ICPPED",),
    ),
    _i(
        "Chemical Weapons Convention",
        "Convention on the Prohibition of the Development, Production, Stockpiling and Use of "
        "Chemical Weapons and on their Destruction",
        acronyms=("CWC",),
    ),
    _i(
        "Biological Weapons Convention",
        "Biological and Toxin Weapons Convention",
        acronyms=("BWC", "BTWC"),
    ),
    _i(
        "Nelson Mandela Rules",
        "Mandela Rules",
        "UN Standard Minimum Rules for the Treatment of Prisoners",
        "Standard Minimum Rules for the Treatment of Prisoners",
        kind="other",
    ),
    # National laws common in accountability work.
    _i("Leahy Law", "Leahy Laws", "Leahy Amendment", "Leahy vetting law", kind="national"),
    _i("War Crimes Act", "War Crimes Act of 1996", kind="national"),
    _i(
        "Alien Tort Statute",
        "Alien Tort Claims Act",
        acronyms=("ATCA",),
        kind="national",
    ),
    _i("Torture Victim Protection Act", acronyms=("TVPA",), kind="national"),
    _i("Insurrection Act", "Insurrection Act of 1807", kind="national"),
    _i("Posse Comitatus Act", "Posse Comitatus Act of 1878", kind="national"),
    _i(
        "Global Magnitsky Act",
        "Global Magnitsky Human Rights Accountability Act",
        "Magnitsky Act",
        kind="national",
    ),
    _i("Human Rights Act 1998", "Human Rights Act", "UK Human Rights Act", kind="national"),
)

# The word a back-reference uses, and which instruments it may stand for.
_BACK_WORDS: dict[str, tuple[InstrumentKind, ...]] = {
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
    rf"(?P<label>\b[Aa]rticles?|\bArts?\.|\b[Ss]ections?|\bSecs?\.|§§?)\s*"
    rf"(?P<numbers>{_NUMBER}(?:\s*(?:,|and|&|or)\s*{_NUMBER})*)"
)
_ONE_NUMBER = re.compile(_NUMBER)
# Between an article reference and the name it belongs to: "Article 7 of the [Rome Statute]",
# "Art. 3 common to the four [Geneva Conventions]".
_REF_BEFORE_NAME = re.compile(
    r"\s+(?:(?P<common>common)\s+to\s+(?:all\s+)?(?:the\s+)?(?:four\s+)?|"
    r"(?:of|in|under)\s+(?:the\s+)?(?:(?:1[89]|20)\d\d\s+)?)",
    re.IGNORECASE,
)
# Between a name and the article reference that belongs to it: "the Rome Statute's article 7",
# "ICCPR Article 9", "the Covenant on Civil and Political Rights, whose Article 21".
_NAME_BEFORE_REF = re.compile(r"(?:['’]s?)?\s*(?:,\s*whose\s+)?")
_BACK_REFERENCE = re.compile(
    r"\b(?:the|this|that|The|This|That)\s+"
    r"(?P<word>[Cc]onvention|[Tt]reaty|[Cc]ovenant|[Pp]rotocol|[Cc]harter|[Ss]tatute|Act)\b"
    # "the statute of limitations", "the Convention on Migrant Workers": other things.
    r"(?!\s+(?:of|on|against|for|to|relating|between|with)\b)"
)
_BRACKETED_ACRONYM = re.compile(r"\((?P<short>[A-Z]{2,8})\)")
# The capitalised words before a bracketed acronym ("European Court of Human Rights (ECHR)").
_LONG_FORM = re.compile(
    r"(?:[A-Z][\w’'-]*\s+(?:(?:of|for|on|the|and|to|against|in)\s+){0,2}){2,12}$"
)


def _key(name: str) -> str:
    """How names compare: accents folded, case, spacing and hyphens ignored."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s\-‐–—.]+", "", folded.replace("’", "'"))


def _pattern(alias: str) -> str:
    out = []
    for char in alias:
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


class LawCatalog:
    """Instruments by every name and acronym they go by."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self.instruments: tuple[Instrument, ...] = tuple(instruments)
        self._by_key: dict[str, Instrument] = {}
        self._by_acronym: dict[str, Instrument] = {}
        for instrument in self.instruments:
            for name in instrument.names():
                self._by_key.setdefault(_key(name), instrument)
            for acronym in instrument.acronyms:
                self._by_acronym.setdefault(acronym, instrument)
                self._by_key.setdefault(_key(acronym), instrument)
        # Names of one word ("ICCPR", a tracker's "IHL" or "Statute") match as written only:
        # "statute" is a word, not a statute.
        names = sorted(
            {n for i in self.instruments for n in i.names() if len(n.split()) > 1},
            key=len,
            reverse=True,
        )
        self._names = re.compile(
            r"(?<![\w-])(?:" + "|".join(_pattern(n) for n in names) + r")(?![\w-])",
            re.IGNORECASE,
        )
        acronyms = sorted(
            {a for i in self.instruments for a in i.acronyms}
            | {n for i in self.instruments for n in i.names() if len(n.split()) == 1},
            key=len,
            reverse=True,
        )
        self._words = re.compile(
            r"(?<![\w-])(?:" + "|".join(_pattern(a) for a in acronyms) + r")(?![\w-])"
        )

    @classmethod
    def default(cls) -> LawCatalog:
        """The built-in catalog: the major international instruments and a few national laws."""
        return cls(DEFAULT_INSTRUMENTS)

    def find(self, name: str) -> Instrument | None:
        """The instrument `name` is a name, alias or acronym of."""
        instrument = self._by_key.get(_key(name))
        if instrument is None and name.strip() in self._by_acronym:
            instrument = self._by_acronym[name.strip()]
        return instrument

    def with_statutes(self, names: Iterable[str]) -> LawCatalog:
        """This catalog with the tracker's statutes: a statute the catalog knows (by any of its
        names, or by a part of it in brackets: "Ottawa Treaty (Mine Ban Treaty)") takes the
        tracker's spelling as its canonical name — the spelling most used, when the tracker
        has several; a statute it does not know becomes an instrument of its own."""
        counts = Counter(n.strip() for n in names if n and n.strip())
        chosen: dict[int, str] = {}  # instrument index → the tracker's spelling
        extra: list[Instrument] = []
        index = {id(instrument): i for i, instrument in enumerate(self.instruments)}
        for name, _count in sorted(counts.items(), key=lambda item: -item[1]):
            instrument = self._match_statute(name)
            if instrument is not None:
                chosen.setdefault(index[id(instrument)], name)
                continue
            extra.append(_tracker_instrument(name))
        instruments = []
        for i, instrument in enumerate(self.instruments):
            if i in chosen:
                spelled = chosen[i]
                aliases = tuple(
                    n for n in (*instrument.names(), *_bracketed(spelled)) if n != spelled
                )
                instrument = replace(instrument, name=spelled, aliases=aliases, known=True)
            instruments.append(instrument)
        return LawCatalog([*instruments, *extra])

    def _match_statute(self, name: str) -> Instrument | None:
        for form in (name, *_bracketed(name)):
            found = self.find(form)
            if found is not None:
                return found
        return None

    def mentions(self, text: str, start: int, end: int) -> list[tuple[int, int, Instrument]]:
        """(start, end, instrument) of every name and acronym in text[start:end], in order,
        without overlaps (the longer name wins)."""
        found: list[tuple[int, int, Instrument]] = []
        for pattern in (self._names, self._words):
            for match in pattern.finditer(text, start, end):
                instrument = self.find(match.group())
                if instrument is not None:
                    found.append((match.start(), match.end(), instrument))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        kept: list[tuple[int, int, Instrument]] = []
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


def _bracketed(name: str) -> tuple[str, ...]:
    """The parts of "Ottawa Treaty (Mine Ban Treaty)": ("Ottawa Treaty", "Mine Ban Treaty")."""
    match = re.fullmatch(r"\s*(.+?)\s*\(([^()]+)\)\s*", name)
    return match.groups() if match else ()


def _tracker_instrument(name: str) -> Instrument:
    parts = _bracketed(name)
    acronyms = tuple(p for p in parts if p.isupper() and " " not in p)
    aliases = tuple(p for p in parts if p not in acronyms)
    lowered = name.lower()
    kind: InstrumentKind = "treaty"
    if re.search(r"\b(?:act|code|law|amendment|statute)\b", lowered) and not re.search(
        r"\b(?:convention|treaty|covenant|protocol)\b", lowered
    ):
        kind = "national"
    elif re.search(r"\b(?:declaration|rules|principles|guidelines)\b", lowered):
        kind = "declaration"
    elif not re.search(r"\b(?:convention|treaty|covenant|protocol|charter)\b", lowered):
        kind = "other"  # "International Humanitarian Law", "Customary IHL"
    return Instrument(name.strip(), aliases, acronyms, kind, known=True)


@dataclass
class _Named:
    start: int
    end: int
    instrument: Instrument
    back_reference: bool = False


def _articles(numbers: str, common: bool) -> list[str]:
    found = [" ".join(n.split()).replace(" (", "(") for n in _ONE_NUMBER.findall(numbers)]
    return [f"common {n}" if common else n for n in found]


def extract_law(article: Article, catalog: LawCatalog) -> list[LawMention]:
    """Every law or treaty the article's text names or refers back to, in order, with the
    article it cites when it cites one."""
    text = article.text
    spans = sentences(text)
    suppressed = _suppressed_acronyms(text, catalog)
    mentions: list[LawMention] = []
    earlier = _Earlier()  # the instruments named in the sentences before
    for sentence in spans:
        check_budget()
        named = [
            _Named(s, e, i)
            for s, e, i in catalog.mentions(text, sentence.start, sentence.end)
            if text[s:e] not in suppressed
        ]
        named = _with_back_references(text, sentence, named, earlier)
        used_refs: set[int] = set()
        refs = list(_ARTICLE_REF.finditer(text, sentence.start, sentence.end))
        ref_starts = [ref.start() for ref in refs]
        ref_ends = [ref.end() for ref in refs]
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
                if ref.start() in used_refs:
                    continue
                if ref.end() <= item.start:
                    tie = _REF_BEFORE_NAME.fullmatch(text, ref.end(), item.start)
                    if tie is None:
                        continue
                    common = bool(ref.group("common") or tie.group("common"))
                    expr_start = min(expr_start, ref.start())
                else:
                    if not _NAME_BEFORE_REF.fullmatch(text, item.end, ref.start()):
                        continue
                    common = bool(ref.group("common"))
                    expr_end = max(expr_end, ref.end())
                used_refs.add(ref.start())
                articles.extend(_articles(ref.group("numbers"), common))
            expression = text[expr_start:expr_end]
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
            if ref.start() in used_refs or not ref.group("common"):
                continue
            geneva = catalog.find("Geneva Conventions")
            if geneva is None:
                continue
            for cited in _articles(ref.group("numbers"), True):
                mentions.append(LawMention(geneva.name, cited, ref.group(), geneva.known, sentence))
    return mentions


def _sentence_span(spans: list[Span], sentence: Span, offset: int) -> Span:
    return sentence_at(spans, offset) or sentence


def _stands_for(instrument: Instrument, word: str) -> bool:
    """Whether "the <word>" may refer back to `instrument`."""
    return instrument.kind in _BACK_WORDS[word] and (word == "act" or _says(instrument, word))


class _Earlier:
    """Of the instruments named so far, the last each back-reference word may stand for
    (instead of every one named, searched again at each "the convention": quadratic)."""

    def __init__(self) -> None:
        self.last: dict[str, Instrument] = {}

    def add(self, instrument: Instrument) -> None:
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


def _says(instrument: Instrument, word: str) -> bool:
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
