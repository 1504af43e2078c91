"""Which record an article is about: candidates ranked by full-text similarity through the
store, then by what they share with the article — the places, names, dates and numbers that
tell two records on one topic apart (two strikes in one country), and parties, statutes, tags
— and a decision that says when the top two are too close to choose between.

The store's search ANDs its words, so similarity is built from one search per salient word of
the article (its title's words count twice, names half as much again): a record scores the
inverse document frequency of every salient word it holds, as a share of all of them. Words
found in many records say little and are not searched. The best few by text, and by text and
date, are then read whole and scored on what they share with the article; each score comes
with its reasons, for the editor to judge.

Spanish and French articles about English-language records share few words with them but the
same places, names, dates and figures: stopwords of the three languages are left out, accents
are folded, a name may be spelt a letter or two apart ("Avdiivka", "Avdiyivka"; "Afganistán",
"Afghanistan"), and a foreign word no record holds does not count against a record.

The decision (`decide`) is calibrated on the development half of the real-news set
(benchmarks/ingest_eval.py, tests/fixtures/realnews/dev/) among 1,000 and 10,000 generated
records: see NEW_RECORD_BELOW and MARGIN.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from casework.ingest.article import Article
from casework.ingest.extract.items import Event, Figure, LawMention, Mention, TagMatch
from casework.model import Record
from casework.store.base import Query, RecordNotFound, Store

SALIENT_WORDS = 14
SALIENT_NAMES = 10  # and up to this many names besides
COMMON_SHARE = 0.02  # a word in more than 2% of the records (at least 60) is not searched
COMMON_FLOOR = 60
READ_WHOLE = 20  # candidates by text (and date) that are read and scored on shared items
# What each thing shared weighs in a candidate's score (they sum to 1).
WEIGHTS = {
    "text": 0.40,
    "places": 0.15,
    "dates": 0.15,
    "names": 0.10,
    "figures": 0.10,
    "parties": 0.04,
    "tags": 0.04,
    "statutes": 0.02,
}
# Calibrated on the real-news development set (42 articles, 9 about no record) among 1,000
# and among 10,000 generated records, by sweeping both (docs/notes/ingest-lawmatch.md): the
# best candidate under NEW_RECORD_BELOW proposes a new draft; one that leads the next by less
# than MARGIN is ambiguous, and the reviewer chooses. Top-1 is best for thresholds 0.15-0.16
# at both sizes (the middle taken); margins 0.08-0.10 keep every wrong proposal but one out
# (0.04-0.06 let a second through). The right record's text share was never under 0.13.
NEW_RECORD_BELOW = 0.155
MARGIN = 0.08
MIN_TEXT = 0.1

_WORD = re.compile(r"[^\W\d_][^\W_]{2,}")
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?![\d,.]\d)|(?<![\d.,])\d+")
STOPWORDS = frozenset(
    """
    about above after again against also although among another around because been before
    being below between both but came can could did does doing done down during each either
    even ever every from further had has have having her here hers herself him himself his how
    however into its itself just last later least less like made make many more most much must
    near never next not now off often once one only other others our ours out over own per
    rather said same says she should since some still such than that the their theirs them
    themselves then there these they this those though through thus too under until upon very
    was were what when where whether which while who whom whose why will with within without
    would year years yet you your new told also according after amid week month day days
    today yesterday tuesday monday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december people percent
    statement report reported reports group groups government official officials and for
    are all any who two three four five six seven eight nine ten first second third its
    while has had been into only also that this with from they them their there than then
    source http https www com html org news
    """.split()
)
# Spanish and French: an article in either shares none of these with an English record.
FOREIGN_STOPWORDS = frozenset(
    """
    del los las una uno unos unas por para con sin sobre entre desde hasta hacia segun que
    como pero porque cuando donde quien quienes cual cuales este esta estos estas ese esa
    esos esas aquel muy mas menos tambien todo toda todos todas otro otra otros otras ser
    fue fueron son era eran sido esta estan estaba hay han habia tiene tienen dijo dice
    afirmo segun tras ante cada sus nos despues antes ayer hoy manana lunes martes miercoles jueves
    viernes sabado domingo enero febrero marzo abril mayo junio julio agosto septiembre
    octubre noviembre diciembre personas gobierno nacional general parte ano anos dias
    des les une dans pour par sur avec sans sous entre depuis vers selon qui que quoi dont
    comme mais aussi tout toute tous toutes autre autres est sont etait etaient ete avoir
    fait font leur leurs cette ces son ses aux plus moins tres apres avant hier aujourd
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin
    juillet aout septembre octobre novembre decembre personnes gouvernement annee annees
    jours selon indique precise ajoute declare
    """.split()
)
_ALL_STOPWORDS = STOPWORDS | FOREIGN_STOPWORDS


@dataclass(frozen=True)
class Candidate:
    slug: str
    title: str
    score: float  # 0..1
    reasons: tuple[str, ...]
    # What it shares with the article, each 0..1 (WEIGHTS' keys): for calibration and review.
    features: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class MatchDecision:
    """What to do with an article's candidates.

    `best` is the record to propose into; None when the top candidate scores under
    NEW_RECORD_BELOW (a new draft) or is ambiguous. `top` is the top candidate whatever its
    score; `margin` how far it leads the next (its whole score when alone); `ambiguous` that
    it clears the threshold but leads by less than MARGIN, `choices` then the candidates
    within the margin: the reviewer picks one (`casework ingest --target`)."""

    best: Candidate | None
    top: Candidate | None
    margin: float
    ambiguous: bool
    choices: tuple[Candidate, ...] = ()

    @property
    def first_choice(self) -> Candidate | None:
        """The record the reviewer is pointed to first: the top candidate over the
        threshold, ambiguous or not."""
        return self.top if self.top is not None and self.top.score >= NEW_RECORD_BELOW else None


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65_536)
def _fold_word(word: str) -> str:
    # An article folds each of its words several times over: once each is enough.
    return fold(word) if not word.isascii() else word.casefold()


def _names(article: Article) -> Counter[str]:
    """The article's names: folded words written with a capital where no sentence starts,
    or in its title and standfirst ("Avdiivka", "Gatica", "Nangarhar")."""
    found: Counter[str] = Counter()
    text = article.text
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper():
            continue
        before = text[max(0, match.start() - 3) : match.start()].rstrip(" \u00a0")
        if not before or before[-1] in '.!?\n:»”"“«—–-':
            continue  # a sentence's or a line's first word: capitalised anyway
        folded = _fold_word(word)
        if folded not in _ALL_STOPWORDS and len(folded) >= 4:
            found[folded] += 1
    return found


def salient_words(article: Article, limit: int = SALIENT_WORDS) -> list[tuple[str, float]]:
    """The article's most telling words with their weights: frequent in it, not stopwords
    (of English, Spanish or French), the title's and the standfirst's words first; then up to
    SALIENT_NAMES of its names that are not among them."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(article.text):
        folded = _fold_word(word)
        if folded not in _ALL_STOPWORDS:
            counts[folded] += 1
    heading = {fold(w) for w in _WORD.findall(f"{article.title} {article.dek}")} - _ALL_STOPWORDS
    names = _names(article)
    weights = {
        word: (2.0 if word in heading else 1.0)
        * (1.5 if word in names else 1.0)
        * (1.0 + math.log(n))
        for word, n in counts.items()
    }
    for word in heading:
        weights.setdefault(word, 2.0)
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    chosen = ranked[:limit]
    taken = {word for word, _ in chosen}
    extra = [(w, weights.get(w, 1.5)) for w, _n in names.most_common() if w not in taken]
    return chosen + extra[:SALIENT_NAMES]


