"""Which record an article is about: candidates ranked by full-text similarity through the
store, then by what they share with the article — parties, statutes, tags, dates.

The store's search ANDs its words, so similarity is built from one search per salient word of
the article (its title's words count twice): a record scores the inverse document frequency of
every salient word it holds, as a share of all of them. Words found in many records say
little and are not searched. The best few by text are then read whole and scored on what they
share with the extracted items; each score comes with its reasons, for the editor to judge.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from casework.ingest.article import Article
from casework.ingest.extract.items import Event, LawMention, Mention, TagMatch
from casework.model import Record
from casework.store.base import Query, RecordNotFound, Store

SALIENT_WORDS = 14
COMMON_SHARE = 0.02  # a word in more than 2% of the records (at least 60) is not searched
COMMON_FLOOR = 60
READ_WHOLE = 20  # candidates by text that are read and scored on shared items
NEW_RECORD_BELOW = 0.3  # best score under this: propose a new draft instead
WEIGHTS = {"text": 0.55, "parties": 0.15, "statutes": 0.1, "tags": 0.1, "dates": 0.1}

_WORD = re.compile(r"[^\W\d_][^\W_]{2,}")
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
    """.split()
)


@dataclass(frozen=True)
class Candidate:
    slug: str
    title: str
    score: float  # 0..1
    reasons: tuple[str, ...]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def salient_words(article: Article, limit: int = SALIENT_WORDS) -> list[tuple[str, float]]:
    """The article's most telling words with their weights: frequent in it, not stopwords,
    the title's and the standfirst's words first."""
    counts: Counter[str] = Counter()
    for word in _WORD.findall(article.text):
        folded = fold(word)
        if folded not in STOPWORDS:
            counts[folded] += 1
    heading = {fold(w) for w in _WORD.findall(f"{article.title} {article.dek}")} - STOPWORDS
    weights = {
        word: (2.0 if word in heading else 1.0) * (1.0 + math.log(n)) for word, n in counts.items()
    }
    for word in heading:
        weights.setdefault(word, 2.0)
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def text_scores(
    store: Store, words: list[tuple[str, float]]
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """slug → share of the salient weight it holds (0..1), and which words it holds."""
    total = max(1, store.count())
    common = max(COMMON_FLOOR, int(total * COMMON_SHARE))
    scores: dict[str, float] = {}
    held: dict[str, list[str]] = {}
    weight_sum = 0.0
    for word, weight in words:
        found = store.search(Query(text=word, status=None, limit=0, facets=False)).total
        if found == 0:
            # A telling word no record holds: the article may be about something new.
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
    if weight_sum:
        scores = {slug: value / weight_sum for slug, value in scores.items()}
    return scores, held


def _party_names(record: Record) -> set[str]:
    names = set()
    for party in (*record.structured_victims, *record.structured_perpetrators):
        names.add(fold(party.name))
        if party.entity:
            names.add(party.entity.replace("-", " "))
    return {n for n in names if len(n) >= 4}


def _closeness(events: Iterable[Event], record: Record) -> tuple[float, str]:
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
    return best, why


def rank_records(
    store: Store,
    article: Article,
    *,
    events: list[Event],
    mentions: list[Mention],
    laws: list[LawMention],
    tags: list[TagMatch],
    limit: int = 5,
) -> list[Candidate]:
    """The records `article` is most likely about, best first (at most `limit`)."""
    words = salient_words(article)
    by_text, held = text_scores(store, words)
    first = sorted(by_text.items(), key=lambda item: (-item[1], item[0]))[:READ_WHOLE]
    text = fold(article.text)
    statutes = {fold(law.statute) for law in laws}
    tag_names = {fold(tag.tag) for tag in tags}
    known_names = {fold(m.known) for m in mentions if m.known}
    candidates = []
    for slug, text_score in first:
        try:
            record = store.get(slug).record
        except RecordNotFound:  # deleted meanwhile
            continue
        reasons = [f"shares {', '.join(held[slug][:6])} (text {text_score:.2f})"]
        parties = {n for n in _party_names(record) if n in text or n in known_names}
        party_score = min(1.0, len(parties) / 2)
        if parties:
            reasons.append("parties: " + ", ".join(sorted(parties)[:4]))
        shared_statutes = {fold(p.statute) for p in record.international_law} & statutes
        if shared_statutes:
            reasons.append("statutes: " + ", ".join(sorted(shared_statutes)))
        shared_tags = {fold(t) for t in record.tags} & tag_names
        if shared_tags:
            reasons.append("tags: " + ", ".join(sorted(shared_tags)[:4]))
        date_score, date_why = _closeness(events, record)
        if date_why:
            reasons.append("dates: " + date_why)
        score = (
            WEIGHTS["text"] * text_score
            + WEIGHTS["parties"] * party_score
            + WEIGHTS["statutes"] * (1.0 if shared_statutes else 0.0)
            + WEIGHTS["tags"] * min(1.0, len(shared_tags) / 3)
            + WEIGHTS["dates"] * date_score
        )
        candidates.append(Candidate(slug, record.title, round(score, 4), tuple(reasons)))
    candidates.sort(key=lambda c: (-c.score, c.slug))
    return candidates[:limit]


def best_match(candidates: list[Candidate]) -> Candidate | None:
    """The record to propose a change to, or None: propose a new draft."""
    if candidates and candidates[0].score >= NEW_RECORD_BELOW:
        return candidates[0]
    return None
