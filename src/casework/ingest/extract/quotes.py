"""Quotations and who said them: the speaker, their role and organisation.

Quoted words are found between “curly”, "straight" (paired within a paragraph) or «angle»
marks. The speaker is read from the attribution news writing uses:

- after the quote: `“…,” said Ben Linden, Amnesty International USA’s advocacy director…`,
  `“…,” Linden said.`, `“…,” the group said in a statement.`;
- before it: `Linden said: “…”`, `According to the ICBL, “…”`, `The ICBL condemned the move,
  noting that “…”` (a participle's speaker is the last person or organisation named before
  it in the sentence);
- carried over: `“…,” she said, “…”` is one quote; a quote that opens a sentence with no
  attribution of its own, in a paragraph whose earlier quote has one, is that speaker's.

"he"/"she" is the first person named in the nearest sentence before that names one, "it",
"they" and "the group" the first organisation; a last name alone is the person named in full
before, an acronym the article defined ("... Against Landmines (ICAL)") its long form. An
organisation that speaks is both the speaker and the organisation. A person quoted without a
role gets the one the article gave where it named them ("Harbour Watch researcher Ana Lima").

Short quotes (fewer than four words) are usually scare quotes ("a “force multiplier”",
"“devastating decision”", "said it was “deeply saddened”"): they are skipped unless attributed
directly (`“Never,” she said.`, `She said: “Never.”`).
A quote of four words or more with no attribution is kept with speaker "" (a document or a law
quoted, usually): the editor decides.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from casework.ingest.article import Article, Span
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.items import Mention, Quote
from casework.ingest.extract.names import (
    SENTENCE_WORDS,
    extract_mentions,
    name_kind,
    split_title,
)
from casework.ingest.extract.sentences import sentence_at, sentences

SHORT_QUOTE_WORDS = 4  # fewer words than this, not directly attributed: a scare quote
CLAUSE_CHARS = 400  # how far before a quote its attribution is looked for
# The most words a speaker's noun phrase before a speech verb is read from ("The International
# Committee of the Red Cross's regional director Patrick Youssef" has 12): the patterns that
# read it cost the square of its words, or more.
SPEAKER_WORDS = 20
TAIL_CHARS = 300  # and after it

_VERBS = (
    "said says told tells explained explains added adds warned warns noted notes wrote writes "
    "stated states argued argues condemned condemns continued continues insisted insists "
    "asked asks replied replies declared declares confirmed confirms acknowledged "
    "acknowledges recalled recalls urged urges cautioned cautions emphasized emphasised "
    "stressed stresses observed observes remarked claimed claims alleged alleges testified "
    "tweeted posted concluded announced announces responded commented cited cites "
    "described describes called calls"
)
# Verbs that may come before the speaker ("said Ben Linden"); "told X" names the listener.
_INVERTIBLE = (
    "said says explained added adds warned noted wrote stated argued continued insisted "
    "asked replied declared confirmed acknowledged recalled urged cautioned emphasized "
    "emphasised stressed observed remarked claimed testified concluded responded commented"
)
_PARTICIPLES = (
    "saying noting adding warning arguing writing stating explaining telling insisting "
    "declaring urging claiming describing calling citing"
)
_VERB = rf"(?:{'|'.join(_VERBS.split())})"
_ANY_VERB = re.compile(rf"\b(?:{'|'.join((_VERBS + ' ' + _PARTICIPLES).split())})\b")
_PARTICIPLE = frozenset(_PARTICIPLES.split())
_LONGEST_VERB = max(len(word) for word in (_VERBS + " " + _PARTICIPLES).split())
_WORD_CHAR = re.compile(r"\w")

_CAP = r"[A-Z][\w’'.&-]*"
_CAP_RUN = rf"{_CAP}(?:\s+(?:(?:of|for|the|and|to|de|al|van|von|bin)\s+){{0,2}}{_CAP})*"
_PRONOUNS = {"he": "person", "she": "person", "it": "organization", "they": "any"}
_GROUP_NOUNS = (
    "group organization organisation agency ministry department campaign coalition monitor "
    "committee charity ngo company army military police government administration court "
    "office council union foundation institute network commission authority mission team "
    "panel body tribunal embassy service board bureau firm"
)
_GROUP = rf"(?:{'|'.join(_GROUP_NOUNS.split())})"
_DOCUMENT_NOUNS = (
    r"(?:memo|memorandum|statement|report|letter|post|tweet|filing|complaint|order|ruling|"
    r"decision|press release|spokesperson|spokesman|spokeswoman|lawyers?|attorneys?|office)"
)
_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|then|has|had|have|previously|repeatedly|once|again|further|"
    r"separately|recently|publicly|would|will))+\s*$"
)

# The speaker right after a quote: "said Ben Linden, ..." or "Linden said", "she said".
_NP = (
    rf"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|(?:(?:the|a|an|The|A|An)\s+)?"
    rf"(?:{_CAP}|[a-z]+)(?:\s+(?:{_CAP}|[a-z]+|[A-Z][\w.]*[’']s)){{0,8}})"
)
_AFTER_INVERTED = re.compile(
    rf"^\s*,?\s*(?:{'|'.join(_INVERTIBLE.split())})\s+(?P<phrase>[^,.;:!?“”\"«»]+)"
    rf"(?:,\s*(?P<appos>[^,.;:!?“”\"«»]+(?:\.[^\s,][^,;:!?“”\"«»]*)*))?"
)
_AFTER_NORMAL = re.compile(
    rf"^\s*,?\s*(?P<np>{_NP})(?:,\s*(?P<appos>[^,“”\"«»]{{1,150}}),)?"
    rf"(?:\s+(?:also|later|then|had|has))?\s+(?P<verb>{_VERB})\b"
)
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<np>[^,:;“”\"]{1,120})\s*[,:]\s*$")
_PHRASE_CUT = re.compile(
    r"\s+(?:in|on|to|during|when|after|before|as|who|while|via|last|this|earlier|late|"
    r"in a|at a|at an)\b.*$"
)
_OPENING_MARK = re.compile(r"[“\"«]")
_QUOTE_MARKS = re.compile(r"“(?P<c>[^“”\n]*)”|\"(?P<s>[^\"\n]*)\"|«(?P<g>[^«»\n]*)»")
_APPOSITIVE_NOT_ROLE = re.compile(
    r"^(?:who|which|whose|where|in|on|at a|at an|adding|according|speaking|during|after|"
    r"before|while|when|told|said|last|earlier|this|that)\b"
)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
_INTRODUCED_BEFORE = re.compile(
    rf"(?:^|\s)(?P<org>{_CAP_RUN})(?:[’']s)?\s+(?P<role>(?:[a-z][\w-]*\s+){{1,3}}|"
    rf"(?<=s\s)(?:[A-Z][\w-]*\s+){{1,3}})$"
)
_POSSESSIVE_END = re.compile(r"[’']s?$")
_INTRODUCED_AFTER = re.compile(r",\s+(?P<appos>[^,.;“”\"]{3,120})[,.]")
_HANDS_OVER = re.compile(r"\s*(?:(?:in a statement|on \w+|to \w+)\s*)?[:,]?\s*(?:that\s*)?")
_RELATIVE = re.compile(r",\s*(?:which|who)$")
_MEMBER = re.compile(
    rf"(?P<person>{_CAP_RUN})\s+(?:of|from|at|with)\s+(?:the\s+)?(?:[a-z]+\s+){{1,3}}"
    rf"(?P<org>{_CAP_RUN})$"
)
_DEFINED = re.compile(r"\s*\(([A-Z][A-Z&]{1,8})\)")
_OWNER = re.compile(r"^(?:his|her|their|its|the)\s+", re.IGNORECASE)
_ORG_SPLIT = re.compile(r"\s+(?:at|of|with|for|from)\s+(?:the\s+)?")


@dataclass
class _Segment:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark
    text: str
    speaker: str = ""
    role: str = ""
    organization: str = ""
    attributed: bool = False
    direct: bool = False  # attributed right beside the quote
    after: bool = False  # by the words after it ("…,” said X)
    end: int = 0  # where its attribution ends (at least the closing mark)


@dataclass(frozen=True)
class _Named:
    offset: int
    mention: Mention


@dataclass(frozen=True)
class _Speaker:
    speaker: str
    role: str
    organization: str


def _segments(text: str) -> list[_Segment]:
    found = []
    for match in _QUOTE_MARKS.finditer(text):
        content = match.group("c") or match.group("s") or match.group("g") or ""
        found.append(_Segment(match.start(), match.end() - 1, content, end=match.end()))
    return found


def _located(text: str, mentions: list[Mention]) -> list[_Named]:
    """Each mention with the offset of its name in the text (mentions come in text order)."""
    located: list[_Named] = []
    cursor: dict[int, int] = {}
    for mention in mentions:
        start = cursor.get(mention.span.start, mention.span.start)
        at = text.find(mention.name, start, mention.span.end)
        if at < 0:
            at = start
        cursor[mention.span.start] = at + len(mention.name)
        located.append(_Named(at, mention))
    return located


class _Resolver:
    """Who "he", "it", "the group" or "Linden" is, from the names the article gave before."""

    def __init__(self, text: str, named: list[_Named], segments: list[_Segment]) -> None:
        self.text = text
        opens = [s.open for s in segments]

        def quoted(offset: int) -> bool:
            i = bisect_right(opens, offset) - 1
            return i >= 0 and segments[i].open < offset < segments[i].close

        # Names inside quotes are not who is speaking.
        self.named = [n for n in named if not quoted(n.offset)]
        self.offsets = [n.offset for n in self.named]  # in text order: bisected below
        self._introduced: dict[str, _RoleOrg] = {}
        # Indexes over self.named, so that each look-back below is a lookup, not a walk back
        # over every name before (a quote per name of a 1 MB text made that quadratic).
        self._by_kinds: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
        self._last_not_place: list[int] = []
        self._persons_by_last_word: dict[str, list[int]] = {}
        self._persons_by_name: dict[str, list[_Named]] = {}
        last = -1
        for i, n in enumerate(self.named):
            if n.mention.kind != "place":
                last = i
            self._last_not_place.append(last)
            if n.mention.kind == "person":
                self._persons_by_name.setdefault(n.mention.name, []).append(n)
                if " " in n.mention.name:
                    word = n.mention.name.rsplit(" ", 1)[1]
                    self._persons_by_last_word.setdefault(word, []).append(i)
        # "International Coalition Against Landmines (ICAL)": ICAL is that organisation.
        self.acronyms: dict[str, str] = {}
        for n in self.named:
            defined = _DEFINED.match(text, n.offset + len(n.mention.name))
            if defined and n.mention.kind == "organization" and " " in n.mention.name:
                self.acronyms.setdefault(defined.group(1), n.mention.name)

    def before(self, offset: int, kinds: tuple[str, ...]) -> str:
        """The first name of `kinds` in the nearest sentence before `offset` naming one."""
        last, first = self._kinds_index(kinds)
        at = bisect_left(self.offsets, offset) - 1
        if at < 0 or last[at] < 0:
            return ""
        return self.full(self.named[first[last[at]]].mention.name, offset)

    def _kinds_index(self, kinds: tuple[str, ...]) -> tuple[list[int], list[int]]:
        """For each name (by index): the last name of `kinds` up to it, and the first name of
        `kinds` of its sentence up to it (-1: none)."""
        if kinds not in self._by_kinds:
            last: list[int] = []
            first: list[int] = []
            latest = opening = -1
            sentence = -1
            for i, named in enumerate(self.named):
                if named.mention.span.start != sentence:
                    sentence, opening = named.mention.span.start, -1
                if named.mention.kind in kinds:
                    latest = i
                    opening = i if opening < 0 else opening
                last.append(latest)
                first.append(opening)
            self._by_kinds[kinds] = (last, first)
        return self._by_kinds[kinds]

    def introduced(self, person: str) -> _RoleOrg:
        """The role and organisation the article gave a person where it named them:
        "Human Rights Watch researcher Belkis Wille", "Ben Alder, director of the Clinic,"."""
        if person not in self._introduced:
            self._introduced[person] = self._introduction(person)
        return self._introduced[person]

    def _introduction(self, person: str) -> _RoleOrg:
        for named in self._persons_by_name.get(person, []):
            start = max(named.mention.span.start, named.offset - 80)
            before = _INTRODUCED_BEFORE.search(self.text[start : named.offset])
            org = _POSSESSIVE_END.sub("", before.group("org")) if before else ""
            if before and name_kind(org.split()) == "organization":
                return _RoleOrg(before.group("role").strip(), org)
            end = named.offset + len(person)
            after = _INTRODUCED_AFTER.match(self.text, end, min(named.mention.span.end, end + 160))
            if after:
                role_org = _role_and_organization(after.group("appos"), self, named.offset)
                if role_org.role or role_org.organization:
                    return role_org
        return _RoleOrg("", "")

    def last_between(self, start: int, end: int) -> _Speaker | None:
        """The last person or organisation named between two offsets."""
        at = bisect_left(self.offsets, end) - 1
        if at < 0 or self._last_not_place[at] < 0:
            return None
        last = self.named[self._last_not_place[at]]
        if last.offset < start:
            return None
        name = self.full(last.mention.name, last.offset + 1)
        return _Speaker(name, "", name if last.mention.kind == "organization" else "")

    def person(self, phrase: str, offset: int) -> _Speaker | None:
        """The person `phrase` is, when it is a person's name and nothing else."""
        phrase = phrase.strip()
        if not re.fullmatch(_CAP_RUN, phrase):
            return None
        speaker = self._named(phrase, offset)
        if speaker is None or not speaker.speaker or speaker.speaker == speaker.organization:
            return None
        return speaker

    def full(self, name: str, offset: int) -> str:
        """A last name alone as the full name given before ("Linden" → "Ben Linden"); an
        acronym the article defined as its long form ("ICAL" → "International Coalition
        Against Landmines")."""
        if name in self.acronyms:
            return self.acronyms[name]
        if " " in name:
            return name
        # The last person named before `offset` whose name ends in " " + name.
        persons = self._persons_by_last_word.get(name, [])
        at = bisect_left(persons, bisect_left(self.offsets, offset)) - 1
        return self.named[persons[at]].mention.name if at >= 0 else name

    def resolve(self, phrase: str, offset: int) -> _Speaker | None:
        """The speaker a noun phrase names, or None when it names none."""
        phrase = phrase.strip().rstrip(",")
        if not phrase:
            return None
        lowered = phrase.lower()
        if lowered in _PRONOUNS:
            kind = _PRONOUNS[lowered]
            kinds: tuple[str, ...] = ("person",) if kind == "person" else ("organization",)
            if kind == "any":
                kinds = ("organization", "person")
            found = self.before(offset, kinds)
            return _Speaker(found, "", found if kinds[0] == "organization" else "")
        group = re.fullmatch(rf"(?:the|this|that)\s+({_GROUP})", lowered)
        if group:
            found = self.before(offset, ("organization",))
            return _Speaker(found, "", found)
        document = re.fullmatch(
            rf"(?:the\s+)?(?P<name>{_CAP_RUN})[’']s?\s+(?:\w+\s+)?{_DOCUMENT_NOUNS}", phrase
        )
        if document:
            return self.resolve(document.group("name"), offset)
        spokes = re.fullmatch(
            rf"(?:an?|the)\s+(?P<role>spokesperson|spokesman|spokeswoman|representative|"
            rf"official|officials|researcher|lawyer|director|member)\s+(?:for|of|at|with|from)"
            rf"\s+(?:the\s+)?(?P<org>{_CAP_RUN})",
            phrase,
        )
        if spokes:
            org = spokes.group("org")
            return _Speaker(org, spokes.group("role"), org)
        return self._named(phrase, offset)

    def _named(self, phrase: str, offset: int) -> _Speaker | None:
        """ "Ben Linden", "the ICBL", "US Secretary of Defense Pete Hegseth", "Amnesty
        researcher Jane Doe"; "the group’s director for Europe" names a role, not a speaker."""
        phrase = _ARTICLE.sub("", phrase)
        run = re.search(rf"{_CAP_RUN}$", phrase)
        if run is None:
            return None
        head = phrase[: run.start()].strip()
        if re.search(r"\b(?:for|of|at|in|from|with|to|on)$", head):
            # The capitalised words complete a role: "director for Europe and Central Asia".
            role_org = _role_and_organization(phrase, self, offset)
            if role_org.organization and role_org.organization == run.group():
                return _Speaker(role_org.organization, role_org.role, role_org.organization)
            return _Speaker("", role_org.role, role_org.organization)
        words = run.group().split()
        if len(words) == 1 and words[0] in SENTENCE_WORDS:
            return None  # "Officials said": no one named
        member = _member_of(words)
        if member is not None:
            # "Ben Alder of Human Rights Watch".
            person, org = member
            return _Speaker(self.full(" ".join(person), offset), "", " ".join(org))
        before, title, name = split_title(words)
        role, organization = "", ""
        if title:
            if not name:
                return None
            role = " ".join(before + title)
            words = name
        if head:
            # "Amnesty researcher Jane Doe", "the group's director Jane Doe".
            role_org = _role_and_organization(head, self, offset)
            role = role or role_org.role
            organization = role_org.organization
        speaker = self.full(" ".join(words), offset)
        # The subject of a speech verb: a single unknown word is a person ("Linden said").
        kind = "person" if speaker != " ".join(words) else name_kind(words, after="said")
        if kind is None:
            return None
        if kind != "person":
            return _Speaker(speaker, role, speaker)
        return _Speaker(speaker, role, organization)