def text_scores(
    store: Store,
    words: list[tuple[str, float]],
    *,
    foreign: bool = False,
    names: Iterable[str] = (),
) -> tuple[dict[str, float], dict[str, list[str]], dict[str, str]]:
    """slug → share of the salient weight it holds (0..1), which words it holds, and its
    date (YYYY-MM-DD). A word no record holds counts against every record (the article may
    be about something new) — unless the article is `foreign` and the word is not one of its
    `names`: an English tracker holds no Spanish or French words."""
    total = max(1, store.count())
    common = max(COMMON_FLOOR, int(total * COMMON_SHARE))
    scores: dict[str, float] = {}
    held: dict[str, list[str]] = {}
    dates: dict[str, str] = {}
    weight_sum = 0.0
    name_set = set(names)
    for word, weight in words:
        found = store.search(Query(text=word, status=None, limit=0, facets=False)).total
        if found == 0:
            if not foreign or word in name_set:
                weight_sum += weight * math.log(1 + total)
            continue
        idf = math.log(1 + total / found)
        weight_sum += weight * idf
        if found > common:
            continue  # in too many records to tell them apart; still counts in the sum
        hits = store.search(
            Query(text=word, status=None, limit=found, sort="date", facets=False)
        ).hits
        for hit in hits:
            scores[hit.slug] = scores.get(hit.slug, 0.0) + weight * idf
            held.setdefault(hit.slug, []).append(word)
            dates[hit.slug] = hit.date
    if weight_sum:
        scores = {slug: value / weight_sum for slug, value in scores.items()}
    return scores, held, dates


