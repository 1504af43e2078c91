"""Figures: the numbers an article states, each with what it counts.

A number is reported only when the sentence says what it counts (a number on its own, a
year, a date, an article of a law, an age, a time or a phone number is not a figure):

- people: a number followed by a word for people ("1,945 people", "30 journalists",
  "4,325 Ukrainian civilians", "12 others") or next to what happened to them ("killed at
  least 1,945", "injured another 4,325", "12 dead", "300 people were detained", "the
  deaths of three protesters", "the number of people killed … to 24"). `counts` is what
  happened (killed, injured, detained, arrested, displaced, missing, abducted, disappeared,
  executed, deported, evicted, released, and for a word for people also targeted,
  tortured, charged, deployed…; "wounded" → injured, "dead"/"died"/"deaths" → killed,
  "fled" → displaced, "killed or injured" → casualties), else the people word
  ("civilians", "children"). A number after "including", "among them" or "of whom", or
  before "of them" + a word for people, counts the people word ("killed 12 civilians,
  including five children" → 12 killed, 5 children).
- percent: "9%", "Ninety percent", "46 per cent"; counts the increase or decrease it
  measures ("a 9% increase", "rose by 9%"), or what the share is of ("46% of those
  civilians were children" → children; "90% of the victims" → victims), else "".
- money: a currency sign or code ("$2.5 million", "€40m", "US$1.2bn", "USD 5 million") or
  word ("1.2 billion dollars", "5 million euros"); "$" is US dollars. counts: what it pays
  for ("for mine clearance", "in humanitarian aid", "funding of"), else "".
- count: a number followed by a plural noun that is not a unit of time, length, weight or
  area ("More than 160 countries", "33 programmes", "164 states parties").
- A number compared with the figure before it in the sentence ("38% of children, up from
  21%", "1,945 killed, up from 1,500") counts what that figure counts.

Numbers written as words are read ("ninety", "three dozen", "two thousand", "a million",
"twenty-five"), and "1.5m people"; vague plurals ("dozens", "hundreds of", "thousands")
are not figures. The qualifier is normalised: at least; more than (over, upwards of, in
excess of); nearly (almost, close to); about (around, approximately, roughly, some, an
estimated); up to (as many as); fewer than (less than).

The period is the nearest period expression of the sentence: "in 2024" → "2024", "since
2020" → "2020-", "between 2019 and 2021" / "from 2019 to 2021" / "2019-21" → "2019-2021",
"last year"/"this year" (with a publication date) → that year; never a comparison's ("the
worst since the election in 2021").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from casework.ingest.article import Article, Span
from casework.ingest.extract.budget import check_budget
from casework.ingest.extract.items import Figure, FigureUnit
from casework.ingest.extract.sentences import sentences
from casework.ingest.readers.language import guess_language

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}  # fmt: skip
_SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_CURRENCY_SIGNS = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY",
                   "c$": "CAD", "a$": "AUD"}  # fmt: skip
_CURRENCY_WORDS = {"dollars": "USD", "us dollars": "USD", "euros": "EUR", "euro": "EUR",
                   "pounds sterling": "GBP", "sterling": "GBP", "yen": "JPY",
                   "swiss francs": "CHF"}  # fmt: skip

_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
# One word of a number; "twenty-five" is two, joined by the separator. (A hyphenated pair as one
# word too made "one-one-one-…" parse in exponentially many ways: 24 words took 0.2 s, and
# each 4 more seven times as long.)
_WORD_ATOM = rf"(?:{_UNIT_WORDS}|hundred|thousand|million|billion|dozen)"
_WORD_FIRST_ATOM = rf"(?:an?\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?{_WORD_ATOM}"
_WORD_NEXT = rf"(?:[\s-]+{_WORD_ATOM}|(?<=hundred)\s+and\s+{_WORD_ATOM})"
_PERCENT = r"(?P<pct>\s?(?:%|percent\b|per\s?cent\b|percentage\s+points?\b))?"

# A number in digits: an optional currency before it, an optional scale and percent sign after.
_DIGITS = re.compile(
    r"(?P<cur>(?i:US\$|C\$|A\$)|\$|€|£|¥|\b(?:USD|EUR|GBP|CHF|JPY)\s?)?"
    r"(?<![\w\-‑/:.,#+])"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>\s?(?:thousand|million|billion|trillion)\b|(?:bn|mn|m|k)\b)?"
    + _PERCENT
    + r"(?![\w\-‑/]|,\d|\.\d|:\d)"
)
# A number in words: "ninety", "three dozen", "a million", "one hundred and twenty".
_WORDS = re.compile(
    rf"(?<![\w\-])(?P<num>{_WORD_FIRST_ATOM}{_WORD_NEXT}*)(?![\w\-])(?P<scale>)" + _PERCENT,
    re.IGNORECASE,
)
# The whole run of number words from a start, never given back: where _WORDS can end.
_WORD_RUN = re.compile(rf"{_WORD_FIRST_ATOM}{_WORD_NEXT}*+", re.IGNORECASE)
_WORD_FIRST = re.compile(rf"(?<![\w\-]){_WORD_FIRST_ATOM}", re.IGNORECASE)

# What is never a figure, told by the words around a number in digits (a number in words
# is never a date, a time or a reference).
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_DATE_BEFORE = re.compile(rf"\b{_MONTH}\s+(?:\d{{1,2}}\s*[-–]\s*)?$")  # "December 2"
_DATE_AFTER = re.compile(  # "2 December", "2-4 December"
    rf"^(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?{_MONTH}(?!\w)"
)
_TIME_AFTER = re.compile(r"^\s*(?:[ap]\.?m\b|o['’]clock\b|GMT\b|UTC\b|hours\s+GMT)", re.I)
_PHONE_BEFORE = re.compile(r"(?:\+\d[\d\s().-]*|\(\d{1,4}\)\s*)$")
# "Article 8", "Articles 5 and 7", "aged 12", "Resolution 2417", "No. 5": the word before.
_REFERENCE_BEFORE = re.compile(
    r"(?P<word>[A-Za-z§]+\.?)\s*(?:\d+[a-z]?(?:\([^)]{1,6}\))*\s*(?:,|and|or|to|[-–])\s*)*$"
)
_REFERENCES = frozenset(
    """article articles art. arts. paragraph paragraphs para. paras. section sections § clause
    clauses rule rules resolution resolutions protocol protocols chapter chapters title titles
    amendment amendments no. nos. number decree law act case room flight route highway page
    pages p. pp. vol. volume item annex phase level category grade stage block cell ward gate
    brigade battalion division regiment zone district precinct street road camp unit building
    file docket bill order ordinance directive regulation convention code aged age ages
    version model type class""".split()
)
_HAS_DIGIT = re.compile(r"\d")

# Words for people, and what a casualty word says happened to them.
_PEOPLE = frozenset(
    """people persons person civilians civilian children child men man women woman boys boy
    girls girl adults infants babies minors soldiers soldier troops officers officer police
    policemen fighters combatants militants rebels protesters protestors demonstrators
    journalists journalist reporters activists activist defenders lawyers students workers
    employees staff residents villagers refugees migrants asylum-seekers detainees detainee
    prisoners prisoner inmates hostages hostage victims victim survivors casualties members
    individuals others patients doctors nurses teachers farmers fishermen deminers
    passengers voters critics dissidents opponents leaders bystanders pedestrians
    personnel family families relatives citizens nationals photographers photojournalists
    bloggers editors priests monks nuns clerics imams pilgrims worshippers miners tourists
    foreigners peacekeepers volunteers medics paramedics surgeons judges prosecutors
    politicians lawmakers legislators senators ministers officials diplomats guards sailors
    pilots crew seafarers fishers herders settlers tenants traders vendors drivers pupils
    schoolchildren schoolgirls schoolboys teenagers youths toddlers newborns pensioners
    mothers fathers sons daughters wives husbands widows orphans colleagues supporters
    followers recruits conscripts cadets guerrillas insurgents jihadists gunmen attackers
    suspects defendants convicts plaintiffs claimants applicants seekers snipers occupants
    traffickers smugglers witnesses females males female male persons deputies mps
    members majors colonels generals captains lieutenants sergeants corporals privates
    commanders""".split()
)
_HAPPENED = {
    "killed": "killed", "kill": "killed", "kills": "killed", "killing": "killed",
    "dead": "killed", "died": "killed", "die": "killed", "deaths": "killed",
    "fatalities": "killed", "perished": "killed", "murdered": "killed", "drowned": "killed",
    "slain": "killed", "massacred": "killed",
    "injured": "injured", "injuring": "injured", "injure": "injured", "injures": "injured",
    "injury": "injured", "fatality": "killed",  # (not "death": "sentenced two men to death")
    "wounded": "injured", "wounding": "injured", "injuries": "injured", "hurt": "injured",
    "detained": "detained", "detaining": "detained", "detain": "detained",
    "detentions": "detained", "imprisoned": "detained", "jailed": "detained",
    "arrested": "arrested", "arresting": "arrested", "arrest": "arrested",
    "arrests": "arrested",
    "displaced": "displaced", "displacing": "displaced", "fled": "displaced",
    "uprooted": "displaced", "flee": "displaced",
    "missing": "missing",
    "abducted": "abducted", "kidnapped": "abducted", "abducting": "abducted",
    "abductions": "abducted",
    "disappeared": "disappeared", "disappearances": "disappeared",
    "executed": "killed", "executions": "killed",
    "deported": "deported", "deporting": "deported", "deportations": "deported",
    "expelled": "deported",
    "evicted": "evicted", "evictions": "evicted",
    "released": "released", "freed": "released", "releasing": "released",
}  # fmt: skip
# What else happens to people in a human-rights report: said only of people, never of a
# plural noun we cannot tell is people ("targeted 3 websites" is not people targeted).
_DONE_TO_PEOPLE = {
    "targeted": "targeted", "targeting": "targeted", "tortured": "tortured",
    "torturing": "tortured", "sentenced": "sentenced", "convicted": "convicted",
    "charged": "charged", "prosecuted": "prosecuted", "indicted": "charged",
    "deployed": "deployed", "deploying": "deployed", "evacuated": "evacuated",
    "evacuating": "evacuated", "hospitalised": "injured",
    "hospitalized": "injured", "beaten": "beaten", "assaulted": "assaulted",
    "raped": "raped", "harassed": "harassed", "threatened": "threatened",
    "summoned": "summoned", "interrogated": "interrogated", "questioned": "questioned",
    "surveilled": "surveilled", "hacked": "hacked", "repatriated": "repatriated",
    "stranded": "stranded", "trapped": "trapped", "acquitted": "acquitted",
    "pardoned": "pardoned", "dismissed": "dismissed", "sacked": "dismissed",
    "expelling": "deported", "resettled": "resettled", "recruited": "recruited",
    "conscripted": "conscripted", "enslaved": "enslaved", "trafficked": "trafficked",
}  # fmt: skip
_ON_PEOPLE = {**_HAPPENED, **_DONE_TO_PEOPLE}
# What `counts` says happened to people: a casualty, a loss of liberty, a displacement.
_COUNTED = frozenset(_HAPPENED.values()) | {"injured", "casualties"}
_CASUALTY = re.compile(r"\b(?:killed|dead) or (?:injured|wounded)\b", re.IGNORECASE)
# Plural nouns that measure rather than count: never a "count" figure.
_MEASURES = frozenset(
    """years months weeks days hours minutes seconds times decades centuries nights km kms
    kilometres kilometers miles metres meters feet inches yards hectares acres tonnes tons
    kilograms kgs kg grams pounds litres liters gallons degrees points pages words percent
    cents dollars euros rounds steps goals runs laps rupees""".split()
)
# Words between a number and its noun that keep the noun ("160 other countries").
_FUNCTION = frozenset(
    """of in on at and or were was are is have has had to from by with for the a an that who
    which since during this last but as than while per into over after before it its their
    his her they we be been being also all more were said says will would could""".split()
)
_AUXILIARIES = frozenset(
    """were was are is have has had been being be reportedly allegedly also all later since
    subsequently remain remained remains still who that got later now either confirmed
    reported reportedly believed feared presumed thought said known more other""".split()
)
_QUALIFIERS = {
    "at least": "at least", "more than": "more than", "over": "more than",
    "upwards of": "more than", "in excess of": "more than", "nearly": "nearly",
    "almost": "nearly", "close to": "nearly", "about": "about", "around": "about",
    "approximately": "about", "roughly": "about", "some": "about",
    "an estimated": "about", "estimated": "about", "up to": "up to",
    "as many as": "up to", "fewer than": "fewer than", "less than": "fewer than",
}  # fmt: skip
_QUALIFIER = re.compile(
    r"\b(?P<q>"
    + "|".join(sorted(_QUALIFIERS, key=len, reverse=True)).replace(" ", r"\s+")
    + r")\s+$",
    re.IGNORECASE,
)
# Between a casualty verb and its number: "killed at least", "injured another".
_BEFORE_NUMBER = re.compile(
    r"(?P<verb>[A-Za-z]+)\s+(?:(?:another|a\s+further|a\s+total\s+of|an\s+additional|a\s+"
    r"reported|the|some|nearly|almost|about|around|over|at\s+least|more\s+than|up\s+to|an"
    r"\s+estimated|as\s+many\s+as|approximately|roughly|close\s+to|upwards\s+of|least|at)\s+)*$",
    re.IGNORECASE,
)
_TOLL = re.compile(
    r"\b(?:death\s+)?toll\s+(?:\w+\s+){0,3}?(?:to|at|of|reached|hit|stands?\s+at|stood\s+at)\s+"
    r"(?:(?:at\s+least|more\s+than|over|nearly|about|some)\s+)?$",
    re.IGNORECASE,
)
_NUMBER_OF = re.compile(  # "raises the number of people killed in the strike to 24"
    r"\b(?:(?:number|total|tally|count)\s+(?:of\s+)?(?P<words>(?:[a-z]+\s+){0,2}[a-z]+)\b"
    # "the arrest total for the weekend above 160": the noun before the total
    r"|(?P<noun>arrest|death|casualty|injury|detention)\s+(?:total|tally|toll|count)\b)"
    r"[^;]{0,80}?\b(?:to|at|above|over|past|reached|hit|"
    r"stands\s+at|stood\s+at|was|is)\s+(?:(?:at\s+least|more\s+than|over|nearly|about|some)\s+)?$",
    re.IGNORECASE,
)
_EVENT_OF = re.compile(  # "the deaths of three protesters", "the arrest of 12 students"
    r"\b(?P<noun>deaths?|killings?|murders?|arrests?|detentions?|abductions?|disappearances?"
    r"|executions?|deportations?|displacement|evacuations?|release)\s+of\s+(?:(?:the|another"
    r"|at\s+least|more\s+than|some|nearly|about|all)\s+)?$",
    re.IGNORECASE,
)
_TOTAL_NOUNS = {"arrest": "arrested", "death": "killed", "casualty": "casualties",
                "injury": "injured", "detention": "detained"}  # fmt: skip
_EVENT_NOUNS = {"death": "killed", "killing": "killed", "murder": "killed", "arrest": "arrested",
                "detention": "detained", "abduction": "abducted",
                "disappearance": "disappeared", "execution": "executed",
                "deportation": "deported", "displacement": "displaced",
                "evacuation": "evacuated", "release": "released"}  # fmt: skip
_BY = re.compile(r"\bby\s+(?:(?:some|about|nearly|almost|over|around|roughly)\s+)?$", re.I)
# A number compared with the one before it counts the same thing ("up from 21%").
_COMPARED = re.compile(
    r"(?:\b(?:up|down)\s+from|\bcompared\s+(?:with|to)|\b(?:higher|lower|greater|larger"
    r"|smaller)\s+than)\s+(?:(?:about|around|some|nearly|almost|roughly)\s+)?$",
    re.IGNORECASE,
)
_ONE_IN = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+in\s+$", re.I)
_SMALL = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|(?:a\s+|one\s+)?hundred)"
_RATIO = re.compile(
    rf"(?<![\w,.-])(?P<n>{_SMALL})\s+(?P<rel>in|out\s+of|of)\s+(?P<m>{_SMALL})(?![\w,.-])",
    re.IGNORECASE,
)
_ORDINAL_BEFORE = re.compile(r"\b(?:first|second|last|latter|former|other)\s+$", re.I)
_FRACTIONS = {"half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 33.3,
              "one third": 33.3, "two thirds": 66.7, "a quarter": 25.0, "one quarter": 25.0,
              "three quarters": 75.0}  # fmt: skip
_FRACTION = re.compile(
    r"(?P<lead>\b(?:by|almost|nearly|about|roughly|more\s+than|less\s+than|over|under|some"
    r"|around|just|fully)\s+)?\b(?P<word>(?:a|one)\s+half|half|(?:a|one)\s+third|two[\s-]+thirds"
    r"|(?:a|one)\s+quarter|three[\s-]+quarters)\b(?P<of>\s+of\s+(?:the|those|them|all|its|their"
    r"|these)\b)?",
    re.IGNORECASE,
)
# "N of them" with no noun of its own ("while 2 of them cut"; "four of them fatally").
_OF_THEM_ALONE = re.compile(
    r"\s+of\s+(?:them|whom)\b(?:\s+(?P<how>fatally|died|dead|killed)\b)?",
    re.IGNORECASE,
)
_SHARE_OF_THEM = re.compile(r"\s+of\s+them\s+(?!(?:were|are|was|is)\b)", re.IGNORECASE)
_OF_THE_NEXT = re.compile(
    r"\s+(?:out\s+)?of\s+(?:the\s+|a\s+total\s+of\s+)?(?:(?:at\s+least|more\s+than|over|nearly"
    r"|about|some|almost|around|roughly)\s+)?",
    re.IGNORECASE,
)
_DEFINITION = re.compile(
    r"\b(?:defines?|defined\s+as|definition\s+of)\b[^.]*|\b(?:convention|treaty|statute|protocol"
    r"|covenant|charter|act|law)\b[^.]{0,80}\bmeans\s+(?:any|a|an|the|every)\b",
    re.IGNORECASE,
)
# Between a number and its noun: "278 more people", "two other protestors".
# Participles used as adjectives before a counted noun.
_ATTESTED = frozenset("reported confirmed documented recorded verified known".split())
_NOUN_MODIFIERS = frozenset("more other additional further new".split())
# Later in the sentence, what happened to the subject: "One man pointed a laser at an
# officer, police said, and was arrested".
_AND_WAS = re.compile(
    r"\band\s+(?:was|were|had\s+been|have\s+been|has\s+been)\s+(?:later\s+|then\s+|also\s+)?"
    r"(?P<verb>[a-z]+)",
    re.IGNORECASE,
)
# "Several hundred people", "a few dozen": vague, as "hundreds" is.
# Before a number in words, a restatement of people counted before: "All six", "the two".
_RESTATED = re.compile(r"\b(?:the|all|both|these|those|all\s+the)\s+$", re.IGNORECASE)
_VAGUE_BEFORE = re.compile(r"\b(?:several|a\s+few|few|many|some)\s+$", re.IGNORECASE)
_SUBSET = re.compile(r"(?:\bincluding|\bamong\s+them|\bof\s+whom|\bof\s+them)\s+$", re.I)
_INCREASE = {"increase": "increase", "rise": "increase", "jump": "increase",
             "surge": "increase", "hike": "increase", "growth": "increase",
             "increased": "increase", "rose": "increase", "grew": "increase",
             "jumped": "increase", "climbed": "increase", "up": "increase",
             "surged": "increase", "decrease": "decrease", "drop": "decrease",
             "decline": "decrease", "fall": "decrease", "reduction": "decrease",
             "cut": "decrease", "decreased": "decrease", "dropped": "decrease",
             "declined": "decrease", "fell": "decrease", "down": "decrease",
             "shrank": "decrease", "raised": "increase", "raising": "increase",
             "hiked": "increase", "doubled": "increase", "reduced": "decrease",
             "lowered": "decrease", "slashed": "decrease", "cutting": "decrease"}  # fmt: skip
_MADE_UP = re.compile(
    r"(?P<subject>(?:[\w'’-]+\s+){1,5}?)(?:made\s+up|make\s+up|makes\s+up|accounted\s+for"
    r"|account\s+for|accounts\s+for|represented|represent|represents|comprised|constituted)\s+"
    r"(?:(?:some|about|nearly|almost|over|close\s+to|around|roughly|more\s+than|at\s+least)\s+)?$",
    re.IGNORECASE,
)
_MADE_UP_WORD = re.compile(r"\b(?:made|make|makes|account|represent|compris|constitut)", re.I)
_SHARE_IS = re.compile(
    r"^\s+of\s+(?:(?:the|those|these|all|its|their|them|whom)\b)?\s*(?:[\w'’-]+\s+){0,3}?"
    r"(?:were|was|are|is|had\s+been|have\s+been)\s+(?:also\s+|all\s+)?(?P<what>[a-z][\w-]*)",
    re.IGNORECASE,
)
_SHARE_OF = re.compile(
    r"^\s+of\s+(?:(?:the|those|these|all|its|their|them)\b)?\s*(?:[\w-]+['’]s\s+)?"
    r"(?P<words>(?:[\w'’-]+\s+){0,2}[\w-]+)",
    re.IGNORECASE,
)
_SHARE_WERE = re.compile(r"^\s+(?:were|was|are|is)\s+(?P<what>[a-z][\w-]*)", re.IGNORECASE)
_MONEY_FOR = re.compile(
    r"^\s+(?:in|for|of|towards?)\s+(?:the\s+|a\s+|an\s+|new\s+|its\s+|their\s+)?"
    r"(?P<words>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)",
)
_MONEY_NOUN_BEFORE = re.compile(
    r"\b(?P<noun>[a-z]+)\s+(?:of|worth|totall?ing|amounting\s+to|was|is|reached|stood\s+at)\s+"
    r"(?:(?:at\s+least|more\s+than|over|nearly|about|some|up\s+to|almost)\s+)?$"
)
_MONEY_WORD_AFTER = re.compile(
    r"^\s+(?P<word>(?:US\s+)?dollars|euros?|pounds\s+sterling|sterling|yen|swiss\s+francs)\b",
    re.IGNORECASE,
)
_YEAR = r"(?:19|20)\d{2}"
_RECORD = re.compile(
    r"\b(?:highest|lowest|largest|smallest|worst|best|most|fewest|biggest|deadliest|first)\b"
    r"[^,;]*$",
    re.IGNORECASE,
)
_RECORD_SINCE = re.compile(_RECORD.pattern.replace("[^,;]*$", r"[^,;]*\bsince\b[^,;]*$"), re.I)
_PERIODS = re.compile(
    rf"\bbetween\s+(?P<a1>{_YEAR})\s+and\s+(?P<b1>{_YEAR})\b"
    rf"|\bfrom\s+(?P<a2>{_YEAR})\s+(?:to|until|through|till)\s+(?P<b2>{_YEAR})\b"
    rf"|\b(?P<a3>{_YEAR})\s*[-–/]\s*(?P<b3>{_YEAR}|\d{{2}})\b"
    rf"|\bsince\s+(?:(?:early|late|mid-?)\s*)?(?:{_MONTH}\s+)?(?P<since>{_YEAR})\b"
    rf"|\b(?:in|during|throughout|for|of)\s+(?:(?:early|late|mid-?)\s*)?(?:{_MONTH}\s+)?"
    rf"(?P<year>{_YEAR})\b"
    r"|\b(?P<relative>(?:last|this)\s+year)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Number:
    start: int  # offsets in the sentence, currency and percent sign included
    end: int
    value: float
    percent: bool
    currency: str
    digits: str  # the number as written, without currency or percent
    share: bool = False  # a share said in words: "one in five", "almost half"


def extract_figures(article: Article) -> list[Figure]:
    """Every figure of the article's text, in reading order."""
    language = article.language or guess_language(article.text)
    if language in ("es", "fr"):
        from casework.ingest.extract.figures_es_fr import extract_figures_es_fr

        return extract_figures_es_fr(article, language)
    text = article.text
    if "í" in text:
        # Scraped copies that print every "i" as "í" ("políce offícers were shot"): in an
        # English article the accent is noise. One character for one: offsets hold.
        text = text.replace("í", "i")
    figures: list[Figure] = []
    seen: set[tuple[float, str, str]] = set()  # the same figure is proposed once
    people_seen: set[float] = set()
    for span in sentences(text):
        check_budget()
        sentence = text[span.start : span.end]
        periods = _periods(sentence, article)
        where = Span(span.start, span.end, article.text[span.start : span.end])
        numbers = _numbers(sentence)
        found: list[Figure | None] = []
        last: Figure | None = None
        for number in numbers:
            check_budget()
            figure = _figure(sentence, number, periods, where)
            if last is not None and (figure is None or not figure.counts):
                figure = _compared(sentence, number, last, figure, periods, where)
            if figure is not None and figure.unit == "percent" and last is not None:
                share_of = _SHARE_OF_THEM.match(sentence, number.end)
                following = _words(sentence[share_of.end() :])[:1] if share_of else []
                if (
                    last.unit in ("people", "count")
                    and share_of
                    and following[:1]
                    and (following[0] not in _PEOPLE)
                ):
                    # "1,400 charities …, and 30% of them rely on it": a share of those
                    figure = replace(figure, counts=last.counts)
            of_them = _of_them(sentence, number)
            if of_them is not None:
                # "18 men … while 2 of them cut", "four of them fatally": of the people before
                base = last if last is not None and last.unit == "people" else None
                if of_them:
                    base = base or figure
                    figure = _restated(base, number, sentence, of_them) if base else None
                elif figure is None or figure.counts not in _HAPPENED.values():
                    figure = _restated(base, number, sentence, base.counts) if base else None
            if figure is not None and figure.unit == "people" and figure.value == 1:
                if figure.counts not in _HAPPENED.values():
                    figure = None  # "One officer tried": one person, not a figure
            if figure is not None and number.share and not _of_people(figure.counts):
                figure = None  # "more than half of their budget": a share of what is not counted
            if figure is not None and not number.digits[:1].isdigit():
                if _VAGUE_BEFORE.search(sentence, max(0, number.start - 12), number.start):
                    figure = None  # "Several hundred more people"
                elif number.value in people_seen and _RESTATED.search(
                    sentence, max(0, number.start - 10), number.start
                ):
                    figure = None  # "two MPs … the two former MPs were assaulted": the same

            found.append(figure)
            if figure is not None:
                last = figure
        _of_the_next(sentence, numbers, found)
        _range_starts(sentence, numbers, found)
        _elliptical(sentence, numbers, found)
        if _DEFINITION.search(sentence):
            # "The convention defines a mass killing as the death of 50 people": a treaty's
            # definition, not a casualty
            found = [f for f in found if f is None or f.unit != "people"]
        for figure in found:
            if figure is None:
                continue
            if figure.unit == "people":
                people_seen.add(figure.value)
            key = (figure.value, figure.unit, figure.counts)
            if key not in seen:
                seen.add(key)
                figures.append(figure)
    return figures


