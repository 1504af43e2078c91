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
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from casework.ingest.article import Article, Span
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.items import Mention, MentionKind, Quote
from casework.ingest.extract.names import (
    ORG_CUES,
    SENTENCE_WORDS,
    extract_mentions,
    last_name,
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
CURRENT_CHARS = 1500  # a verb with no subject is the last speaker's this close before
CARRY_PARAGRAPHS = 4  # a paragraph that is only a quote goes on with a speaker this close
LOOK_BACK_SENTENCES = 12  # how far back "he" or "the judge" is looked for
ISSUER_CHARS = 3000  # how far back "the statement" is looked for with who issued it
CATAPHORA_CHARS = 1500  # how far ahead "a federal judge" of a lede is looked for by name

# Verbs of saying, in English, Spanish and French (the past and present; Spanish and French
# compound tenses are an auxiliary, below, and a participle).
_VERBS_EN = (
    "said says told tells explained explains added adds warned warns noted notes wrote writes "
    "stated states argued argues condemned condemns continued continues insisted insists "
    "asked asks replied replies declared declares confirmed confirms acknowledged "
    "acknowledges recalled recalls urged urges cautioned cautions emphasized emphasised "
    "stressed stresses observed observes remarked claimed claims alleged alleges testified "
    "tweeted posted concluded announced announces responded commented cited cites "
    "described describes called calls asserted asserts maintained maintains admitted "
    "admits denied denies vowed vows pledged pledges contended contends accused accuses "
    "chanted chant chants shouted shout shouts"
    # a court speaks through its rulings: "the appeals court found that … “because …”"
    "ruled held found"
)
_VERBS_ES = (
    "dijo dice dijeron dicen afirmó afirma afirmaron señaló señala señalaron declaró declara "
    "declararon aseguró asegura aseguraron indicó indica indicaron explicó explica explicaron "
    "añadió añade agregó agrega sostuvo sostiene sostienen advirtió advierte denunció denuncia "
    "denunciaron manifestó manifiesta subrayó subraya destacó destaca recordó recuerda "
    "insistió insiste apuntó apunta precisó expuso expone criticó critica reconoció reconoce "
    "concluyó concluye comentó comenta respondió responde relató relata lamentó lamenta "
    "exigió exige pidió pide reclamó reclama alertó alerta consideró considera expresó expresa "
    "escribió escribe"
)
_PARTICIPLES_ES = (
    "dicho afirmado señalado declarado asegurado indicado explicado añadido agregado sostenido "
    "advertido denunciado manifestado subrayado destacado recordado insistido apuntado "
    "precisado expuesto criticado reconocido concluido comentado respondido relatado lamentado "
    "exigido pedido reclamado alertado considerado expresado escrito"
)
_VERBS_FR = (
    "dit déclare affirme estime ajoute précise souligne explique indique confie assure "
    "rappelle dénonce insiste poursuit conclut annonce raconte témoigne décrit avertit répond "
    "martèle regrette déplore écrit observe relève"
)
_PARTICIPLES_FR = (
    "dit déclaré affirmé estimé ajouté précisé souligné expliqué indiqué confié assuré rappelé "
    "dénoncé insisté poursuivi conclu annoncé raconté témoigné décrit averti répondu martelé "
    "regretté déploré écrit observé relevé noté réagi lancé jugé"
)
_VERBS = f"{_VERBS_EN} {_VERBS_ES} {_VERBS_FR}"
_AUXILIARIES = r"(?:a|ont|avait|avaient|aurait|ha|han|había|habían)"
_PARTICIPLE_WORDS = f"{_PARTICIPLES_ES} {_PARTICIPLES_FR}"
# Verbs that may come before the speaker ("said Ben Linden"); "told X" names the listener.
_INVERTIBLE = (
    "said says explained added adds warned noted wrote stated argued continued insisted "
    "asked replied declared confirmed acknowledged recalled urged cautioned emphasized "
    "emphasised stressed observed remarked claimed testified concluded responded commented "
    "asserted maintained " + _VERBS_ES + " " + _VERBS_FR
)
_PARTICIPLES = (
    "saying noting adding warning arguing writing stating explaining telling insisting "
    "declaring urging claiming describing calling citing asserting ruling finding "
    "diciendo afirmando señalando añadiendo advirtiendo "
    "affirmant ajoutant estimant expliquant soulignant précisant déclarant"
)


def _alternation(words: str) -> str:
    # Longest first: "declared" before "declare", "añade" inside "añadió" is no word.
    return "|".join(sorted(set(words.split()), key=len, reverse=True))


_PARTICIPLE_ALT = _alternation(_PARTICIPLE_WORDS)
# "a déclaré", "ha señalado", "a fait savoir", "went on"; then the simple verbs.
_COMPOUND = (
    rf"(?:{_AUXILIARIES}\s+(?:{_PARTICIPLE_ALT}|fait\s+savoir)|fait\s+savoir|went\s+on|"
    rf"goes\s+on|pointed\s+out|points\s+out)"
)
_VERB = rf"(?:{_COMPOUND}|{_alternation(_VERBS)})"
_INVERTIBLE_VERB = rf"(?:{_COMPOUND}|{_alternation(_INVERTIBLE)})"
# French inversion: "a-t-il déclaré", "dit-elle", "estime-t-il".
_FRENCH_INVERSION = re.compile(
    rf"^\s*[,—–-]?\s*(?:(?:a|avait|aurait)-t-(?P<p1>il|elle|ils|elles)\s+(?:{_PARTICIPLE_ALT})"
    rf"|(?:{_alternation(_VERBS_FR)})(?:-t)?-(?P<p2>il|elle|ils|elles))\b"
)
_ANY_VERB = re.compile(
    rf"\b(?:{_alternation(_VERBS + ' ' + _PARTICIPLES + ' ' + _PARTICIPLE_WORDS)})\b"
)
_PARTICIPLE = frozenset(_PARTICIPLES.split())
_LONGEST_VERB = max(
    len(word) for word in (_VERBS + " " + _PARTICIPLES + " " + _PARTICIPLE_WORDS).split()
)
_WORD_CHAR = re.compile(r"\w")

_CAP = r"[A-ZÀ-ÖØ-Þ][\w’'.&-]*"
_CAP_RUN = (
    rf"{_CAP}(?:\s+(?:(?:of|for|the|and|to|de|del|des|du|la|al|van|von|bin)\s+){{0,2}}{_CAP})*"
)
_PRONOUNS = {
    "he": "person",
    "she": "person",
    "it": "organization",
    "they": "any",
    "él": "person",
    "ella": "person",
    "il": "any",
    "elle": "any",
    "ils": "any",
    "elles": "any",
    "lui": "any",
}
_GROUP_NOUNS = (
    "group organization organisation agency ministry department campaign coalition monitor "
    "committee charity ngo company army military police government administration court "
    "office council union foundation institute network commission authority mission team "
    "panel body tribunal embassy service board bureau firm "
    "organización entidad institución ong agencia ministerio gobierno policía tribunal "
    "ejército comisión oficina fundación asociación "
    "organisation ong agence ministère gouvernement police tribunal armée institution "
    "association commission bureau fondation"
)
_GROUP = rf"(?:{_alternation(_GROUP_NOUNS)})"
# Nouns for any organisation: "the group" is the one the article is about, not the last one
# named ("l'ONG" after "Reuters" reported what MSF said is MSF).
_GENERIC_GROUPS = frozenset(
    "group organization organisation campaign coalition charity ngo body organización entidad "
    "institución ong association asociación".split()
)
# Collective nouns a place or an organisation's name comes before: "El Cajon police".
_COLLECTIVE = r"(?:police|government|military|army|authorities|administration|ministry)"
# People speaking for an organisation: "ICE officials said" is ICE speaking.
_SPOKESPEOPLE = (
    r"(?:officials?|spokesperson|spokesman|spokeswoman|spokespeople|representatives?|"
    r"researchers?|lawyers?|attorneys?|investigators?|sources?|activists?|activistas|"
    r"portavoz|porte-parole)"
)
# Role nouns "the judge said" is said with: the person the article introduced with one.
_ROLE_NOUNS = frozenset(
    """judge chief minister president spokesman spokeswoman spokesperson attorney lawyer
    prosecutor governor mayor senator director commander general researcher official
    secretary ambassador commissioner rapporteur chairman chairwoman sheriff officer juez jueza
    ministro ministra presidente fiscal alcalde alcaldesa portavoz director directora defensor
    juge ministre président présidente procureur maire directeur directrice porte-parole
    chercheuse chercheur""".split()
)
_CHANT_VERBS = frozenset("chanted chant chants shouted shout shouts".split())
# A crowd that speaks as one, named by what it is doing: "the protesters chanted".
_CROWD = r"(?:protesters|protestors|demonstrators|marchers|crowds?|mourners)"
_DOCUMENT_NOUNS = (
    r"(?:memo|memorandum|statement|report|letter|post|tweet|filing|complaint|order|ruling|"
    r"decision|press release|release|spokesperson|spokesman|spokeswoman|lawyers?|attorneys?|"
    r"office|comunicado|informe|communiqué|rapport)"
)
_ADVERBS = re.compile(
    r"(?:\s+(?:also|later|then|has|had|have|previously|repeatedly|once|again|further|"
    r"separately|recently|publicly|would|will|however|though|too|a|ont|avait|avaient|aurait|"
    r"n['’]a|n['’]ont|ne|pas|toutefois|aussi|également|encore|déjà|ensuite|pourtant|jamais|"
    r"notamment|même|lui|leur|ha|han|había|habían|también|ya|además|no|le|les|nos|se))+\s*$"
)
# Said between commas, never a role: "Linden, however, said".
_ASIDES = (
    r"however|though|too|also|meanwhile|moreover|nevertheless|instead|in turn|in response|"
    r"for (?:his|her|its|their) part|sin embargo|no obstante|por su parte|además|cependant|"
    r"toutefois|pour sa part|de son côté|quant à (?:lui|elle)|en revanche|par ailleurs"
)

# The speaker right after a quote: "said Ben Linden, ..." or "Linden said", "she said".
_NP = (
    rf"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|(?:(?:the|a|an|The|A|An|el|la|los|las|El|La|Los|Las|"
    rf"le|les|Le|Les|l['’]|L['’])\s*)?"
    rf"(?:{_CAP}|[a-z]+)(?:\s+(?:{_CAP}|[a-z]+|[A-Z][\w.]*[’']s)){{0,8}})"
)
# A listener between the verb and the speaker: "a déclaré à l'AFP un porte-parole".
_LISTENER = r"(?:\s+(?:à|au|aux|a)\s+(?:l['’]\s*|la\s+|le\s+|los\s+|las\s+)?[\w.’'-]+)?"
_NAME_STOP = r"[^,.;:!?“”\"«»—–]"
_INITIALS_OK = rf"(?:{_NAME_STOP}|(?<=\b[A-Z])\.|(?<=\bJr)\.|(?<=\bSr)\.|(?<=\bSt)\.)"
_AFTER_INVERTED = re.compile(
    rf"^\s*[,—–-]?\s*(?:{_INVERTIBLE_VERB}){_LISTENER}(?:\s+(?P<phrase>{_INITIALS_OK}+))?"
    rf"(?:,\s*(?P<appos>[^,.;:!?“”\"«»]+(?:\.[^\s,][^,;:!?“”\"«»]*)*))?"
)
_AFTER_NORMAL = re.compile(
    rf"^\s*[,—–-]?\s*(?P<np>{_NP})(?:,\s*(?P<appos>[^,“”\"«»]{{1,150}}),)?"
    rf"(?:\s+(?:also|later|then|had|has))?\s+(?P<verb>{_VERB})\b"
)
_AFTER_ACCORDING = re.compile(
    r"^\s*[,—–-]?\s*(?:according to|según|selon|d['’]après|de acuerdo con)\s+"
    r"(?P<np>[^,.;:!?“”\"«»]{1,120})"
)
_ACCORDING = re.compile(
    r"\b(?:[Aa]ccording to|[Ss]egún|[Ss]elon|[Dd]['’]après|[Dd]e acuerdo con)\s+"
    r"(?P<np>[^,:;“”\"«»]{1,120})\s*[,:]\s*$"
)
_PHRASE_CUT = re.compile(
    r"\s+(?:in|on|to|during|when|after|before|as|who|while|via|last|this|earlier|late|"
    r"in a|at a|at an|en|dans|lors|durant|ce|cette|este|esta|que|qui|quien|tras|après|avant|"
    r"antes|después|a|à|au|aux|ante|devant|sur|por|par|para|pour|con|avec)\b.*$"
)
_PREPOSITION_ONLY = re.compile(
    r"^(?:in|on|to|at|en|dans|lors|a|à|au|aux|ante|devant|sur|por|par|para|pour|con|avec|"
    r"this|este|esta|ce|cette|later|after|tras|después)\b"
)
_OPENING_MARK = re.compile(r"[“\"«‘]")
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|fue|fueron|été|est|sont)\s+$")
_LEADING_NAME = re.compile(rf"(?:[Tt]he\s+)?{_CAP_RUN}")
_ASIDE_AT_END = re.compile(rf",\s*(?:{_ASIDES})\s*,$", re.IGNORECASE)
_APPOSITIVE_NOT_ROLE = re.compile(
    r"^(?:who|which|whose|where|in|on|at a|at an|adding|according|speaking|during|after|"
    r"before|while|when|told|said|last|earlier|this|that|que|qui|quien|quienes|dont|lequel|"
    rf"laquelle|en|dans|à|ante|\d|{_ASIDES})\b",
    re.IGNORECASE,
)
_ARTICLE = re.compile(
    r"^(?:a|an|the|el|la|los|las|un|una|le|les|une|des|du|l['’])(?:\s+|(?<=['’]))",
    re.IGNORECASE,
)
# A quote that is a title, not words said: "a report titled “…”", "intitulé « … »".
_TITLED = re.compile(
    r"(?:\b(?:titled|entitled|headlined|dubbed|intitulée?s?|titulad[oa]s?|denominad[oa]s?|"
    r"baptisée?s?)|\b(?:report|show|programme|program|film|documentary|book|series|"
    r"campaign|song|album|article|podcast|informe|libro|documental|rapport|émission|livre|"
    r"série)\s+(?:called|named|llamad[oa]|nommée?))\s*[:,]?\s*$",
    re.IGNORECASE,
)
_TITLE_HINT = re.compile(
    r"titl|headlin|dubbed|intitul|titulad|denominad|baptis|called|named|llamad|nomm"
)
_INTRODUCED_BEFORE = re.compile(
    rf"(?:^|\s)(?P<org>{_CAP_RUN})(?:[’']s)?\s+(?P<role>(?:[a-z][\w-]*\s+){{1,3}}|"
    rf"(?<=s\s)(?:[A-Z][\w-]*\s+){{1,3}})$"
)
_POSSESSIVE_END = re.compile(r"[’']s?$")
_INTRODUCED_AFTER = re.compile(r",\s+(?P<appos>[^,.;“”\"«»]{3,120})[,.]")
_HANDS_OVER = re.compile(
    r"\s*(?:(?:in a statement|on \w+|to \w+|en un comunicado|dans un communiqué)\s*)?[:,]?\s*"
    r"(?:that\s*|que\s*|qu['’]\s*)?"
)
_RELATIVE = re.compile(r",\s*(?:which|who|que|qui|quien|lequel|laquelle)$")
_MEMBER = re.compile(
    rf"(?P<person>{_CAP_RUN})\s+(?:of|from|at|with)\s+(?:the\s+)?(?:[a-z]+\s+){{1,3}}"
    rf"(?P<org>{_CAP_RUN})$"
)
_DEFINED = re.compile(r"\s*\(([A-Z][A-Z&]{1,8})\)")
_ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z][A-Z&]{1,7})\)")
_OWNER = re.compile(r"^(?:his|her|their|its|the)\s+", re.IGNORECASE)
_ORG_SPLIT = re.compile(
    r"\s+(?:at|of|with|for|from|de|del|de la|du|des|à|en)\s+(?:the\s+|la\s+|l['’]\s*)?"
)
# "El Instituto Nacional…" opening a sentence: the name is without its article.
_LEADING_ARTICLE = re.compile(
    rf"^(?:The\s+|(?:El|La|Los|Las|Le|Les)\s+(?=(?:{'|'.join(sorted(ORG_CUES))})\b)|L['’]\s*"
    rf"(?=(?:{'|'.join(sorted(ORG_CUES))})\b))(?=[A-ZÀ-ÖØ-Þ])"
)
_ARTICLE_WORDS = frozenset("El La Los Las Le Les L' L’ Un Una Une Des Du".split())
_CONNECTOR_WORDS = frozenset("of for to the and on de del des du la le los las y et d l al".split())
# "The judge", "the ministry", "la institución", "l'ONG", "Police": references to a person or
# an organisation named before.
_DESCRIPTION = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Ll]a|[Ll]e|[Ee]l|[Ll]['’])\s*(?P<noun>[\w-]+)\b|"
    r"\b(?P<bare>[Pp]olice|[Pp]olicía)\b(?!\s+(?:[Cc]hief|[Dd]epartment))"
)
_COLLECTIVE_NAME = re.compile(rf"\b(?P<name>{_CAP_RUN})\s+(?P<noun>{_COLLECTIVE})\b")
# A paragraph's text English read through a font that swapped "i" for "í": "políce saíd".
_DISGUISED_I = re.compile(r"\b(?:saíd|thís|wíth|ín|ís|políce|whích|theír)\b", re.IGNORECASE)