def is_foreign(article: Article) -> bool:
    """Whether the article is in Spanish or French (its language, else its stopwords)."""
    if article.language:
        return not article.language.lower().startswith("en")
    words = [fold(w) for w in _WORD.findall(article.text[:3000])]
    if not words:
        return False
    foreign = sum(w in FOREIGN_STOPWORDS for w in words)
    english = sum(w in STOPWORDS for w in words)
    return foreign > english


def _party_names(record: Record) -> set[str]:
    names = set()
    for party in (*record.structured_victims, *record.structured_perpetrators):
        names.add(fold(party.name))
        if party.entity:
            names.add(party.entity.replace("-", " "))
    return {n for n in names if len(n) >= 4}


def _record_text(record: Record) -> str:
    parts = [
        record.title, record.summary, record.description, record.victims, record.perpetrators,
        *record.key_points, *record.tags,
        *(p.name for p in (*record.structured_victims, *record.structured_perpetrators)),
        *(f"{loc.name or ''} {loc.admin_area or ''}" for loc in record.locations),
        *(f"{e.title} {e.summary}" for e in record.timeline),
    ]  # fmt: skip
    return fold("\n".join(parts))


def _close_spelling(word: str, known: set[str], by_start: dict[str, list[str]]) -> bool:
    """Whether `word` is in `known`, or spelt a letter or two from one of its words that
    begins the same ("avdiivka" ~ "avdiyivka", "afganistan" ~ "afghanistan")."""
    if word in known:
        return True
    if len(word) < 6:
        return False
    allowed = 1 if len(word) < 8 else 2
    for other in by_start.get(word[:2], ()):
        if abs(len(other) - len(word)) <= allowed and _distance(word, other, allowed) <= allowed:
            return True
    return False


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two short words, stopping once it passes `limit`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _word_index(text: str) -> tuple[set[str], dict[str, list[str]]]:
    words = set(_WORD.findall(text))
    by_start: dict[str, list[str]] = {}
    for word in words:
        if len(word) >= 5:
            by_start.setdefault(word[:2], []).append(word)
    return words, by_start


def _places(record: Record, article_words: set[str], by_start: dict[str, list[str]]) -> float:
    """1 when the article names the record's most precise place (every word of it, spelt a
    letter or two apart at most), 0.5 for its wider area only."""
    best = 0.0
    for location in record.locations:
        for name, value in ((location.name, 1.0), (location.admin_area, 0.5)):
            if not name or value <= best:
                continue
            words = [w for w in _WORD.findall(fold(name)) if w not in _ALL_STOPWORDS]
            words = [w for w in words if w not in ("oblast", "province", "district", "region")]
            if words and all(_close_spelling(w, article_words, by_start) for w in words):
                best = value
    return best