def _of_people(counts: str) -> bool:
    return counts in _PEOPLE or counts in _ON_PEOPLE.values() or counts in _INCREASE.values()


def _of_them(sentence: str, number: _Number) -> str | None:
    """For "N of them" with no noun of its own: "killed" when it says they died ("four of
    them fatally"), else "" ; None when the number is not followed by "of them"."""
    if number.percent or number.currency:
        return None
    match = _OF_THEM_ALONE.match(sentence, number.end)
    if match is None:
        return None
    following = _words(sentence[match.end() : match.end() + 40])
    if following[:1] and (
        following[0] in _PEOPLE
        or (following[0] == "were" and following[1:2] and following[1] in _PEOPLE)
    ):
        return None  # "29 of them children": a noun of its own
    return "killed" if match["how"] else ""


def _restated(last: Figure, number: _Number, sentence: str, counts: str) -> Figure:
    return replace(
        last,
        value=number.value,
        counts=counts,
        expression=sentence[number.start : number.end],
        qualifier="",
    )


def _of_the_next(sentence: str, numbers: list[_Number], found: list[Figure | None]) -> None:
    """ "8,119 of the more than 34,500 people reported killed", "19 out of 29 officials": the
    first number counts what the second counts (in place)."""
    for at in range(len(numbers) - 1):
        nxt = found[at + 1]
        if nxt is None or nxt.unit != "people":
            continue
        if found[at] is not None and found[at].counts:  # type: ignore[union-attr]
            continue
        between = sentence[numbers[at].end : numbers[at + 1].start]
        if _OF_THE_NEXT.fullmatch(between) and not numbers[at].percent:
            found[at] = _restated(nxt, numbers[at], sentence, nxt.counts)