@dataclass
class _Segment:
    open: int  # offset of the opening mark
    close: int  # offset of the closing mark (the paragraph's end when the quote runs on)
    text: str
    speaker: str = ""
    role: str = ""
    organization: str = ""
    attributed: bool = False
    direct: bool = False  # attributed right beside the quote
    after: bool = False  # by the words after it ("…,” said X)
    end: int = 0  # where its attribution ends (at least the closing mark)
    runs_on: bool = False  # no closing mark: the quote goes on in the next paragraph
    continues: bool = False  # a paragraph that goes on with the quote of the one before
    whole: bool = False  # the quote is its paragraph
    title: bool = False  # names a report or a show: not a quote


_DOUBLE_OPEN = "“«"
_DOUBLE_CLOSE = "”»"
_LINES = re.compile(r"[^\n]+")
_MARKS = re.compile(r"[“”«»\"‘’']")
_DASH_LINE = re.compile(r"[ \t]*[—―–](?=\s*\S)")
_DASH_INCISO = re.compile(r"\s[—―–](?=\s*[a-záéíóúàâçèêëîïôûü])")


def _segments(text: str) -> list[_Segment]:
    """The quotations of `text`, paragraph by paragraph: “curly”, "straight" and «angle»
    pairs; single-quoted ones (‘…’, '…') outside double ones; a quote opened by a single mark
    and closed by a double one ('A shell hit…," as printed); a quote with no closing mark at
    its paragraph's end when the next paragraph opens with a mark (a quote of several
    paragraphs: one quote each); a dialogue dash opening a paragraph ("—No nos iremos —dijo
    el alcalde—.")."""
    found: list[_Segment] = []
    lines = list(_LINES.finditer(text))
    for index, line in enumerate(lines):
        check_budget()
        start, end = line.span()
        dash = _DASH_LINE.match(text, start, end)
        if dash and not _MARKS.search(text, start, end):
            inciso = _DASH_INCISO.search(text, dash.end(), end)
            close = inciso.start() + 1 if inciso else end
            found.append(_Segment(dash.end() - 1, close, text[dash.end() : close], end=close + 1))
            _mark_whole(text, found, len(found) - 1, start, end)
            continue
        first_of_line = len(found)
        opened = -1  # a double mark's offset
        single = -1  # a single mark's offset, outside double ones
        for mark in _MARKS.finditer(text, start, end):
            at, char = mark.start(), mark.group()
            if char in "'’":
                before = text[at - 1] if at > start else " "
                after = text[at + 1] if at + 1 < end else " "
                if before.isalnum() and after.isalnum():
                    continue  # an apostrophe: "Woodward’s", "l’attaque"
                if opened >= 0:
                    continue  # quoted inside a quote
                if single < 0 and (before.isspace() or before in "([—–-") and after.isalnum():
                    single = at
                elif single >= 0 and not after.isalnum():
                    found.append(_Segment(single, at, text[single + 1 : at], end=at + 1))
                    single = -1
                continue
            if char == "‘":
                if opened < 0 and single < 0:
                    single = at
                continue
            if opened < 0 and single >= 0 and (char in _DOUBLE_CLOSE or char == '"'):
                before = text[at - 1] if at > start else " "
                if not before.isspace():
                    # 'A shell hit the courtyard…," Zhebrivsky wrote: opened single, closed
                    # double.
                    found.append(_Segment(single, at, text[single + 1 : at], end=at + 1))
                    single = -1
                    continue
            if opened < 0 and (char in _DOUBLE_OPEN or char == '"'):
                opened, single = at, -1
            elif opened >= 0 and (char in _DOUBLE_CLOSE or char == '"'):
                found.append(_Segment(opened, at, text[opened + 1 : at], end=at + 1))
                opened = -1
        if opened >= 0:
            following = lines[index + 1] if index + 1 < len(lines) else None
            if following is not None and _OPENING_MARK.match(text, following.start()):
                # Runs on: the next paragraph opens with a mark and goes on with it.
                found.append(_Segment(opened, end, text[opened + 1 : end], end=end, runs_on=True))
            elif text[start:end].rstrip().endswith(("…", "...")):
                # Cut off: a teaser or a stored page stops inside the quote ("… will…").
                found.append(_Segment(opened, end, text[opened + 1 : end], end=end))
        _mark_whole(text, found, first_of_line, start, end)
    for previous, seg in pairwise(found):
        if previous.runs_on and "\n" in text[previous.close : seg.open]:
            seg.continues = True
    return found