def _member_of(words: list[str]) -> tuple[list[str], list[str]] | None:
    """(person, organisation) of "Ben Alder of Human Rights Watch", else None."""
    for i, word in enumerate(words):
        if word in ("of", "from", "at", "with") and 0 < i < len(words) - 1:
            person, org = words[:i], [w for w in words[i + 1 :]]
            if org and org[0] == "the":
                org = org[1:]
            if (
                org
                and name_kind(person, fallback=None) == "person"
                and name_kind(org) == "organization"
            ):
                return person, org
    return None


@dataclass(frozen=True)
class _RoleOrg:
    role: str
    organization: str


def _role_and_organization(appositive: str, resolver: _Resolver, offset: int) -> _RoleOrg:
    """A speaker's role and organisation from the words set beside the name:
    "Amnesty International USA’s advocacy director for Europe and Central Asia",
    "a spokesperson for the Fishers Union", "director of Human Rights Watch"."""
    text = appositive.strip().rstrip(".")
    if not text or _APPOSITIVE_NOT_ROLE.match(text) or len(text.split()) > 16:
        return _RoleOrg("", "")
    text = _ARTICLE.sub("", text)
    possessive = re.match(rf"^(?P<org>{_CAP_RUN}|{_GROUP})[’']s?\s+(?P<role>.+)$", text)
    if possessive:
        org = possessive.group("org")
        if org.lower() in _GROUP_NOUNS.split():  # "the group’s director": the group named before
            org = resolver.before(offset, ("organization",))
        elif name_kind(org.split()) == "place":
            return _RoleOrg(text, "")  # "Karsta's mayor": a role of a place
        return _RoleOrg(possessive.group("role"), org)
    for split in reversed(list(_ORG_SPLIT.finditer(text))):
        tail = text[split.end() :]
        if re.fullmatch(_CAP_RUN, tail) and name_kind(tail.split()) == "organization":
            return _RoleOrg(text[: split.start()], tail)
    leading = re.match(rf"^(?P<org>{_CAP_RUN})\s+(?P<role>[a-z][\w\s-]*)$", text)
    if leading and name_kind(leading.group("org").split()) == "organization":
        return _RoleOrg(leading.group("role"), leading.group("org"))
    if text[0].islower() or text.split()[0] in {"Former", "Senior", "Chief", "Deputy"}:
        return _RoleOrg(text, "")
    return _RoleOrg("", "")


