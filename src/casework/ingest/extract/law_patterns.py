"""Laws and treaties read by their shape, for the names no catalog holds: "the Suppression of
Terrorism Act of 2008", "the Convention on Migrant Workers", "8 U.S.C. § 1231", "8 CFR
241.4", "Title 42", "UN Security Council Resolution 2334", "the Fourth Amendment", "la Ley
Orgánica 4/2015", "el Código Penal", "la Convention d'Istanbul", "la loi Gayssot".

A name is a run of capitalised words (and the small words between them: "of", "on", "de
los") that ends in a law's word (Act, Convention, Protocol, Resolution, Statute, Charter,
Covenant, Treaty, Code, Constitution), or starts with one and goes on with "on", "against",
"of", "de", "sobre"... and capitalised words ("Convention against Torture", "Ley de
Protección Policial"). What a name is not: an event ("the Democratic National Convention"),
an office ("Chief of Protocol"), a body ("Resolution Foundation", followed by another
capitalised word), "the Statute of Limitations", and anything in a title-case headline,
where every word is capitalised and none can be told from a name.

Linear in the sentence: each law's word looks at most `_WINDOW` words either side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WINDOW = 12
_TOKEN = re.compile(r"[^\s,;:()\[\]\"“”«»!?]+")

# Law words: a name ends in one (English), or starts with one (English, Spanish, French).
# The text is accent-folded (law.py's `fold_same_length`): "Codigo", "Traite", "Constitucion".
_LAST = frozenset(
    """Act Convention Protocol Resolution Statute Charter Covenant Treaty Code Constitution
    Amendment""".split()
)
_FIRST = frozenset(
    """Convention Protocol Charter Statute Covenant Treaty Constitution
    Ley Convencion Convenio Pacto Protocolo Estatuto Carta Tratado Codigo Constitucion
    Pacte Protocole Statut Charte Traite Loi loi Code""".split()
)
# What may follow a first law word before the rest of the name.
_LEADS = frozenset(
    """on against for of relating concerning to de del sobre contra para relativo relativa
    d' du des relatif relative aux au pour sur contre""".split()
)
# Small words inside a name, between capitalised ones.
_SMALL = frozenset(
    """of on for against and to the in relating concerning with by
    de del la las los el sobre contra para y e en su a al
    d' du des le les l' et aux au pour sur relatif relative""".split()
)
# Words that open a sentence or a phrase and are not part of the name after them.
_OPENERS = frozenset(
    """The A An This That These Those Its His Her Their Our Under In By For With From To Of
    And But Or As At On If When While After Before Since Despite Both Neither Nor Unlike Like
    La El Los Las Le Les Un Una Une Del Des Du Bajo Sous Según Segun Selon Con Avec Par Por
    Para Pour Sin Sans Dans Cette Ce Esta Este Su Sus Leur Leurs Y Et""".split()
)
_ORDINAL = re.compile(
    r"(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|"
    r"Thirteenth|Fourteenth|Fifteenth|Sixteenth|Seventeenth|Eighteenth|Nineteenth|"
    r"Twentieth|Twenty-\w+|\d{1,2}(?:st|nd|rd|th))"
)
_YEAR = re.compile(r"(?:1[6-9]|20)\d\d")
# Words that end a name read backwards: a reference before it ("Article 5 of the …").
_REFERENCE_WORDS = frozenset(
    "Article Articles Art Arts Section Sections Sec Title Chapter Paragraph Rule § §§".split()
)
_AND = frozenset("and or y o e et ou".split())
_LOWER_CODES = frozenset("penal civil".split())  # "Code pénal", "Código civil"
_NUMBER_MARK = frozenset("n° N° nº Nº N.º n.º No. no. No Nr. número numero num.".split())
# Capitalised words before a law word that make it something else.
_NOT_LAW: dict[str, frozenset[str]] = {
    "Convention": frozenset(
        "National Party Annual Constitutional Democratic Republican Comic Fan Nominating "
        "Leadership State".split()
    ),
    "Act": frozenset(
        "Riot Balancing Class Disappearing Juggling Opening Double Solo Headline Support "
        "Final First Second Third Last Next Circus Vaudeville Tribute".split()
    ),
    "Resolution": frozenset("Dispute Conflict Screen High New Year's Year’s".split()),
    "Code": frozenset("Dress Zip Area Source Morse Vinci Postal Bar Country QR Promo".split()),
    "Protocol": frozenset("Chief Internet Transmission Network".split()),
    "Charter": frozenset("Royal Bus Yacht Flight".split()),
}
_NOT_NAMES = frozenset({"statute of limitations", "statutes of limitations"})
_USC = re.compile(
    r"\b(?P<title>\d{1,2})\s*U\.?\s?S\.?\s?C\.?(?:\s?A\.?)?\s*(?:§§?|[Ss]ec(?:tion|s?\.)?)?\s*"
    r"(?P<section>\d{1,5}[a-z]?(?:-\d+)?)"
)
_CFR = re.compile(
    r"\b(?P<title>\d{1,2})\s*C\.?\s?F\.?\s?R\.?\s*(?:§§?|[Pp]art|[Ss]ec(?:tion|\.)?)?\s*"
    r"(?P<section>\d{1,4}(?:\.\d{1,4})?)"
)
_TITLE = re.compile(r"\bTitle\s+(?P<number>\d{1,2}|[IVXL]{1,6})\b")
_OF_CODE = re.compile(r"\s+of\s+the\s+(?:U\.?S\.?|United\s+States)\s+Code\b")
_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    name: str  # as written, without a leading "the"


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    word: str
    joined: bool  # only spaces between it and the word before


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    tokens: list[_Tok] = []
    before = start
    for match in _TOKEN.finditer(text, start, end):
        s, e = match.span()
        word = match.group()
        # A full stop ending a sentence is not part of the word ("Act."), one of an
        # abbreviation is ("U.S.", "No.").
        if word.endswith(".") and word.count(".") == 1 and len(word) > 3:
            word, e = word[:-1], e - 1
        joined = bool(tokens) and not text[before:s].strip()
        tokens.append(_Tok(s, e, word, joined))
        before = e
    return tokens