def _mark_whole(text: str, found: list[_Segment], first: int, start: int, end: int) -> None:
    """Whether the quotes found[first:], of the paragraph text[start:end], are all of it."""
    if len(found) - first == 1:
        seg = found[first]
        seg.whole = not text[start : seg.open].strip() and not text[seg.close + 1 : end].strip(" .")


@dataclass(frozen=True)
class _Named:
    offset: int
    mention: Mention
    synthetic: bool = False  # "the judge", "the ministry": a name stood for


@dataclass(frozen=True)
class _Speaker:
    speaker: str
    role: str
    organization: str


_COLLECTIVE_AFTER_NAME = re.compile(
    rf"\s(?:(?P<noun>{_COLLECTIVE})|(?:(?!(?:the|a|an|of|to|and|in|on|for|by|with|that|said|"
    rf"says)\b)[a-z]+\s+){{1,3}}?(?P<office>office|agency|commission|committee|department|"
    rf"mission))\b"
)
_GROUP_SYNONYMS = {
    "ministry": ("ministry", "ministerio", "ministère"),
    "ministerio": ("ministerio", "ministry"),
    "ministère": ("ministère", "ministry"),
    "police": ("police", "policía"),
    "policía": ("policía", "police", "carabineros"),
    "government": ("government", "gobierno", "gouvernement"),
    "army": ("army", "ejército", "armée"),
    "military": ("military", "army"),
}
_CAP_RUN_AT_END = re.compile(rf"(?<!\S){_CAP}(?:\s+{_CAP}){{0,3}}$")
_GROUP_NOUNS_SET = frozenset(_GROUP_NOUNS.split())
_SUBJECT_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Ii]l|[Ee]lle|[Éé]l|[Ee]lla)\b")
# "the judge", "the Democratic governor", "the former minister": up to two words before
# the noun.
_DESCRIBED = re.compile(
    r"(?:the|this|that|el|la|le|l['’])\s*(?P<mods>(?:[\w-]+\s+){0,2}?)(?P<noun>[\w-]+)"
)
_TITLE_ABBREVIATIONS = {
    "gov.": "governor", "sen.": "senator", "rep.": "representative", "gen.": "general",
    "pres.": "president", "atty.": "attorney", "supt.": "officer", "insp.": "officer",
    "lt.": "officer", "sgt.": "officer", "maj.": "officer", "capt.": "officer",
    "col.": "officer", "cmdr.": "commander", "amb.": "ambassador",
}  # fmt: skip
_OWNED = re.compile(
    rf"(?:[Ii]ts|[Tt]heir|[Ss]us|[Ss]es|[Ll]eurs)\s+{_SPOKESPEOPLE}|(?:[Ss]us|[Ss]es)\s+\w+"
)