_APPOSITIVE = re.compile(
    r"^[^,;.]{0,40},[^,;.]{3,80},\s*(?=(?:were|was|had\s+been|have\s+been|are)\b)", re.I
)
_RANGE_JOIN = re.compile(r"\s*(?:to|or|-|–)\s*|\s+and\s+", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\s+(?:(?:some|about|around|roughly)\s+)?$", re.IGNORECASE)
# "three people were killed in Homs, two in Damascus and one in a village": a number with
# no noun, after a comma or "and", before a place or time, counts what the figure before it
# counts.
_ELLIPTICAL_BEFORE = re.compile(r"(?:,|\band|\bwhile)\s*$", re.IGNORECASE)
_ELLIPTICAL_AFTER = re.compile(r"\s+(?:in|at|on|near)\s+(?:the\s+|a\s+)?[A-Za-z]")


def _range_starts(sentence: str, numbers: list[_Number], found: list[Figure | None]) -> None:
    """ "30 to 40 people were jailed", "between 700 and 850 people have been killed": the
    range's first number counts what its last counts, and both are figures (in place)."""
    for at in range(len(numbers) - 1):
        nxt = found[at + 1]
        if found[at] is not None or nxt is None or nxt.unit not in ("people", "count"):
            continue
        first, second = numbers[at], numbers[at + 1]
        if first.percent or first.currency or first.value >= second.value:
            continue
        join = _RANGE_JOIN.fullmatch(sentence, first.end, second.start)
        if join is None:
            continue
        if "and" in join.group().lower() and not _BETWEEN.search(
            sentence, max(0, first.start - 20), first.start
        ):
            continue  # "two men and 13 women": two figures, not a range
        found[at] = _restated(nxt, first, sentence, nxt.counts)


def _elliptical(sentence: str, numbers: list[_Number], found: list[Figure | None]) -> None:
    """ "three people were killed in Homs, two in Damascus and one in a village near Daraa":
    the numbers with no noun of their own count what the figure before them counts."""
    last: Figure | None = None
    for at, number in enumerate(numbers):
        figure = found[at]
        if figure is not None:
            last = figure
            continue
        if last is None or last.unit != "people" or number.percent or number.currency:
            continue
        if last.counts not in _HAPPENED.values() or _is_year(number):
            continue
        if _ELLIPTICAL_BEFORE.search(
            sentence, max(0, number.start - 8), number.start
        ) and _ELLIPTICAL_AFTER.match(sentence, number.end):
            found[at] = _restated(last, number, sentence, last.counts)
            last = found[at]


# -- numbers


def _numbers(sentence: str) -> list[_Number]:
    """The numbers of a sentence, outside dates, times, phone numbers, ages and references
    to a law's articles."""
    found: list[_Number] = []
    if _HAS_DIGIT.search(sentence):
        for match in _DIGITS.finditer(sentence):
            if not _not_a_figure(sentence, match.start("num"), match.end("num")):
                number = _read(match)
                if number is not None:
                    found.append(number)
    digits = list(found)  # in order, never overlapping
    ends = [n.end for n in digits]
    for match in _numbers_in_words(sentence):
        at = bisect.bisect_right(ends, match.start())
        if at == len(digits) or digits[at].start >= match.end():
            number = _read(match)
            if number is not None:
                found.append(number)
    shares = _shares(sentence)
    if shares:  # "one in five", "nine out of ten", "almost half": the share, not its numbers
        found = [n for n in found if not any(s.start < n.end and n.start < s.end for s in shares)]
        found.extend(shares)
    return sorted(found, key=lambda n: n.start)


def _shares(sentence: str) -> list[_Number]:
    """Shares said in words: "one in five" (20%), "nine of ten", "9 out of 10" (90%), "a
    third" (33.3%), "almost half" (50%). "19 out of 29 officials" is two figures, not a share:
    only a round whole (ten, a hundred) or "N in M" makes one."""
    found: list[_Number] = []
    for match in _RATIO.finditer(sentence):
        check_budget()
        part, whole = _small_value(match["n"]), _small_value(match["m"])
        relation = " ".join(match["rel"].lower().split())
        if not part or not whole or part >= whole:
            continue
        if relation != "in" and whole not in (10, 100):
            continue
        value = round(100 * part / whole, 1)
        found.append(_Number(match.start(), match.end(), value, True, "", match.group(), True))
    for match in _FRACTION.finditer(sentence):
        check_budget()
        if match["word"].lower() == "half" and not (match["lead"] or match["of"]):
            continue  # "half an hour", "the first half of 2024"
        value = _FRACTIONS[" ".join(match["word"].lower().replace("-", " ").split())]
        if _ORDINAL_BEFORE.search(sentence, max(0, match.start() - 12), match.start("word")):
            continue  # "in the first half of the year"
        found.append(
            _Number(match.start("word"), match.end("word"), value, True, "", match["word"], True)
        )
    return found


def _small_value(text: str) -> int:
    lowered = " ".join(text.lower().split())
    if lowered.isdigit():
        return int(lowered)
    return 100 if lowered in ("a hundred", "hundred", "one hundred") else _UNITS.get(lowered, 0)


def _numbers_in_words(sentence: str) -> Iterator[re.Match[str]]:
    """What `_WORDS.finditer(sentence)` finds, in linear time. A run of number words in
    which no number ends ("one- one- one- …": each followed by a hyphen) was read to its end
    from each of its words, every one a possible start: quadratic. A run is read once here:
    a start inside it can only reach the ends the run's first word reached, none of which
    ends a number (or the one that did, which finditer would have resumed after)."""
    at = 0
    while (first := _WORD_FIRST.search(sentence, at)) is not None:
        start = first.start()
        run = _WORD_RUN.match(sentence, start)
        match = _WORDS.match(sentence, start)
        if match is not None:
            yield match
        at = max(match.end() if match else first.end(), run.end() if run else first.end())


def _not_a_figure(sentence: str, start: int, end: int) -> bool:
    before = sentence[max(0, start - 60) : start]
    after = sentence[end : end + 30]
    if _DATE_BEFORE.search(before) or _DATE_AFTER.match(after) or _TIME_AFTER.match(after):
        return True
    if _PHONE_BEFORE.search(before):
        return True
    reference = _REFERENCE_BEFORE.search(before)
    if reference is None:
        return False
    word = reference["word"].lower()
    if word in ("aged", "age", "ages") and reference.end("word") + 1 < len(before):
        return False  # "Aged 17, 3 students…": an age is one number, not a list
    return word in _REFERENCES


def _read(match: re.Match[str]) -> _Number | None:
    text = match["num"]
    if text[0].isdigit():
        value = float(text.replace(",", ""))
    else:
        parsed = _words_value(text)
        if parsed is None:
            return None
        value = parsed
    scale = (match["scale"] or "").strip().lower()
    currency_sign = (match.groupdict().get("cur") or "").strip()
    if scale in _SCALES:
        value *= _SCALES[scale]
    elif scale in _SHORT_SCALES:
        # "1.5m people", "€40m"; "40m high" (metres) is dropped later: nothing counted follows
        value *= _SHORT_SCALES[scale]
    currency = ""
    if currency_sign:
        sign = currency_sign.lower()
        currency = _CURRENCY_SIGNS.get(sign, currency_sign.upper())
    return _Number(
        start=match.start(),
        end=match.end(),
        value=value,
        percent=bool(match["pct"]),
        currency=currency,
        digits=text,
    )


def _words_value(text: str) -> float | None:
    """ "three dozen" → 36, "a million" → 1e6, "one hundred and twenty" → 120."""
    total = current = 0
    for word in re.split(r"[\s-]+", text.lower()):
        if word in ("a", "an", "and"):
            current = current or (1 if word != "and" else 0)
        elif word in _UNITS:
            current += _UNITS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        else:
            return None
    value = total + current
    return float(value) if value else None


# -- what a number counts


def _figure(
    sentence: str, number: _Number, periods: list[tuple[int, str]], span: Span
) -> Figure | None:
    before = sentence[max(0, number.start - 80) : number.start]
    after = sentence[number.end : number.end + 120]
    qualifier_match = _QUALIFIER.search(before)
    qualifier = (
        _QUALIFIERS[" ".join(qualifier_match["q"].lower().split())] if qualifier_match else ""
    )
    start = (
        number.start - (len(before) - qualifier_match.start()) if qualifier_match else number.start
    )
    unit: FigureUnit
    currency = number.currency
    end = number.end
    if not currency and not number.percent:
        word_after = _MONEY_WORD_AFTER.match(after)
        if word_after:  # "1.2 billion dollars"
            currency = _CURRENCY_WORDS[" ".join(word_after["word"].lower().split())]
            after = after[word_after.end() :]
            end += word_after.end()
    if number.percent:
        unit, counts = "percent", _percent_counts(before, after)
    elif currency:
        unit, counts = "money", _money_counts(before, after)
    else:
        found = _people_or_count(number, before, after)
        if found is None:
            return None
        unit, counts = found
    return Figure(
        value=number.value,
        unit=unit,
        counts=counts,
        period=_nearest(periods, number.start),
        expression=sentence[start:end].strip(),
        span=span,
        qualifier=qualifier,
        currency=currency,
    )


def _compared(
    sentence: str,
    number: _Number,
    last: Figure,
    figure: Figure | None,
    periods: list[tuple[int, str]],
    span: Span,
) -> Figure | None:
    """A number compared with the figure before it ("38% of children, up from 21%", "1,945
    killed, up from 1,500") counts what that figure counts."""
    if not _COMPARED.search(sentence, max(0, number.start - 40), number.start):
        return figure
    if figure is not None:
        return replace(figure, counts=last.counts) if figure.unit == last.unit else figure
    if number.percent or number.currency or last.unit in ("percent", "money"):
        return None
    return Figure(
        value=number.value,
        unit=last.unit,
        counts=last.counts,
        period=_nearest(periods, number.start),
        expression=sentence[number.start : number.end],
        span=span,
    )


def _people_or_count(number: _Number, before: str, after: str) -> tuple[FigureUnit, str] | None:
    if _ONE_IN.search(before):
        return None  # "one in five children": a share, said as a ratio
    words = _words(after)
    if words[:2] in (["or", "more"], ["or", "so"]):
        words = words[2:]  # "40 or more towns"
    if words[:2] in (["of", "them"], ["of", "whom"]) and len(words) > 2 and words[2] in _PEOPLE:
        return "people", words[2]  # "612 were detained, 29 of them children"
    if words[:3] in (["of", "them", "were"], ["of", "whom", "were"]) and len(words) > 3:
        if words[3] in _PEOPLE:
            return "people", words[3]  # "two of them were children"
    if words[:2] == ["of", "the"] and len(words) > 2 and words[2] in _PEOPLE:
        return ("people", words[2]) if number.value > 1 else None  # "Two of the victims"
    if words[:2] in (["of", "the"], ["of", "those"], ["of", "these"]):
        # "four of the news cooperative's journalists were killed", "Eight of those taken to
        # hospital": what happened to the part of the people
        for at in range(2, min(len(words), 6)):
            if words[at] in _PEOPLE:
                happened = _happened_after(words[at + 1 :], people=True)
                if happened in _COUNTED:
                    return "people", happened
                break
        else:
            if words[1] != "the":
                happened = _happened_after(words[2:], people=True)
                if happened in _COUNTED:
                    return "people", happened
    head, index = "", 0
    # the noun: within the next six words, before any function word ("160 other countries",
    # "29 former naval and police officials")
    window = 6 if "and" in words[1:4] else 4
    for at, word in enumerate(words[:window]):
        if word in _NOUN_MODIFIERS:
            continue  # "278 more people", "two other protestors"
        if word in _ATTESTED and at + 1 < len(words):
            noun = words[at + 1]
            if noun in _HAPPENED or noun in _PEOPLE or _plural(noun):
                continue  # "341 confirmed incidents", "one reported injury": an adjective
        if word == "and" and at > 0 and words[at - 1] not in _NOUN_MODIFIERS:
            following = words[at + 1 : at + 2]
            if following and following[0] not in _ON_PEOPLE and not _is_number_word(following[0]):
                continue  # "29 former naval and police officials"
        if word in _FUNCTION or word in _AUXILIARIES or word in _ON_PEOPLE or word[0].isdigit():
            index = at
            break
        if word in _PEOPLE or word in _MEASURES or _plural(word):
            head, index = word, at + 1
            if word in _PEOPLE and index < len(words) and words[index] in _PEOPLE:
                head, index = words[index], index + 1  # "police officers", "child victims"
            break
    if head in _MEASURES:
        return None  # "three years", "40 km": a measure, not a count
    if head == "bodies" or (words[:1] == ["body"] and number.value == 1):
        return "people", "killed"  # "72 bodies were recovered", "one body was found": killed
    if _is_year(number) and not (
        (head in _PEOPLE and index == 1) or _happened_after(words[:1], people=True)
    ):
        return None  # "2024": a year, unless people follow ("2000 people", "2000 killed")
    people = not head or head in _PEOPLE
    if head and words[index : index + 1] == ["and"] and len(words) > index + 1:
        if words[index + 1] in _PEOPLE or _plural(words[index + 1]):
            index += 2  # "the seven reporters and photographers arrested"
        elif len(words) > index + 2 and _is_number_word(words[index + 1]):
            if words[index + 2] in _PEOPLE:
                index += 3  # "Three women and one man perished"
    # what happened: right after the noun ("people were killed", "12 dead", "45 deaths"),
    # else the verb before the number ("killed at least 1,945", "injured another 4,325")
    happened = _happened_after(words[index:], people=people)
    if _SUBSET.search(before):
        if head in _PEOPLE:
            return "people", head  # "including five children": which people, not what happened
    elif not happened:
        happened = _happened_before(before, people=people)
    if not happened and head in _PEOPLE:
        # "Two other AP staff, videographer … and translator …, were killed": past the
        # appositive naming them
        appositive = _APPOSITIVE.match(after)
        if appositive:
            happened = _happened_after(_words(after[appositive.end() :]), people=True)
    if happened and head in _PEOPLE and happened not in _COUNTED:
        # "sentenced 14 activists", "six activists were tortured": `counts` names only what
        # the tracker counts (killed, injured, detained, …); else the people, as written
        return "people", head
    if happened:
        return "people", happened  # "12 Palestinians were killed": a plural noun of people
    if head in _PEOPLE or (number.value == 1 and not head):
        later = _AND_WAS.search(after)
        if later and later["verb"].lower() in _ON_PEOPLE:
            return "people", _ON_PEOPLE[later["verb"].lower()]  # "One man …, and was arrested"
    if head in _PEOPLE:
        return "people", head
    if head:
        return "count", _count_noun(head, words)
    return None


def _is_number_word(word: str) -> bool:
    return word[:1].isdigit() or word in _UNITS


def _happened_after(words: list[str], *, people: bool) -> str:
    verbs = _ON_PEOPLE if people else _HAPPENED
    if people and words[:1] and words[0] in ("from", "in", "of", "at"):
        # "Eight detainees from several countries were put on a flight": past the phrase
        for at, word in enumerate(words[1:5], start=1):
            if word in ("were", "was", "had", "have", "are"):
                words = words[at:]
                break
    for at, word in enumerate(words[:5]):
        if word == "shot" and people:
            following = words[at + 1 : at + 3]
            if following[:1] == ["dead"] or following == ["and", "killed"]:
                return "killed"  # "shot dead", "shot and killed"
            return "injured"  # "12 others were shot": shot, not said to have died
        if people and word == "put" and words[at + 1 : at + 2] == ["on"]:
            if set(words[at + 2 : at + 5]) & {"flight", "plane", "flights", "planes"}:
                return "deported"  # "Eight detainees were put on a flight" (to be deported)
        if people and words[at : at + 2] in (["in", "custody"], ["into", "custody"]):
            return "detained"  # "One female was in custody"
        if people and "hospital" in words[at + 1 : at + 3] and word in ("to", "in"):
            return "injured"  # "sent 13 inmates to hospital", "taken to the hospital"
        if people and words[at : at + 2] == ["among", "the"] and len(words) > at + 2:
            among = words[at + 2]
            if among in ("dead", "killed", "deaths", "fatalities"):
                return "killed"  # "Six children were among the dead"
            return verbs.get(among, "")
        if word in verbs:
            if _CASUALTY.match(" ".join(words[at : at + 3])):
                return "casualties"  # "1,003 people killed or injured"
            return verbs[word]
        if word == "lost" and "lives" in words[:6]:
            return "killed"
        if word in ("who", "that", "which") and not people:
            return ""  # "three countries that detained journalists": not the countries
        if word not in _AUXILIARIES and word not in ("to", "forced", "taken", "sent", "rushed"):
            return ""
    return ""


def _happened_before(before: str, *, people: bool) -> str:
    if _TOLL.search(before):
        return "killed"
    number_of = _NUMBER_OF.search(before)
    if number_of and number_of["noun"]:
        return _TOTAL_NOUNS[number_of["noun"].lower()]
    if number_of:  # "bringing the total wounded … to 123,770", "the number of people killed"
        for word in number_of["words"].lower().split():
            if word in _ON_PEOPLE:
                return _ON_PEOPLE[word]
    event_of = _EVENT_OF.search(before)
    if event_of:
        noun = event_of["noun"].lower()
        return _EVENT_NOUNS[noun.removesuffix("s") if noun != "release" else noun]
    if _CASUALTY.search(before[-30:]):
        return "casualties"
    verb = _BEFORE_NUMBER.search(before)
    if verb is None:
        return ""
    if people:
        return _ON_PEOPLE.get(verb["verb"].lower(), "")
    happened = _HAPPENED.get(verb["verb"].lower(), "")
    return "" if happened == "released" else happened  # "released 20 reports"


def _percent_counts(before: str, after: str) -> str:
    made_up = _MADE_UP.search(before) if _MADE_UP_WORD.search(before) else None
    if made_up:  # "women and children made up nearly 70 percent": the group it describes
        people = [w for w in _words(made_up["subject"]) if w in _PEOPLE]
        return people[-1] if people else ""
    change = re.match(r"^\s+(?P<w>[a-z]+)", after)
    if change and change["w"] in _INCREASE and change["w"] not in ("up", "down", "cut"):
        return _INCREASE[change["w"]]  # "a 9% increase"
    verb = re.search(
        r"\b(?P<w>[a-z]+)\s+(?:by\s+)?(?:(?:some|about|nearly|almost|over)\s+)?$", before
    )
    if verb and verb["w"] in _INCREASE:
        return _INCREASE[verb["w"]]  # "rose by 9%", "up 9%"
    by = _BY.search(before)
    if by:  # "raised the price of diesel by 18%": the verb of the clause
        for word in reversed(_words(re.split(r"[,;:]", before[: by.start()])[-1] + ".")):
            if word in _INCREASE and word not in ("up", "down"):
                return _INCREASE[word]
    if re.search(r"\b(?:increase|rise|jump|drop|decrease|decline|fall)\s+of\s+$", before):
        return _INCREASE[re.findall(r"[a-z]+", before)[-2]]  # "an increase of 9%"
    share = _SHARE_IS.match(after)
    if share and share["what"].lower() not in _FUNCTION:
        return _normalise(share["what"])  # "46% of those civilians were children"
    were = _SHARE_WERE.match(after)
    if were and were["what"].lower() not in _FUNCTION:
        return _normalise(were["what"])  # "…of whom 46% were children"
    share_of = _SHARE_OF.match(after)
    if share_of:  # "30% of the victims", "of all mine victims", "of the world's population"
        kept = [w for w in _words(share_of["words"]) if w not in _FUNCTION]
        for word in kept:
            if word in _PEOPLE or word in _HAPPENED or _plural(word):
                return _normalise(word)
        if kept:
            return _normalise(kept[0])
    words = _words(after[:60])
    if words[:1] and words[0] in _PEOPLE:  # "one in five children", "nine of ten victims …"
        if words[1:2] in (["were"], ["are"]) and len(words) > 2:
            if words[2] in _PEOPLE or words[2] in _HAPPENED:
                return _normalise(words[2])  # "… victims were civilians"
        return words[0]
    return ""


def _money_counts(before: str, after: str) -> str:
    purpose = _MONEY_FOR.match(after)
    if purpose:
        words = []
        for word in purpose["words"].split():
            if word.lower() in _FUNCTION:
                break
            words.append(word.lower())
        if words:
            return " ".join(words)
    noun = _MONEY_NOUN_BEFORE.search(before)
    if noun and noun["noun"] not in _FUNCTION:
        return noun["noun"]
    return ""


# -- helpers


def _words(text: str) -> list[str]:
    """The words of a stretch of text up to the end of its clause, lowercased."""
    clause = re.split(r"[,;:.!?()\"“”—–]|\s-\s", text, maxsplit=1)[0]
    return [
        w.lower().removesuffix("'s").removesuffix("’s") for w in re.findall(r"[\w'’-]+", clause)
    ]


# Plural nouns that do not end in "s": "two military aircraft".
_INVARIANT_PLURALS = frozenset("aircraft spacecraft".split())


def _plural(word: str) -> bool:
    return word in _INVARIANT_PLURALS or (
        len(word) > 3
        and word.isalpha()
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "ous"))
    )