def _capital(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


_TITLE_CASED = frozenset("Of In To For On And With At By From Is Are Over After Into As".split())


def _headline(tokens: list[_Tok]) -> bool:
    """Whether the words are a title-case headline: small words capitalised inside it ("Use
    Of", "In Texas") and most long words too. (A sentence dense with names is no headline.)"""
    if not any(t.word in _TITLE_CASED for t in tokens[1:]):
        return False
    long = [t.word for t in tokens if len(t.word) >= 4 and t.word[:1].isalpha()]
    return len(long) >= 3 and sum(w[:1].isupper() for w in long) >= 0.7 * len(long)


def read_names(folded: str, original: str, start: int, end: int) -> list[Found]:
    """The laws and treaties in folded[start:end] (one sentence) read by their shape, in
    order, without overlaps; their names as `original` writes them."""
    found: list[Found] = []
    tokens = _tokens(folded, start, end)
    headline = _headline(tokens)
    for i, tok in enumerate(tokens):
        word = tok.word
        if word in _LAST and not headline and i > 0:
            found += _name_ending_at(tokens, i, original)
        if word in _FIRST and not (headline and word[:1].isupper()):
            found += _name_starting_at(tokens, i, original)
    found += _codes(folded, original, start, end)
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            if item.end > kept[-1].end and item.start == kept[-1].start:
                kept[-1] = item
            continue
        kept.append(item)
    return kept


def _name_ending_at(tokens: list[_Tok], at: int, original: str) -> list[Found]:
    keyword = tokens[at].word
    if keyword == "Amendment":  # "the Fourth Amendment"; not "an amendment", "Senate Amendment"
        if tokens[at].joined and _ORDINAL.fullmatch(tokens[at - 1].word):
            return [_found(tokens, at - 1, at, original)]
        return []
    first = at
    small_run = 0
    i = at - 1
    while i >= 0 and at - i <= _WINDOW and tokens[i + 1].joined:
        word = tokens[i].word
        if word.endswith(("'s", "’s", "s'", "s’")):
            break
        if word in _SMALL:
            small_run += 1
            if small_run > 2 or (word in _AND and tokens[i + 1].word in ("the", "la", "le", "el")):
                break  # "… and the Patriot Act": a list, not one name
        elif word in _REFERENCE_WORDS or word in _LAST or word in _FIRST:
            break  # "Article 5 of the …", "the Care Act and the Patriot Act"
        elif word[:1].isdigit() and not _YEAR.fullmatch(word):
            break
        elif _capital(word):
            small_run = 0
            first = i
        else:
            break
        i -= 1
    while first < at and tokens[first].word in _OPENERS:
        first += 1
    if first == at:
        return []
    before = tokens[at - 1].word
    if before in _SMALL or before in _NOT_LAW.get(keyword, ()):
        return []
    if keyword == "Act" and tokens[first].word in _NOT_LAW["Act"] and first == at - 1:
        return []
    if any(t.word in _NOT_LAW.get(keyword, ()) for t in tokens[first:at]):
        return []
    last = at
    # "… Act of 2008", "… Act 1998", "Resolution 2334".
    nxt = at + 1
    if nxt + 1 < len(tokens) and tokens[nxt].word == "of" and _YEAR.fullmatch(tokens[nxt + 1].word):
        if tokens[nxt].joined and tokens[nxt + 1].joined:
            last = nxt + 1
    elif (
        nxt < len(tokens)
        and tokens[nxt].joined
        and (
            _YEAR.fullmatch(tokens[nxt].word)
            or (keyword == "Resolution" and tokens[nxt].word[:1].isdigit())
        )
    ):
        last = nxt
    elif nxt < len(tokens) and tokens[nxt].joined and tokens[nxt].word[:1].isupper():
        return []  # "Resolution Foundation", "Covenant House": a body's name
    return [_found(tokens, first, last, original)]


def _name_starting_at(tokens: list[_Tok], at: int, original: str) -> list[Found]:
    """ "Convention on the Rights of …", "Ley Orgánica 4/2015", "Statut de Rome", "loi
    Gayssot": a law word, then capitalised words (after a leading small word or not)."""
    keyword = tokens[at].word
    if keyword == "Code" and (at + 1 >= len(tokens) or tokens[at + 1].word not in _LOWER_CODES):
        return []  # "Code pénal"; not "Code of Conduct"
    last = at
    small_run = 0
    i = at + 1
    numbered = True  # a number may follow the law word itself or "n°"
    while i < len(tokens) and i - at <= _WINDOW and tokens[i].joined:
        word = tokens[i].word
        if word in _NUMBER_MARK:
            numbered = True
            i += 1
            continue
        if word in _AND and i + 1 < len(tokens):
            after = (
                tokens[i + 2].word
                if tokens[i + 1].word in _SMALL and i + 2 < len(tokens)
                else tokens[i + 1].word
            )
            if after in _FIRST or after in _LAST:
                break  # "… and the Convention Center": another name
        if word[:1].isdigit():
            if not numbered:
                break
            last = i
        elif i == at + 1 and word in _LOWER_CODES and keyword in ("Code", "Codigo"):
            last = i
        elif word in _SMALL or word in _LEADS or word.lower() in ("d'", "l'"):
            small_run += 1
            if small_run > 2 or (i == at + 1 and word not in _LEADS and word not in _SMALL):
                break
        elif word[:2].lower() in ("d'", "d’", "l'", "l’") and word[2:3].isupper():
            last = i  # "d'Istanbul", "l'Homme"
            small_run = 0
        elif word[:1].isupper():
            small_run = 0
            last = i
        else:
            break
        numbered = False
        i += 1
    if last == at:
        return []
    if keyword in _LAST and keyword[:1].isupper():
        lead = tokens[at + 1].word
        if (
            lead not in _LEADS
            and lead[:2].lower() not in ("d'", "d’")
            and not (lead in _LOWER_CODES and keyword == "Code")
        ):
            return []  # "Convention Center", or a name ending at the next law word
    name = _found(tokens, at, last, original)
    if name.name.casefold() in _NOT_NAMES:
        return []
    # Capitalised words before an English law word belong to the name too: "International
    # Convention for the Protection of …", "Optional Protocol to the Convention …".
    first = at
    j = at - 1
    while j >= 0 and at - j <= 4 and tokens[j + 1].joined and tokens[j].word[:1].isupper():
        if tokens[j].word in _OPENERS or tokens[j].word.endswith(("'s", "’s")):
            break
        first = j
        j -= 1
    if first < at and keyword in _LAST:
        name = _found(tokens, first, last, original)
    return [name]


def _found(tokens: list[_Tok], first: int, last: int, original: str) -> Found:
    start, end = tokens[first].start, tokens[last].end
    return Found(start, end, " ".join(original[start:end].split()))


def _codes(folded: str, original: str, start: int, end: int) -> list[Found]:
    """U.S. Code and CFR citations, and "Title 42" (of the U.S. Code: not "Title VII of the
    Civil Rights Act", whose Act is read on its own)."""
    found: list[Found] = []
    for match in _USC.finditer(folded, start, end):
        name = f"{match.group('title')} U.S.C. § {match.group('section')}"
        found.append(Found(match.start(), match.end(), name))
    for match in _CFR.finditer(folded, start, end):
        name = f"{match.group('title')} C.F.R. § {match.group('section')}"
        found.append(Found(match.start(), match.end(), name))
    for match in _TITLE.finditer(folded, start, end):
        stop = match.end()
        code = _OF_CODE.match(folded, stop, end)
        if code is not None:
            stop = code.end()
        elif _OF_NAME.match(folded, stop, end):
            continue
        found.append(Found(match.start(), stop, " ".join(original[match.start() : stop].split())))
    return found