def _opens_clause(text: str, sentence_start: int, offset: int) -> bool:
    """Whether the name at `offset` is the subject its sentence opens with ("The ICBL said",
    "Amnistía Internacional criticó")."""
    if offset - sentence_start > 8:
        return False  # (not a slice of a long sentence for each of its names)
    head = text[sentence_start:offset].strip()
    return len(head) <= 4 and head.lower() in {"", "the", "el", "la", "le", "les", "l'", "l’"}


def _initials(words: list[str]) -> str:
    return "".join(
        w.replace(".", "") if re.fullmatch(r"(?:[A-Z]\.)+", w) else w[0]
        for w in words
        if w.lower() not in _CONNECTOR_WORDS and w[:1].isalpha()
    ).upper()


def _acronyms(text: str, named: list[_Named]) -> dict[str, str]:
    """Each acronym the article uses and the long form it gives: defined in brackets
    ("Médecins sans frontières (MSF)", "Human Rights Watch (HRW)"), or an organisation named
    whose initials end in it ("U.S. Immigration and Customs Enforcement" for ICE)."""
    found: dict[str, str] = {}
    # Organisations by where their name ends: "U.S. Immigration and Customs Enforcement (ICE)"
    # is the whole name, not the words the initials reach back to.
    org_ends = {
        n.offset + len(n.mention.name): n.mention.name
        for n in named
        if n.mention.kind == "organization"
    }
    for match in _ACRONYM_IN_BRACKETS.finditer(text):
        check_budget()
        acronym = match.group(1)
        words = list(re.finditer(r"[\w’'.-]+", text[max(0, match.start() - 160) : match.start()]))
        letters = acronym[::-1]
        taken = 0
        for word in reversed(words):
            w = word.group()
            if not letters[taken:]:
                break
            if w.lower() in _CONNECTOR_WORDS or w.lower() in ("l'", "l’", "d'", "d’"):
                continue
            if w[0].upper() != letters[taken]:
                break
            taken += 1
            first = word.start()
        if taken == len(acronym) and len(acronym) >= 2:
            start = max(0, match.start() - 160) + first
            long = text[start : match.start()].strip()
            whole = org_ends.get(start + len(text[start : match.start()].rstrip()), "")
            if whole.endswith(long):
                long = whole
            if long[:1].isupper():
                found.setdefault(acronym, long)
    for n in named:
        check_budget()
        name = n.mention.name
        if n.mention.kind != "organization" or " " not in name:
            continue
        initials = _initials(name.split())
        for size in range(2, min(len(initials), 8) + 1):
            found.setdefault(initials[-size:], name) if size >= 3 or size == len(initials) else None
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


class _Index:
    """Names in text order, each found by the last one before an offset (bisected)."""

    def __init__(self) -> None:
        self.offsets: list[int] = []
        self.names: list[str] = []

    def add(self, offset: int, name: str) -> None:
        self.offsets.append(offset)
        self.names.append(name)

    def last(self, offset: int) -> str:
        at = bisect_left(self.offsets, offset) - 1
        return self.names[at] if at >= 0 else ""