def _numbers(text: str) -> set[float]:
    """The numbers a text writes in digits ("54,249", "1.153", "1 400"), years left out."""
    found = set()
    for match in _NUMBER.finditer(text):
        written = match.group()
        digits = re.sub(r"\D", "", written)
        if not digits or len(digits) > 9:
            continue
        value = float(digits)
        if digits == written and 1900 <= value <= 2100:
            continue  # a year
        found.add(value)
    return found


def _figures(article_numbers: set[float], record: Record) -> tuple[float, list[str]]:
    """How much the numbers the article and the record both state say: a number of three
    digits or more is telling, one of two digits less so, one digit nothing."""
    shared = article_numbers & _numbers(_record_numbers_text(record))
    value = sum(1.0 if n >= 100 else 0.25 if n >= 10 else 0.0 for n in shared)
    return min(1.0, value), [f"{n:,.0f}" for n in sorted(shared) if n >= 10]


def _record_numbers_text(record: Record) -> str:
    parts = [record.title, record.summary, record.description, *record.key_points]
    parts += [e.summary for e in record.timeline]
    parts += [
        str(p.count)
        for p in (*record.structured_victims, *record.structured_perpetrators)
        if getattr(p, "count", None)
    ]
    return "\n".join(parts)


def _closeness(
    events: Iterable[Event], record: Record, published: date | None = None
) -> tuple[float, str]:
    dates = [record.date, *(entry.date for entry in record.timeline)]
    best, why = 0.0, ""
    for event in events:
        for known in dates:
            days = abs((event.date - known).days)
            if event.precision != "day":
                days = max(0, days - (31 if event.precision == "month" else 366))
            value = 1.0 if days == 0 else 0.7 if days <= 7 else 0.4 if days <= 60 else 0.0
            # A month or a year says less than a day does.
            value = min(value, {"day": 1.0, "month": 0.6, "year": 0.3}[event.precision])
            if value > best:
                best, why = value, f"{event.date.isoformat()} near its {known.isoformat()}"
    if published is not None and best < 0.3:
        # An article reports what happened in the days before it: a record dated in the
        # fortnight before its publication (or a timeline entry in it) may be its subject —
        # weak evidence in a busy tracker, where many records are.
        for known in dates:
            days = (published - known).days
            value = 0.3 if 0 <= days <= 14 else 0.1 if -1 <= days <= 60 else 0.0
            if value > best:
                best, why = value, f"published {published.isoformat()}, after its {known}"
    return best, why