def _count_noun(head: str, words: list[str]) -> str:
    """What a count counts: its noun; "states parties" and "member states" keep both words."""
    at = words.index(head) if head in words else -1
    if head == "states" and at + 1 < len(words) and words[at + 1] == "parties":
        return "states parties"
    if head == "states" and at > 0 and words[at - 1] == "member":
        return "member states"
    return head


def _normalise(word: str) -> str:
    lowered = word.lower()
    return _HAPPENED.get(lowered, lowered) if lowered in ("dead", "wounded", "died") else lowered


def _is_year(number: _Number) -> bool:
    return (
        "," not in number.digits
        and number.digits.isdigit()
        and 1900 <= number.value <= 2100
        and not number.currency
        and not number.percent
    )


def _periods(sentence: str, article: Article) -> list[tuple[int, str]]:
    """The period expressions of a sentence: (offset, period)."""
    found: list[tuple[int, str]] = []
    for match in _PERIODS.finditer(sentence):
        if match["a1"] or match["a2"] or match["a3"]:
            first = match["a1"] or match["a2"] or match["a3"]
            last = match["b1"] or match["b2"] or match["b3"]
            if len(last) == 2:
                last = first[:2] + last
            if last > first:
                found.append((match.start(), f"{first}-{last}"))
        elif match["since"]:
            if _RECORD.search(sentence, max(0, match.start() - 40), match.start()):
                continue  # "the highest toll since 2020" compares; it is not the period
            found.append((match.start(), f"{match['since']}-"))
        elif match["year"]:
            if _RECORD_SINCE.search(sentence, max(0, match.start() - 80), match.start()):
                continue  # "the worst violence since the election in January 2021"
            found.append((match.start(), match["year"]))
        elif match["relative"] and article.published is not None:
            shift = 0 if match["relative"].lower().startswith("this") else 1
            found.append((match.start(), str(article.published.year - shift)))
    return found


def _nearest(periods: list[tuple[int, str]], offset: int) -> str | None:
    """The period nearest the number (periods are in reading order); on a tie, the one after
    it ("killed 40 in 2024")."""
    at = bisect.bisect_left(periods, (offset, ""))
    near = periods[max(0, at - 1) : at + 1]
    if not near:
        return None
    return min(near, key=lambda p: (abs(p[0] - offset), -p[0]))[1]