class _Resolver:
    """Who "he", "it", "the group", "the judge" or "Linden" is, from the names the article
    gave before."""

    def __init__(
        self, text: str, named: list[_Named], segments: list[_Segment], spans: list[Span]
    ) -> None:
        self.text = text
        self.spans = spans
        opens = [s.open for s in segments]

        def quoted(offset: int) -> bool:
            i = bisect_right(opens, offset) - 1
            return i >= 0 and segments[i].open < offset < segments[i].close

        # Names inside quotes are not who is speaking; "la ONG" is a description, below.
        real = [
            n
            for n in named
            if not quoted(n.offset) and n.mention.name.lower() not in _GENERIC_GROUPS
        ]
        self.acronyms = _acronyms(text, real)
        self._introduced: dict[str, _RoleOrg] = {}
        self._persons_by_name: dict[str, list[_Named]] = {}
        self._persons_by_last_word: dict[str, _Index] = {}
        # "the judge": the last person introduced as one; "the ministry": the last
        # organisation whose name says so; "the group": the last organisation that was the
        # subject of its sentence.
        self._role_people: dict[str, _Index] = {}
        self._orgs_by_word: dict[str, _Index] = {}
        self._subject_orgs = _Index()
        self._salient_orgs = _Index()  # the organisation named most often so far
        self._by_prefix: dict[str, _Index] = {}
        counts: dict[str, int] = {}
        leader = ""
        for n in real:
            check_budget()
            name, kind = n.mention.name, n.mention.kind
            if kind == "person":
                full = self._full_person(name)
                for noun in self._role_words(n):
                    self._role_people.setdefault(noun, _Index()).add(n.offset, full)
            elif kind == "organization":
                full = self.acronyms.get(name, name)
                for word in set(full.lower().split()):
                    self._orgs_by_word.setdefault(word, _Index()).add(n.offset, full)
                if _opens_clause(text, n.mention.span.start, n.offset):
                    self._subject_orgs.add(n.offset, full)
                # "MSF France" counts for MSF too.
                head = self.acronyms.get(name.split()[0], "") if " " in name else ""
                for key in {full, head} - {""}:
                    counts[key] = counts.get(key, 0) + 1
                    if key == leader or counts[key] >= counts.get(leader, 0):
                        leader = key
                self._salient_orgs.add(n.offset, leader)
                self._add_prefixes(n.offset, full)
            if kind == "person" and " " in name:
                self._persons_by_last_word.setdefault(last_name(name), _Index()).add(n.offset, name)
        synthetic = self._descriptions(text, real, quoted)
        self.named = sorted(real + synthetic, key=lambda n: n.offset)
        self.offsets = [n.offset for n in self.named]  # in text order: bisected below
        # Indexes over self.named, so that each look-back below is a lookup, not a walk back
        # over every name before (a quote per name of a 1 MB text made that quadratic).
        self._by_kinds: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
        self._last_not_place: list[int] = []
        self._sentence_first: list[int] = []  # the index of the first name of its sentence
        last = -1
        for i, n in enumerate(self.named):
            if n.mention.kind != "place":
                last = i
            self._last_not_place.append(last)
            same = i > 0 and self.named[i - 1].mention.span.start == n.mention.span.start
            self._sentence_first.append(self._sentence_first[-1] if same else i)
            if n.mention.kind == "person" and not n.synthetic:
                self._persons_by_name.setdefault(n.mention.name, []).append(n)

    def _add_prefixes(self, offset: int, name: str) -> None:
        words = name.split()
        for size in range(1, min(len(words), 6)):
            self._by_prefix.setdefault(" ".join(words[:size]), _Index()).add(offset, name)

    def longer(self, name: str, offset: int) -> str:
        """The fuller name the article gave an organisation before: "the UN said" after "the
        United Nations human rights office" is that office."""
        found = self._by_prefix.get(name)
        return (found.last(offset) if found else "") or name

    def _full_person(self, name: str) -> str:
        if " " in name or name not in self._persons_by_last_word:
            return name
        return self._persons_by_last_word[name].names[-1]

    def _role_words(self, n: _Named) -> set[str]:
        """The role nouns the article put beside a person's name: "U.S. District Judge Jia
        Cobb" → judge; "Daniel L. Jacobson, a Tustin attorney," → attorney."""
        start = max(n.mention.span.start, n.offset - 60)
        before: list[str] = []
        for word in reversed(self.text[start : n.offset].split()[-4:]):
            # The title run right before the name: "Judge Brian Murphy said Trump's" gave
            # Trump no title. "Gov. John Bel Edwards": the title abbreviated.
            spelled = _TITLE_ABBREVIATIONS.get(word.lower())
            if spelled:
                before.append(spelled)
                continue
            if word[-1] in ",.;:" or not (word[0].isupper() or word.lower() in _ROLE_NOUNS):
                break
            before.append(word.lower())
        end = n.offset + len(n.mention.name)
        after = _INTRODUCED_AFTER.match(self.text, end, min(n.mention.span.end, end + 160))
        words = before + (after.group("appos").lower().split()[:6] if after else [])
        return {w.strip(",.") for w in words} & _ROLE_NOUNS

    def _descriptions(
        self, text: str, real: list[_Named], quoted: Callable[[int], bool]
    ) -> list[_Named]:
        """Names for "the judge", "the ministry", "El Cajon police", "la institución": each
        the person or organisation it stands for, so that "he" or "it" after it is them."""
        offsets = [n.offset for n in real]
        ends = [n.offset + len(n.mention.name) for n in real]
        found: list[_Named] = []
        for match in _DESCRIPTION.finditer(text):
            check_budget()
            if quoted(match.start()):
                continue
            at = bisect_right(offsets, match.start()) - 1
            if at < 0:
                continue
            span = sentence_at(self.spans, match.start()) or Span(match.start(), match.end(), "")
            bare = match.group("bare")
            noun = (bare or match.group("noun")).lower()
            written = match.group("noun")
            if not bare and not (written[0].islower() or written.lower() in _GENERIC_GROUPS):
                continue  # "The Health Ministry": a name, read as one already
            following = text[match.end() : match.end() + 2].lstrip()
            if following[:1].isupper():
                continue  # "the judge Brian Murphy": the name follows
            if noun in _ROLE_NOUNS:
                name = self._role_people.get(noun, _Index()).last(match.start())
                if name:
                    found.append(_Named(match.start(), Mention(name, "person", None, span), True))
                continue
            if noun not in _GROUP_NOUNS_SET:
                continue
            # "El Cajon police": the name before the noun with it.
            if at >= 0 and ends[at] + 1 == match.start() and bare:
                continue
            name = self.group(noun, match.start())
            if name:
                found.append(_Named(match.start(), Mention(name, "organization", None, span), True))
        for match in _COLLECTIVE_AFTER_NAME.finditer(text):
            check_budget()
            if quoted(match.start()):
                continue
            # "El Cajon police": a body of the place (or organisation) named before it.
            at = bisect_right(ends, match.start()) - 1
            if at >= 0 and ends[at] == match.start():
                start = real[at].offset  # "the Trump administration" too
            else:
                run = _CAP_RUN_AT_END.search(text, max(0, match.start() - 40), match.start())
                if run is None or run.group().split()[0] in SENTENCE_WORDS:
                    continue
                start = run.start()
            name = text[start : match.end()]
            sentence = sentence_at(self.spans, start) or Span(start, match.end(), "")
            found.append(_Named(start, Mention(name, "organization", None, sentence), True))
            noun = match.group("noun") or match.group("office")
            self._orgs_by_word.setdefault(noun, _Index()).add(start, name)
            self._add_prefixes(start, name)
        return found

    def group(self, noun: str, offset: int) -> str:
        """The organisation "the ministry" (`noun`) is before `offset`: the last one whose
        name holds the word, else the last that was the subject of its sentence."""
        noun = noun.lower()
        for word in _GROUP_SYNONYMS.get(noun, (noun,)):
            if noun not in _GENERIC_GROUPS and word in self._orgs_by_word:
                name = self._orgs_by_word[word].last(offset)
                if name:
                    return name
        if noun in {"police", "policía"}:
            return ""
        return self._salient_orgs.last(offset)

    def issuer(self, noun: str, offset: int) -> str:
        """The organisation the text before `offset` says issued the `noun` ("statement",
        "report"): "" when it says none."""
        start = max(0, offset - ISSUER_CHARS)
        found = ""
        for match in _ISSUED.finditer(self.text, start, offset):
            if match["noun"].lower() == noun:
                found = match["org"]
        return self.acronyms.get(found, found)

    def role_person_after(self, noun: str, offset: int) -> str:
        """The first person introduced with the role `noun` after `offset`, in the next few
        paragraphs ("A federal judge ruled …" and then "Judge Royce Lamberth found …")."""
        index = self._role_people.get(noun)
        if index is None:
            return ""
        at = bisect_right(index.offsets, offset)
        if at < len(index.offsets) and index.offsets[at] - offset <= CATAPHORA_CHARS:
            return index.names[at]
        return ""

    def _modified_group(self, modifiers: list[str], noun: str, offset: int) -> str:
        """ "the appeals court": the last organisation named before whose name holds both
        the noun and a word of its modifier ("U.S. Court of Appeals …", not "Supreme
        Court"); "" when none does."""
        for modifier in modifiers:
            for word in {modifier, modifier.removesuffix("s"), modifier + "s"}:
                index = self._orgs_by_word.get(word)
                name = index.last(offset) if index else ""
                if name and noun in name.lower().split():
                    return name
        return ""

    def before(self, offset: int, kinds: tuple[str, ...]) -> str:
        """The first name of `kinds` in the nearest sentence before `offset` naming one; for a
        person, not a sentence whose subject is "he" or "she" (it names someone else)."""
        return self.before_named(offset, kinds)[0]

    def before_named(self, offset: int, kinds: tuple[str, ...]) -> tuple[str, str]:
        """`before`'s name, and its kind."""
        last, first = self._kinds_index(kinds)
        at = bisect_left(self.offsets, offset) - 1
        for _ in range(LOOK_BACK_SENTENCES):
            if at < 0 or last[at] < 0:
                return "", ""
            found = self.named[first[last[at]]]
            sentence = found.mention.span.start
            if kinds != ("person",) or not _SUBJECT_PRONOUN.search(
                self.text, max(sentence, found.offset - 300), found.offset
            ):
                return self.full(found.mention.name, offset), found.mention.kind
            at = self._sentence_first[last[at]] - 1
        return "", ""

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
            if before and (org in _ARTICLE_WORDS or org in ("The", "A", "An")):
                return _RoleOrg(before.group("role").strip(), "")  # "Le ministre Jean Dupont"
            if (
                before
                and org not in SENTENCE_WORDS
                and org not in _ARTICLE_WORDS
                and name_kind(org.split()) == "organization"
            ):
                return _RoleOrg(before.group("role").strip(), self.acronyms.get(org, org))
            end = named.offset + len(person)
            after = _INTRODUCED_AFTER.match(self.text, end, min(named.mention.span.end, end + 160))
            if after:
                role_org = _role_and_organization(after.group("appos"), self, named.offset)
                if role_org.role or role_org.organization:
                    return role_org
        return _RoleOrg("", "")

    def first_person_between(self, start: int, end: int) -> _Speaker | None:
        """The first person named between two offsets (a clause: a few names)."""
        at = bisect_left(self.offsets, start)
        while at < len(self.named) and self.named[at].offset < end:
            check_budget()
            if self.named[at].mention.kind == "person":
                return _Speaker(self.full(self.named[at].mention.name, end), "", "")
            at += 1
        return None

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
        acronym as the long form the article gives ("ICAL" → "International Coalition
        Against Landmines")."""
        if name in self.acronyms:
            return self.acronyms[name]
        if " " in name:
            return name
        # The last person named before `offset` whose name ends in " " + name.
        persons = self._persons_by_last_word.get(name)
        return (persons.last(offset) if persons else "") or name

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
            found, found_kind = self.before_named(offset, kinds)
            return _Speaker(found, "", found if found_kind == "organization" else "")
        if lowered in ("police", "policía"):
            found = self.group(lowered, offset)
            return _Speaker(found, "", found) if found else None
        described = _DESCRIBED.fullmatch(lowered)
        # "the Democratic governor", "the appeals court": with words before the noun, a
        # description only when it finds someone ("El Cajon police" is a name).
        modifiers = described.group("mods").split() if described else []
        if described:
            noun = described.group("noun")
            if noun in _ROLE_NOUNS:
                name = self._role_people.get(noun, _Index()).last(offset)
                if name or not modifiers:
                    return _Speaker(name, "", "") if name else None
            elif noun in _GROUP_NOUNS_SET:
                found = self._modified_group(modifiers, noun, offset)
                found = found or self.group(noun, offset)
                if found or not modifiers:
                    return _Speaker(found, "", found)
        crowd = re.fullmatch(rf"the\s+(?P<crowd>{_CROWD})", lowered)
        if crowd:
            return _Speaker(crowd["crowd"], "", "")  # "the protesters chanted": they speak
        owned = _OWNED.fullmatch(phrase)
        if owned:
            # "Its researchers", "Sus activistas": the organisation the article is about.
            found = self.group("group", offset)
            return _Speaker(found, "", found) if found else None
        collective = re.fullmatch(rf"(?:the\s+)?(?P<name>{_CAP_RUN})\s+{_COLLECTIVE}", phrase)
        if collective:
            name = self.acronyms.get(phrase, phrase)
            return _Speaker(name, "", name)
        speaking = re.fullmatch(rf"(?:the\s+)?(?P<name>{_CAP_RUN})\s+{_SPOKESPEOPLE}", phrase)
        if speaking:
            found = self.full(speaking.group("name"), offset)
            return _Speaker(found, "", found)
        document = re.fullmatch(
            rf"(?:the\s+)?(?P<name>{_CAP_RUN})[’']s?\s+(?:\w+\s+)?{_DOCUMENT_NOUNS}", phrase
        )
        if document:
            return self.resolve(document.group("name"), offset)
        unowned = re.fullmatch(
            rf"(?:the|an?|el|la|le|un|una|une)\s+(?:\w+\s+)?{_DOCUMENT_NOUNS}", lowered
        )
        if unowned:
            # "the statement said": who the article said issued it ("The UN High Commissioner
            # for Human Rights issued the statement on Tuesday"), else the organisation the
            # article is about.
            issuer = self.issuer(lowered.split()[-1], offset)
            found = issuer or self.group("group", offset)
            return _Speaker(found, "", found) if found else None
        spokes = re.fullmatch(
            rf"(?:an?|the|un|une|el|la|le)\s+(?P<role>spokesperson|spokesman|spokeswoman|"
            rf"representative|official|officials|researcher|lawyer|director|member|portavoz|"
            rf"porte-parole)\s+(?:for|of|at|with|from|de|del|de la|des|du)"
            rf"\s+(?:the\s+|la\s+|l['’]\s*)?(?P<org>{_CAP_RUN}|[\w\s]{{3,60}})",
            phrase,
        )
        if spokes:
            org = spokes.group("org").strip()
            org = self.acronyms.get(org, org)
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
        if " ".join(words) in self.acronyms:
            kind: MentionKind | None = "organization"
        elif speaker != " ".join(words):
            kind = "person"
        else:
            kind = name_kind(words, after="said")
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


def _attribute_after(
    seg: _Segment, text: str, line_end: int, resolver: _Resolver, current: _Speaker | None
) -> bool:
    """`“…,” said Ben Linden, role, …` or `“…,” Linden said`, `«…», a déclaré X`, `“…”,
    señaló en un comunicado` (no subject: the one speaking already, `current`): the
    attribution that follows a quote ending in a comma (or ?, !, —), up to the end of its
    sentence."""
    content = seg.text.rstrip()
    tail_end = min(line_end, seg.close + 1 + TAIL_CHARS)
    next_mark = _OPENING_MARK.search(text, seg.close + 1, tail_end)
    if next_mark:
        tail_end = next_mark.start()
    tail = text[seg.close + 1 : tail_end]
    if not (
        content.endswith((",", "?", "!", "—", "–", "-", "…"))
        or tail.lstrip(" ").startswith((",", "—", "–"))
        or text[seg.close] in "—―–"  # "—No nos iremos —dijo Ortega—."
    ):
        return False
    according = _AFTER_ACCORDING.match(tail)
    if according:
        phrase = _PHRASE_CUT.sub("", according.group("np").strip())
        speaker = resolver.resolve(phrase, seg.open)
        if speaker is not None and speaker.speaker:
            _set(seg, speaker, _RoleOrg("", ""), seg.close + 1 + according.end())
            return True
    french = _FRENCH_INVERSION.match(tail)
    if french:
        pronoun = french.group("p1") or french.group("p2")
        speaker = _current_or(resolver, current, pronoun, seg.open)
        if speaker is not None and speaker.speaker:
            _set(seg, speaker, _RoleOrg("", ""), seg.close + 1 + french.end())
            return True
    inverted = _AFTER_INVERTED.match(tail)
    if inverted:
        raw = (inverted.group("phrase") or "").strip()
        # "said the Committee to Protect Journalists (CPJ)": the name without its acronym.
        phrase = _cut_phrase(raw.split(" (", 1)[0])
        if not phrase or _PREPOSITION_ONLY.match(raw):
            # "”, señaló en un comunicado": no subject; the one already speaking.
            speaker = _current_or(resolver, current, "", seg.open)
            if speaker is not None and speaker.speaker:
                _set(seg, speaker, _RoleOrg("", ""), seg.close + 1 + inverted.end())
                return True
            return False
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


# "“…protection” since reporters were regarded as …, Pruitt said.": the sentence's own
# attribution, at its end, after words of the writer's that follow the quote.
_SAID_AT_END = re.compile(
    rf",\s*(?P<np>{_CAP}(?:\s+{_CAP}){{0,3}}|[Hh]e|[Ss]he|[Tt]hey|[Ii]t)\s+(?:{_VERB})"
    r"[\s.]*$"
)
SENTENCE_END_CHARS = 200  # the most words between a quote and its sentence's attribution


def _attribute_at_sentence_end(
    seg: _Segment, text: str, sentence: Span, resolver: _Resolver
) -> None:
    """A quote whose sentence goes on past it and ends ", Pruitt said.": Pruitt's, when no
    other quote stands between."""
    end = sentence.end if sentence.start <= seg.close < sentence.end else -1
    if end < 0 or end - seg.close > SENTENCE_END_CHARS:
        return
    tail = text[seg.close + 1 : end]
    if _OPENING_MARK.search(tail) or not tail.strip(" .,"):
        return
    said = _SAID_AT_END.search(tail)
    if said is None:
        return
    speaker = resolver.resolve(said.group("np"), seg.open)
    if speaker is not None and speaker.speaker:
        _set(seg, speaker, _RoleOrg("", ""), seg.close + 1 + said.end())


def _cut_phrase(phrase: str) -> str:
    """The speaker's words of what follows a verb: up to "in", "on", "to", "dans"…, but not
    inside a name ("the Committee to Protect Journalists")."""
    name = _LEADING_NAME.match(phrase)
    at = name.end() if name else 0
    return phrase[:at] + _PHRASE_CUT.sub("", phrase[at:])


def _current_or(
    resolver: _Resolver, current: _Speaker | None, pronoun: str, offset: int
) -> _Speaker | None:
    """Who a verb with no subject of its own ("señaló", "a-t-il ajouté") has: the one who
    spoke last, else the person or organisation of the nearest sentence before."""
    if current is not None and current.speaker:
        return current
    return resolver.resolve(pronoun or "they", offset)


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
    according = (
        _ACCORDING.search(clause)
        if any(word in clause for word in ("ccording to", "egún", "elon", "après", "cuerdo con"))
        else None
    )
    if according:
        phrase = according.group("np")
        source = re.search(rf"\b(?:from|by|of)\s+(?:the\s+)?({_CAP_RUN})\s*$", phrase)
        speaker = resolver.resolve(source.group(1) if source else phrase, seg.open)
        if speaker is not None and speaker.speaker:
            _set(seg, speaker, _RoleOrg("", ""), seg.close + 1)
            seg.direct = True
            return True
    verb = verbs.last(clause_start, seg.open)
    for _ in range(3):
        # "they were called to the mall": a passive is no one speaking; the verb before it.
        if verb is None or not _PASSIVE.search(
            text, max(0, clause_start + verb[0] - 12), clause_start + verb[0]
        ):
            break
        verb = verbs.last(clause_start, clause_start + verb[0])
    if verb is not None and _attribute_to_verb(seg, clause, clause_start, verb, sentence, resolver):
        return True
    statement = _STATEMENT_FOLLOWS.search(clause)
    if statement:
        # "…, the Committee to Protect Journalists made the following statement: “…”": the
        # subject of the statement, not a person the clause named before it.
        subject = _speaker_at_end(statement.group("pre"), clause_start, resolver)
        if subject is not None:
            _set(seg, subject, _RoleOrg("", ""), seg.close + 1)
            seg.direct = True
            return True
    if clause.rstrip().endswith(":"):
        # "Callamard called on states to act: “…”": a colon hands over to the quote; to the
        # person the clause names first ("Rupert Colville, speaking for the Office…, read
        # out a statement:"), else whoever it names last.
        subject = resolver.first_person_between(clause_start, seg.open) or resolver.last_between(
            clause_start, seg.open
        )
        if subject is not None:
            _set(seg, subject, _RoleOrg("", ""), seg.close + 1)
            seg.direct = True
            return True
    return False


_ISSUED = re.compile(
    rf"(?P<org>{_CAP_RUN})\s+(?:issued|released|published|put\s+out)\s+(?:the|a|its|this)\s+"
    r"(?:\w+\s+)?(?P<noun>statement|report|release|letter|communiqué|comunicado)\b"
)
# A sentence whose subject is a person not yet named: "In sharp language, a federal judge …".
_UNNAMED_SUBJECT = re.compile(
    r"(?:[^,.;]{0,40},\s*)?(?:[Aa]n?|[Tt]he)\s+(?:[\w.-]+\s+){0,2}?"
    rf"(?P<noun>{'|'.join(sorted(_ROLE_NOUNS, key=len, reverse=True))})\b"
)
_STATEMENT_FOLLOWS = re.compile(
    r"(?P<pre>[^,;:]+?)\s+(?:made|issued|released|published|put\s+out|gave)\s+(?:the\s+"
    r"following|a|this|its|an?\s+\w+)\s+(?:statement|comment|response)\s*:\s*$"
)


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
        # last person or organisation named before, in this sentence, outside quotes. "A
        # federal judge on Thursday blocked …, ruling that …": the judge the article names
        # next.
        unnamed = _UNNAMED_SUBJECT.match(resolver.text, sentence.start, clause_start + verb_start)
        ahead = resolver.role_person_after(unnamed["noun"], sentence.end) if unnamed else ""
        subject = (
            _Speaker(ahead, "", "")
            if ahead
            else resolver.last_between(sentence.start, clause_start + verb_start)
        )
        if subject is None:
            return False
        _set(seg, subject, _RoleOrg("", ""), seg.close + 1)
        return True
    pre = _ADVERBS.sub("", pre.rstrip())
    pre = _ASIDE_AT_END.sub(",", pre)  # "Linden, however, said": Linden
    relative = _RELATIVE.search(pre)
    pre = _RELATIVE.sub("", pre)  # "the Bar Association, which said": the association
    if relative is not None and not pre.strip(" ,"):
        # "…”, a affirmé X, qui a ajouté que “…”": X, named before the relative.
        subject = resolver.last_between(sentence.start, clause_start + verb_start)
        if subject is None:
            return False
        _set(seg, subject, _RoleOrg("", ""), seg.close + 1)
        return True
    pre = pre.rstrip(",") if pre.endswith(",,") else pre
    appos = ""
    if pre.endswith(","):
        inner = pre[:-1]
        comma = inner.rfind(",")
        if comma > 0:
            pre, appos = inner[:comma], inner[comma + 1 :]
    if word.lower() in _CHANT_VERBS and re.search(r"\b[Tt]hey\s*$", pre):
        return False  # "They chanted": a crowd, not the organisation named before
    speaker = _speaker_at_end(pre, clause_start, resolver)
    named = resolver.person(appos, clause_start) if appos else None
    role_first = speaker is not None and (
        speaker.speaker == speaker.organization or _ARTICLE.match(pre.strip()) is not None
    )
    if speaker is not None and not (named is not None and role_first):
        _set(seg, speaker, _role_and_organization(appos, resolver, seg.open), seg.close + 1)
        return True
    if named is not None and speaker is not None:
        # "El Defensor del Pueblo, Ángel Gabilondo, expuso", "La directrice Afrique de HRW,
        # Ida Sawyer, décrit": the person, with the role set before the name.
        role_org = _role_and_organization(pre, resolver, seg.open)
        if speaker.speaker == speaker.organization:
            role_org = _RoleOrg("", speaker.organization)
        _set(seg, named, role_org, seg.close + 1)
        return True
    # "Karsta's mayor, Eva Sorensen, said": the role first, the name set beside it.
    if named is None or len(pre.split()) > 6:
        return False
    _set(seg, named, _role_and_organization(pre, resolver, seg.open), seg.close + 1)
    return True


def _speaker_at_end(pre: str, offset: int, resolver: _Resolver) -> _Speaker | None:
    """The noun phrase ending `pre` (the words before a speech verb), resolved."""
    pre = _last_words(pre.rstrip(), SPEAKER_WORDS)
    located = _LOCATED_AT_END.search(pre)
    if located and name_kind(located.group("place").split()) == "place":
        pre = pre[: located.start()]  # "The … Ninth Circuit in San Francisco held": the court
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


_LOCATED_AT_END = re.compile(rf"\s+(?:in|at)\s+(?P<place>{_CAP}(?:\s+{_CAP}){{0,2}})$")
_SPEAKER_AT_END = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t)$",
        r"\b(?:[Pp]olice|[Pp]olicía)$",
        rf"(?:\b(?:the|The)\s+)?{_CAP_RUN}\s+(?:{_COLLECTIVE}|{_SPOKESPEOPLE})$",
        rf"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir)\s+(?:\w+\s+)?{_DOCUMENT_NOUNS}$",
        rf"\b(?:[Tt]he|[Tt]his)\s+(?:[a-z-]+\s+)?{_GROUP}$",  # "the appeals court"
        rf"\b(?:[Tt]he)\s+{_CROWD}$",  # "the demonstrators chanted"
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
    seg.speaker = _LEADING_ARTICLE.sub("", speaker.speaker)
    seg.role = speaker.role or role_org.role
    seg.organization = _LEADING_ARTICLE.sub("", speaker.organization or role_org.organization)
    seg.attributed = bool(speaker.speaker)
    seg.end = max(seg.end, end)