class _Verbs:
    """The speech verbs of a text, found once: each quote's clause (the 400 characters before
    it) was searched again, so a text of short quotes was read a hundred times over."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found = [(m.start(), m.end(), m.group()) for m in _ANY_VERB.finditer(text)]
        self.starts = [start for start, _end, _word in self.found]

    def last(self, start: int, end: int) -> tuple[int, int, str] | None:
        """The last speech verb of text[start:end] read on its own (as `_ANY_VERB.finditer`
        on that slice finds it), its offsets in the slice."""
        at = bisect_left(self.starts, end) - 1
        if at >= 0 and self.found[at][0] >= start and self.found[at][1] <= end:
            verb_start, verb_end, word = self.found[at]
            return verb_start - start, verb_end - start, word
        # A word cut by the slice's start is a whole word to the slice: "…xsaid" is "said".
        if 0 < start < end and _WORD_CHAR.match(self.text, start - 1):
            cut = _ANY_VERB.match(self.text[start : min(end, start + _LONGEST_VERB + 1)])
            if cut is not None:
                return cut.start(), cut.end(), cut.group()
        return None


def _attribute_after(seg: _Segment, text: str, line_end: int, resolver: _Resolver) -> bool:
    """`“…,” said Ben Linden, role, …` or `“…,” Linden said`: the attribution that follows a
    quote ending in a comma (or ?, !, —), up to the end of its sentence."""
    content = seg.text.rstrip()
    tail_end = min(line_end, seg.close + 1 + TAIL_CHARS)
    next_mark = _OPENING_MARK.search(text, seg.close + 1, tail_end)
    if next_mark:
        tail_end = next_mark.start()
    tail = text[seg.close + 1 : tail_end]
    if not (content.endswith((",", "?", "!", "—", "–", "-")) or tail.startswith(",")):
        return False
    inverted = _AFTER_INVERTED.match(tail)
    if inverted:
        phrase = _PHRASE_CUT.sub("", inverted.group("phrase").strip())
        appos = inverted.group("appos") or ""
        speaker = resolver.resolve(phrase, seg.open)
        named = resolver.person(_PHRASE_CUT.sub("", appos.strip()), seg.open)
        if (speaker is None or not speaker.speaker) and named is not None:
            # "said his brother, Karim Haddou": a role, then the name.
            role = _OWNER.sub("", phrase)
            _set(seg, named, _role_and_organization(role, resolver, seg.open), seg.close + 1)
            seg.end = seg.close + 1 + inverted.end()
            return True
        if speaker is not None:
            role_org = _role_and_organization(appos, resolver, seg.open)
            _set(seg, speaker, role_org, seg.close + 1 + inverted.end())
            return True
    normal = _AFTER_NORMAL.match(tail)
    if normal:
        speaker = resolver.resolve(normal.group("np"), seg.open)
        if speaker is not None:
            role_org = _role_and_organization(normal.group("appos") or "", resolver, seg.open)
            _set(seg, speaker, role_org, seg.close + 1 + normal.end())
            return True
    return False


def _attribute_before(
    seg: _Segment,
    text: str,
    sentence: Span,
    attributed_after: _Segment | None,
    verbs: _Verbs,
    resolver: _Resolver,
) -> bool:
    """`Linden said: “…”`, `According to the ICBL, “…”`, `X condemned it, noting that “…”`.
    `attributed_after` is the last quote before this one attributed by the words after it."""
    # This quote's own clause: not back past an earlier quote of the sentence that has its
    # own attribution (the words before that one are its attribution, not ours).
    # At most the last CLAUSE_CHARS before it: bounded work on a run-on "sentence".
    clause_start = max(sentence.start, seg.open - CLAUSE_CHARS)
    if attributed_after is not None and attributed_after.open >= sentence.start:
        clause_start = max(clause_start, attributed_after.end)
    clause = text[clause_start : seg.open]
    # (The words first: the clauses of close quotes overlap, a regex scan of each is slow.)
    according = _ACCORDING.search(clause) if "ccording to" in clause else None
    if according:
        phrase = according.group("np")
        source = re.search(rf"\b(?:from|by|of)\s+(?:the\s+)?({_CAP_RUN})\s*$", phrase)
        speaker = resolver.resolve(source.group(1) if source else phrase, seg.open)
        if speaker is not None and speaker.speaker:
            _set(seg, speaker, _RoleOrg("", ""), seg.close + 1)
            seg.direct = True
            return True
    verb = verbs.last(clause_start, seg.open)
    if verb is not None and _attribute_to_verb(seg, clause, clause_start, verb, sentence, resolver):
        return True
    if clause.rstrip().endswith(":"):
        # "Callamard called on states to act: “…”": a colon hands over to the quote.
        subject = resolver.last_between(clause_start, seg.open)
        if subject is not None:
            _set(seg, subject, _RoleOrg("", ""), seg.close + 1)
            seg.direct = True
            return True
    return False


def _attribute_to_verb(
    seg: _Segment,
    clause: str,
    clause_start: int,
    verb: tuple[int, int, str],
    sentence: Span,
    resolver: _Resolver,
) -> bool:
    """The subject of `verb`, the last speech verb before the quote in its clause (its start
    and end in the clause, and the word)."""
    verb_start, verb_end, word = verb
    # "Linden said: “…”" hands the quote over; "said it was “deeply saddened”" quotes a
    # fragment of a sentence of its own.
    seg.direct = bool(_HANDS_OVER.fullmatch(clause[verb_end:]))
    pre = clause[:verb_start]
    if word in _PARTICIPLE and pre.rstrip().endswith(","):
        # "The ICBL, a donor to mine clearance, condemned the move, noting that “…”": the
        # last person or organisation named before, in this sentence, outside quotes.
        subject = resolver.last_between(sentence.start, clause_start + verb_start)
        if subject is None:
            return False
        _set(seg, subject, _RoleOrg("", ""), seg.close + 1)
        return True
    pre = _ADVERBS.sub("", pre.rstrip())
    pre = _RELATIVE.sub("", pre)  # "the Bar Association, which said": the association
    appos = ""
    if pre.endswith(","):
        inner = pre[:-1]
        comma = inner.rfind(",")
        if comma > 0:
            pre, appos = inner[:comma], inner[comma + 1 :]
    speaker = _speaker_at_end(pre, clause_start, resolver)
    if speaker is not None:
        _set(seg, speaker, _role_and_organization(appos, resolver, seg.open), seg.close + 1)
        return True
    # "Karsta's mayor, Eva Sorensen, said": the role first, the name set beside it.
    named = resolver.person(appos, clause_start)
    if named is None or len(pre.split()) > 6:
        return False
    _set(seg, named, _role_and_organization(pre, resolver, seg.open), seg.close + 1)
    return True


def _speaker_at_end(pre: str, offset: int, resolver: _Resolver) -> _Speaker | None:
    """The noun phrase ending `pre` (the words before a speech verb), resolved."""
    pre = _last_words(pre.rstrip(), SPEAKER_WORDS)
    # "Sabine Okoro of the campaign group Detention Watch": the person, of an organisation.
    member = _MEMBER.search(pre)
    if member:
        person = resolver.person(member.group("person"), offset)
        if person is not None:
            org = member.group("org")
            return _Speaker(person.speaker, person.role, org)
    for pattern in _SPEAKER_AT_END:
        match = pattern.search(pre)
        if match:
            speaker = resolver.resolve(match.group(), offset)
            if speaker is not None and speaker.speaker:
                return speaker
    return None


_SPEAKER_AT_END = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t)$",
        rf"\b(?:[Tt]he|[Tt]his)\s+{_GROUP}$",
        rf"\b(?:the\s+|The\s+)?{_CAP_RUN}[’']s?\s+(?:\w+\s+)?{_DOCUMENT_NOUNS}$",
        rf"\b(?:[Aa]n?|[Tt]he)\s+\w+\s+(?:for|of|at|with|from)\s+(?:the\s+)?{_CAP_RUN}$",
        # "(Capitalised words) (up to two lowercase words) Capitalised words": the first run
        # taken whole. Where it could end anywhere, a run of capitalised words was split at
        # every word, for every start: cubic, 0.2 s for one clause of 130 words. A split
        # inside the first run, or a run that could go on, is a run of the second kind.
        rf"(?:(?>{_CAP_RUN})\s+(?:[a-z]+\s+){{0,2}}|(?:[a-z]+\s+){{0,2}}){_CAP_RUN}$",
    )
)
_WORD_STARTS = re.compile(r"(?<!\S)\S")


def _last_words(text: str, count: int) -> str:
    """`text` from the start of its `count`-th word from the end."""
    starts = [match.start() for match in _WORD_STARTS.finditer(text)]
    return text[starts[-count] :] if len(starts) > count else text


def _set(seg: _Segment, speaker: _Speaker, role_org: _RoleOrg, end: int) -> None:
    seg.speaker = speaker.speaker
    seg.role = speaker.role or role_org.role
    seg.organization = speaker.organization or role_org.organization
    seg.attributed = bool(speaker.speaker)
    seg.end = max(seg.end, end)


def _cleaned(quoted: str) -> str:
    return quoted.strip().rstrip(",—–-").rstrip()


def extract_quotes(article: Article) -> list[Quote]:
    """Every quotation in the article's text with its speaker, role and organisation as far
    as the text says, in order; each span is the sentence(s) from the quote to its
    attribution."""
    text = article.text
    spans = sentences(text)
    segments = _segments(text)
    if not segments:
        return []
    resolver = _Resolver(text, _located(text, extract_mentions(article)), segments)
    verbs = _Verbs(text)
    attributed_after: _Segment | None = None  # the last quote attributed by the words after it
    for seg in segments:
        check_budget()
        # The line's end, looked for no further than an attribution after the quote reaches
        # (from every quote to the end of a long line: quadratic).
        reach = min(len(text), seg.close + 1 + TAIL_CHARS)
        line_end = text.find("\n", seg.close, reach)
        line_end = reach if line_end < 0 else line_end
        if _attribute_after(seg, text, line_end, resolver):
            seg.direct = seg.after = True
            attributed_after = seg
            continue
        sentence = sentence_at(spans, seg.open) or Span(seg.open, seg.close + 1, "")
        _attribute_before(seg, text, sentence, attributed_after, verbs, resolver)

    for seg in segments:
        # A person quoted without a role: the one the article gave where it named them.
        if seg.speaker and seg.speaker != seg.organization and not (seg.role or seg.organization):
            role_org = resolver.introduced(seg.speaker)
            seg.role, seg.organization = role_org.role, role_org.organization

    drafts: list[_Draft] = []
    previous: _Segment | None = None
    merged_into: dict[int, int] = {}
    for index, seg in enumerate(segments):
        check_budget()
        if previous is not None and _same_line(text, previous.close, seg.open):
            gap = text[previous.end : seg.open]
            if (
                index - 1 in merged_into
                and previous.direct
                and previous.attributed
                and not gap.strip(" ,")
                and (text[previous.close + 1 : seg.open].rstrip().endswith(","))
            ):
                # “…,” she said, “…”: one quote, split by its attribution.
                head = drafts[merged_into[index - 1]]
                head.join(_cleaned(seg.text), seg.close)
                merged_into[index] = merged_into[index - 1]
                previous = seg
                seg.speaker, seg.role, seg.organization = head.speaker, head.role, head.organization
                seg.attributed = True
                continue
            if not seg.attributed and previous.attributed and _opens_sentence(spans, seg):
                # A quote that opens a sentence after an attributed one in the paragraph.
                seg.speaker, seg.role = previous.speaker, previous.role
                seg.organization, seg.attributed = previous.organization, True
        words = len(seg.text.split())
        previous = seg
        if words < SHORT_QUOTE_WORDS and not (seg.direct and seg.attributed):
            continue
        merged_into[index] = len(drafts)
        drafts.append(
            _Draft(
                [_cleaned(seg.text)],
                seg.speaker,
                seg.role,
                seg.organization,
                _span_start(spans, seg.open),
                max(seg.close, seg.end - 1),
            )
        )
    return [
        Quote(
            "".join(draft.pieces),
            draft.speaker,
            draft.role,
            draft.organization,
            _span(text, spans, draft.start, draft.end),
        )
        for draft in drafts
    ]


@dataclass
class _Draft:
    """A quote being put together: “…,” she said, “…” is one, joined piece by piece (joining
    whole strings each time made a long run of such pieces quadratic)."""

    pieces: list[str]  # the text, joined: what _cleaned leaves of each piece, ", " between
    speaker: str
    role: str
    organization: str
    start: int  # where its span starts
    end: int  # the last character its span must hold

    def join(self, piece: str, end: int) -> None:
        """The next piece after ", ", the text before it cleaned as `_cleaned` would: only its
        end can change (it never starts with a space), so only the last pieces are touched."""
        for characters in (None, ",—–-", None):
            while self.pieces:
                last = self.pieces[-1].rstrip(characters)
                if last:
                    self.pieces[-1] = last
                    break
                self.pieces.pop()
        self.pieces += [", ", piece]
        self.end = end


def _same_line(text: str, a: int, b: int) -> bool:
    return "\n" not in text[a:b]


def _opens_sentence(spans: list[Span], seg: _Segment) -> bool:
    # A sentence starts with what is not a space: nothing but spaces before the quote in its
    # sentence means the sentence starts with it.
    sentence = sentence_at(spans, seg.open)
    return sentence is not None and sentence.start == seg.open


def _span_start(spans: list[Span], start: int) -> int:
    first = sentence_at(spans, start)
    return first.start if first else start


def _span(text: str, spans: list[Span], start: int, end: int) -> Span:
    """The sentences from the one holding `start` to the one holding `end`."""
    first = sentence_at(spans, start)
    last = sentence_at(spans, end)
    if first is not None and first is last:
        return first  # its text, not a copy of it for each of a long sentence's quotes
    begin = first.start if first else start
    finish = last.end if last else end + 1
    return Span(begin, finish, text[begin:finish])