def rank_records(
    store: Store,
    article: Article,
    *,
    events: list[Event],
    mentions: list[Mention],
    laws: list[LawMention],
    tags: list[TagMatch],
    figures: list[Figure] | None = None,
    limit: int = 5,
) -> list[Candidate]:
    """The records `article` is most likely about, best first (at most `limit`)."""
    foreign = is_foreign(article)
    names = _names(article)
    words = salient_words(article)
    by_text, held, hit_dates = text_scores(store, words, foreign=foreign, names=names)
    first = _first_read(by_text, hit_dates, events, article.published)
    text = fold(article.text)
    article_words, by_start = _word_index(text)
    article_numbers = _numbers(article.text) | {
        float(f.value) for f in figures or () if f.value >= 10
    }
    statutes = {fold(law.statute) for law in laws}
    tag_names = {fold(tag.tag) for tag in tags}
    known_names = {fold(m.known) for m in mentions if m.known}
    records: list[tuple[str, float, Record]] = []
    for slug, text_score in first:
        try:
            records.append((slug, text_score, store.get(slug).record))
        except RecordNotFound:  # deleted meanwhile
            continue
    # A name held by every record read says nothing about which one: each name weighs the
    # log of how few of them hold it.
    texts = {slug: _record_text(record) for slug, _, record in records}
    name_holders = {name: [slug for slug in texts if _holds(texts[slug], name)] for name in names}
    candidates = []
    for slug, text_score, record in records:
        features: dict[str, float] = {"text": text_score}
        reasons = [f"shares {', '.join(held[slug][:6])} (text {text_score:.2f})"]
        parties = {n for n in _party_names(record) if n in text or n in known_names}
        features["parties"] = min(1.0, len(parties) / 2)
        if parties:
            reasons.append("parties: " + ", ".join(sorted(parties)[:4]))
        features["places"] = _places(record, article_words, by_start)
        if features["places"]:
            reasons.append("places: " + ", ".join(
                loc.name or loc.admin_area or "" for loc in record.locations[:2]
            ))  # fmt: skip
        own, weight_all = 0.0, 0.0
        mine = []
        for name, holders in name_holders.items():
            # A name no record read holds counts against all of them (the article may be
            # about something else), half as much as one only this record holds.
            weight = math.log(1 + len(records) / max(0.5, len(holders)))
            weight = weight / 2 if not holders else weight
            weight_all += weight
            if slug in holders:
                own += weight
                mine.append(name)
        features["names"] = own / weight_all if weight_all else 0.0
        if mine:
            reasons.append("names: " + ", ".join(sorted(mine)[:5]))
        features["figures"], numbers = _figures(article_numbers, record)
        if numbers:
            reasons.append("figures: " + ", ".join(numbers[:5]))
        shared_statutes = {fold(p.statute) for p in record.international_law} & statutes
        features["statutes"] = 1.0 if shared_statutes else 0.0
        if shared_statutes:
            reasons.append("statutes: " + ", ".join(sorted(shared_statutes)))
        shared_tags = {fold(t) for t in record.tags} & tag_names
        features["tags"] = min(1.0, len(shared_tags) / 3)
        if shared_tags:
            reasons.append("tags: " + ", ".join(sorted(shared_tags)[:4]))
        features["dates"], date_why = _closeness(events, record, article.published)
        if date_why:
            reasons.append("dates: " + date_why)
        score = sum(WEIGHTS[k] * v for k, v in features.items())
        if features["text"] < MIN_TEXT and not features["places"]:
            # Dates, tags and statutes are shared by many records in a busy tracker: a
            # record that holds almost none of the article's telling words and none of its
            # places counts half.
            score /= 2
        candidates.append(Candidate(slug, record.title, round(score, 4), tuple(reasons), features))
    candidates.sort(key=lambda c: (-c.score, c.slug))
    return candidates[:limit]


def _holds(text: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", text) is not None


def _first_read(
    by_text: dict[str, float],
    hit_dates: dict[str, str],
    events: list[Event],
    published: date | None,
) -> list[tuple[str, float]]:
    """The candidates read whole: the best by text, and among the others that share a
    word, those dated within a week of a day the article gives — so that a record written
    in other words (another language) but on the same day is read too."""
    ranked = sorted(by_text.items(), key=lambda item: (-item[1], item[0]))
    first = ranked[:READ_WHOLE]
    days = {e.date for e in events if e.precision == "day"}
    if published is not None:
        days.add(published)
    if not days:
        return first
    near = set()
    for day in days:
        for offset in range(-7, 8):
            near.add((day + timedelta(days=offset)).isoformat())
    taken = {slug for slug, _ in first}
    dated = [(s, v) for s, v in ranked[READ_WHOLE:] if hit_dates.get(s) in near and s not in taken]
    return first + dated[: READ_WHOLE // 2]


def decide(candidates: list[Candidate]) -> MatchDecision:
    """Propose into the top candidate when it scores NEW_RECORD_BELOW or more and leads the
    next by MARGIN or more; when it leads by less, the article is ambiguous between them and
    the reviewer chooses; under the threshold it is about no record yet (a new draft)."""
    if not candidates:
        return MatchDecision(None, None, 0.0, False)
    top = candidates[0]
    runner = candidates[1].score if len(candidates) > 1 else 0.0
    margin = round(top.score - runner, 4)
    if top.score < NEW_RECORD_BELOW:
        return MatchDecision(None, top, margin, False)
    if margin < MARGIN:
        close = tuple(c for c in candidates if top.score - c.score < MARGIN)
        return MatchDecision(None, top, margin, True, close)
    return MatchDecision(top, top, margin, False)


def best_match(candidates: list[Candidate]) -> Candidate | None:
    """The record to propose a change to, or None: a new draft, or an ambiguous match the
    reviewer must settle (see `decide`)."""
    return decide(candidates).best