def _cleaned(quoted: str) -> str:
    return quoted.strip().rstrip(",—–-").rstrip()


def extract_quotes(article: Article) -> list[Quote]:
    """Every quotation in the article's text with its speaker, role and organisation as far
    as the text says, in order; each span is the sentence(s) from the quote to its
    attribution."""
    text = article.text
    # Read through a font that put "í" for every "i" ("políce saíd"), the text is read as
    # written in English; what is quoted is still given as printed.
    analysis = text.replace("í", "i") if len(_DISGUISED_I.findall(text, 0, 20_000)) >= 3 else text
    spans = sentences(analysis)
    if analysis is not text:
        spans = [Span(s.start, s.end, text[s.start : s.end]) for s in spans]
        article = replace(article, text=analysis)
    segments = _segments(analysis)
    if not segments:
        return []
    for seg in segments:
        seg.text = text[seg.open + 1 : seg.close]
    resolver = _Resolver(analysis, _located(analysis, extract_mentions(article)), segments, spans)
    verbs = _Verbs(analysis)
    headline = _folded_words(article.title)
    attributed_after: _Segment | None = None  # the last quote attributed by the words after it
    current: _Segment | None = None  # the last quote attributed
    for seg in segments:
        check_budget()
        # The paragraph's start, looked for no further back than a clause (from every quote
        # back to the start of one long line: quadratic).
        newline = analysis.rfind("\n", max(0, seg.open - CLAUSE_CHARS), seg.open)
        opens_line = newline >= 0 or seg.open <= CLAUSE_CHARS
        line_start = newline + 1 if opens_line else seg.open - CLAUSE_CHARS
        if not _WORD_CHAR.search(seg.text) or _is_title(analysis, seg, line_start, headline):
            seg.title = True  # (quote marks with no word between them quote nothing)
            continue
        # The line's end, looked for no further than an attribution after the quote reaches
        # (from every quote to the end of a long line: quadratic).
        reach = min(len(analysis), seg.close + 1 + TAIL_CHARS)
        line_end = analysis.find("\n", seg.close, reach)
        line_end = reach if line_end < 0 else line_end
        speaking = (
            _Speaker(current.speaker, current.role, current.organization)
            if current is not None and seg.open - current.end < CURRENT_CHARS
            else None
        )
        if _attribute_after(seg, analysis, line_end, resolver, speaking):
            seg.direct = seg.after = True
            attributed_after = current = seg
            continue
        sentence = sentence_at(spans, seg.open) or Span(seg.open, seg.close + 1, "")
        if opens_line and not analysis[line_start : seg.open].strip():
            # A paragraph that opens with the quote, after one ending in a colon ("She told
            # Politics.co.uk:"): that paragraph's last sentence hands over to it.
            handing = analysis[max(0, line_start - 3) : line_start].rstrip()
            if handing.endswith(":"):
                colon = sentence_at(spans, len(handing) - 1 + max(0, line_start - 3))
                if colon is not None:
                    sentence = Span(colon.start, seg.close + 1, "")
        _attribute_before(seg, analysis, sentence, attributed_after, verbs, resolver)
        if not seg.attributed:
            _attribute_at_sentence_end(seg, analysis, sentence, resolver)
        if seg.attributed:
            current = seg

    spoken: list[str] = []  # the organisations quoted so far, by the names they were given
    for seg in segments:
        if seg.speaker and seg.speaker == seg.organization:
            seg.speaker = seg.organization = resolver.longer(seg.speaker, seg.open)
            # "the U.S. Court of Appeals for the Ninth Circuit held …" then "the appeals
            # court found …": the fuller name an earlier quote gave the same speaker
            fuller = [name for name in spoken if name.startswith(seg.speaker + " ")]
            if fuller:
                seg.speaker = seg.organization = fuller[-1]
            spoken.append(seg.speaker)
        # A person quoted without a role: the one the article gave where it named them.
        if seg.speaker and seg.speaker != seg.organization and not (seg.role or seg.organization):
            role_org = resolver.introduced(seg.speaker)
            seg.role, seg.organization = role_org.role, role_org.organization

    _carry_speakers(analysis, segments, verbs)
    drafts: list[_Draft] = []
    previous: _Segment | None = None
    merged_into: dict[int, int] = {}
    for index, seg in enumerate(segments):
        check_budget()
        if seg.title:
            continue
        if previous is not None and _same_line(analysis, previous.close, seg.open):
            gap = analysis[previous.end : seg.open]
            if (
                index - 1 in merged_into
                and previous.direct
                and previous.attributed
                and previous.after
                and not gap.strip(" ,")
                and (analysis[previous.close + 1 : seg.open].rstrip().endswith(","))
            ):
                # “…,” she said, “…”: one quote, split by its attribution; after a word or
                # two (“Indeed,” he added, “…”) the quote is what follows.
                head = drafts[merged_into[index - 1]]
                if len(head.pieces) == 1 and len(head.pieces[0].split()) < SHORT_QUOTE_WORDS:
                    head.pieces, head.end = [_cleaned(seg.text)], seg.close
                else:
                    head.join(_cleaned(seg.text), seg.close)
                merged_into[index] = merged_into[index - 1]
                previous = seg
                seg.speaker, seg.role, seg.organization = head.speaker, head.role, head.organization
                seg.attributed = True
                continue
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


def _carry_speakers(text: str, segments: list[_Segment], verbs: _Verbs) -> None:
    """Quotes with no attribution of their own that go on with a speaker's words: the
    paragraphs of a quote of several paragraphs; a quote later in a paragraph whose earlier
    quote is attributed, with no verb of saying between them (“…,” Cobb wrote. In her view the
    administration “exceeded…”); a paragraph that is a quote and nothing else, after a
    speaker's quote a few paragraphs before."""
    # The paragraphs of one quote share its speaker, whichever of them names it.
    chain: list[_Segment] = []
    for seg in [*segments, None]:
        if seg is not None and (seg.continues or not chain) and not seg.title:
            chain.append(seg)
            if seg.runs_on:
                continue
        if len(chain) > 1:
            named = next((s for s in chain if s.attributed), None)
            if named is not None:
                for other in chain:
                    if not other.attributed:
                        _copy(named, other)
        chain = [seg] if seg is not None and seg.runs_on and not seg.title else []
    last: _Segment | None = None
    for seg in segments:
        check_budget()
        if seg.title:
            continue
        if not seg.attributed and last is not None and _carries(text, last, seg, verbs):
            _copy(last, seg)
        if seg.attributed:
            last = seg


def _carries(text: str, last: _Segment, seg: _Segment, verbs: _Verbs) -> bool:
    between = text[last.end : seg.open] if seg.open - last.end < CURRENT_CHARS else "\n" * 9
    if "\n" not in between:
        # (“…,” she said, adding that “…”: a participle goes on with the same speaker.)
        verb = verbs.last(last.end, seg.open)
        return verb is None or (
            verb[2] in _PARTICIPLE and between.rstrip().endswith((" that", " que", " qu'", " qu’"))
        )
    return seg.whole and between.count("\n") <= CARRY_PARAGRAPHS * 2 and _opens_paragraph(text, seg)


def _opens_paragraph(text: str, seg: _Segment) -> bool:
    return seg.open == 0 or text[seg.open - 1] == "\n"


def _copy(source: _Segment, target: _Segment) -> None:
    target.speaker, target.role = source.speaker, source.role
    target.organization, target.attributed = source.organization, True


def _folded_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _is_title(text: str, seg: _Segment, line_start: int, headline: str) -> bool:
    """A quote that names a report, a show or the article itself: not words said."""
    before = text[max(line_start, seg.open - 60) : seg.open]
    if _TITLE_HINT.search(before) and _TITLED.search(before):
        return True
    if headline and abs(len(seg.text) - len(headline)) < 20 and _folded_words(seg.text) == headline:
        return True  # 'Featured image for “…”': the headline quoted
    words = seg.text.split()
    # “Meet the Press”: a title in title case, no sentence's end.
    long_words = [w for w in words if len(w) > 3]
    return (
        2 <= len(words) <= 8
        and bool(long_words)
        and all(w[0].isupper() for w in long_words)
        and not any(w[0].isupper() for w in words[1:] if len(w) <= 3 and w.isalpha())
        and not seg.text.rstrip().endswith((".", ",", "!", "?"))
        and text[max(line_start, seg.open - 4) : seg.open].strip().lower()
        in ("on", "in", "of", "the", "’s", "'s")
    )


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
