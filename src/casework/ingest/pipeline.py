"""One article through the whole of ingest: read (fetching and archiving a URL), extract,
match, propose. Applying a proposal's accepted items is an editorial change: the editing
service's (`casework.editing.Editing.apply_proposal`).

Proposals are JSON files in the tracker's `proposals/` folder: an editor reviews them with
`casework review` (and later in the web editor); they record each item's decision.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casework.ingest.article import Article, ReadError
from casework.ingest.extract.budget import EXTRACT_SECONDS, extraction_budget
from casework.ingest.extract.items import Event, Figure, LawMention, Mention, Quote, TagMatch
from casework.ingest.extract.law import LawCatalog, extract_law
from casework.ingest.extract.names import KnownNames, extract_mentions
from casework.ingest.extract.registry import LANGUAGES, ExtractContext, run_extractors
from casework.ingest.match import Candidate, best_match, rank_records
from casework.ingest.propose import (
    Item,
    Proposal,
    build_items,
    candidates_json,
    new_record,
)
from casework.ingest.readers import read_bytes, read_path
from casework.ingest.readers.header import publisher_for
from casework.ingest.readers.language import article_language
from casework.model import Record, Site
from casework.store.base import Query, RecordNotFound, Store

if TYPE_CHECKING:
    from casework.ingest.fetch import FetchPolicy
from casework.store.private_files import private_folder, write_private

PROPOSALS = "proposals"
ARCHIVE = "archive"


@dataclass(frozen=True)
class Extraction:
    article: Article
    events: list[Event]
    figures: list[Figure]
    quotes: list[Quote]
    mentions: list[Mention]
    laws: list[LawMention]
    tags: list[TagMatch]


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_source(
    source: str,
    folder: Path,
    publishers: dict[str, str] | None = None,
    store: Store | None = None,
    policy: FetchPolicy | None = None,
) -> tuple[Article, dict[str, Any]]:
    """The article at `source` (a URL: fetched under `policy` — the fetcher's defaults when
    None — and archived under `folder/archive/`, and with a `store` the capture indexed there
    as `casework archive` indexes its own; else a file), and what was archived."""
    if not is_url(source):
        return read_path(Path(source), publishers=publishers), {"file": source}
    from casework.evidence.captures import Captures, kept_capture
    from casework.ingest.archive import archive
    from casework.ingest.fetch import FetchPolicy, fetch

    fetched = fetch(source, policy=policy or FetchPolicy())
    # What a team is reading is its own business: archive/ is owner-only (0700).
    kept = archive(fetched, private_folder(folder / ARCHIVE))
    text = ""
    try:
        article = read_bytes(fetched.body, fetched.content_type, fetched.url, publishers=publishers)
        text = article.text
    finally:
        # The same store and index as `casework archive`: what ingest read is a capture too.
        if store is not None:
            Captures.of(store, folder).record_capture(
                kept_capture(source, fetched, kept.sha256, text)
            )
    where = {
        "archived": str(kept.path.relative_to(folder)) if kept.path.is_relative_to(folder)
        else str(kept.path),
        "sha256": kept.sha256,
        "fetchedAt": kept.fetched_at.isoformat(),
    }  # fmt: skip
    return article, where


def tracker_tags(store: Store) -> list[str]:
    """Every tag the tracker's records carry (any state): the vocabulary tags come from."""
    result = store.search(Query(status=None, limit=0))
    return [value for value, _n in result.facets.get("tag", [])]


def extract(article: Article, store: Store, catalog: LawCatalog | None = None) -> Extraction:
    """Everything an article states that the tracker can use: the extractors of
    `extract/registry.py`, in its order. Names are matched to the tracker's parties later,
    against the records the article may be about (reading every record's parties would
    cost seconds at 10,000 records)."""
    context = ExtractContext(
        catalog=catalog or LawCatalog.default(), tags=lambda: tracker_tags(store)
    )
    found = run_extractors(article, context, article_language(article))
    return Extraction(
        article=article,
        events=found["events"],
        figures=found["figures"],
        quotes=found["quotes"],
        mentions=[],
        laws=found["laws"],
        tags=found["tags"],
    )


def match(store: Store, extraction: Extraction) -> list[Candidate]:
    return rank_records(
        store,
        extraction.article,
        events=extraction.events,
        mentions=extraction.mentions,
        laws=extraction.laws,
        tags=extraction.tags,
    )


def propose(
    store: Store,
    site: Site,
    extraction: Extraction,
    candidates: list[Candidate],
    source: dict[str, Any],
    *,
    target: str | None = None,
) -> Proposal:
    """The proposal for `extraction`: against `target`, else the best candidate, else a new
    draft. A non-English article gets an empty proposal (nothing can be checked)."""
    article = extraction.article
    chosen = target or (best.slug if (best := best_match(candidates)) else None)
    record: Record | None = None
    laws = extraction.laws
    if chosen is not None:
        record = store.get(chosen).record
        statutes = [p.statute for p in record.international_law]
        laws = extract_law(article, LawCatalog.for_site(site).with_statutes(statutes))
    mentions = extract_mentions(article, KnownNames.from_records([record] if record else []))
    info = {
        "url": article.url, "title": article.title, "publisher": article.publisher,
        "author": ", ".join(article.authors),
        "date": article.published.isoformat() if article.published else "",
        "language": article.language, "mentions": [m.name for m in mentions][:40],
    } | source  # fmt: skip
    proposal = Proposal(
        id=datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        source=info,
        target=chosen,
        candidates=candidates_json(candidates),
    )
    if not article.url:
        proposal.source["why"] = "no URL: the article itself is not proposed as a source"
    if article_language(article) not in LANGUAGES:
        proposal.status = "empty"
        proposal.source["why"] = (
            f"not in a language the extractors read ({', '.join(LANGUAGES)}): nothing extracted"
        )
        return proposal
    items = build_items(
        article,
        record,
        events=extraction.events,
        figures=extraction.figures,
        quotes=extraction.quotes,
        laws=laws,
        tags=extraction.tags,
    )
    if record is None:
        skeleton = new_record(article, site, extraction.events, store.exists)
        items.insert(0, Item(0, "record", skeleton, "", "a new draft record: nothing matched"))
    for number, item in enumerate(items, 1):
        item.id = number
    proposal.items = items
    return proposal


def ingest(
    source: str,
    store: Store,
    site: Site,
    folder: Path,
    *,
    target: str | None = None,
    url: str | None = None,
    publishers: dict[str, str] | None = None,
    extract_seconds: float = EXTRACT_SECONDS,
) -> Proposal:
    """Read, extract, match, propose — and save the proposal in `folder/proposals/`. `url`
    is where a file's article was published, when the file does not say. Extracting and
    matching stop after `extract_seconds` (ExtractionTimeout, a ReadError)."""
    if target is not None and not store.exists(target):
        raise RecordNotFound(target)
    article, where = read_source(source, folder, publishers, store)
    if url:
        article = replace(article, url=url)
        if not article.publisher and (named := publisher_for(url, publishers)):
            article = replace(
                article, publisher=named, found={**article.found, "publisher": "config"}
            )
    if not article.text.strip():
        raise ReadError(f"{source}: no article text found")
    with extraction_budget(extract_seconds, source):
        extraction = extract(article, store, LawCatalog.for_site(site))
        proposal = propose(store, site, extraction, match(store, extraction), where, target=target)
    save_proposal(folder, proposal)
    return proposal


# --- proposals on disk ----------------------------------------------------------------------
class ProposalNotFound(ReadError):
    """No proposal has that id (or the id is not one a proposal can have)."""


# What `propose` makes: the time it was made, then six random hex digits.
_PROPOSAL_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")


def proposal_path(folder: Path, proposal_id: str) -> Path:
    if not _PROPOSAL_ID.fullmatch(proposal_id):
        shown = proposal_id if len(proposal_id) <= 40 else proposal_id[:40] + "…"
        raise ProposalNotFound(f"{shown!r} is not a proposal id")
    return folder / PROPOSALS / f"{proposal_id}.json"


def save_proposal(folder: Path, proposal: Proposal) -> Path:
    """Written whole to a temporary file, then renamed over: never half a proposal. Proposals
    hold unpublished work: the folder is made owner-only (0700), each file 0600; a full disk
    raises StorageFull and leaves the proposal as it was."""
    path = proposal_path(folder, proposal.id)
    private_folder(path.parent)
    text = json.dumps(proposal.to_json(), ensure_ascii=False, indent=2) + "\n"
    return write_private(path, text.encode("utf-8"))


def load_proposal(folder: Path, proposal_id: str) -> Proposal:
    path = proposal_path(folder, proposal_id)
    try:
        return Proposal.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        # The tracker's folder is the server's business: not named to whoever asked.
        raise ProposalNotFound(f"no proposal {proposal_id!r}") from None


def open_proposals(folder: Path) -> list[Proposal]:
    found = []
    for path in sorted((folder / PROPOSALS).glob("*.json")):
        proposal = Proposal.from_json(json.loads(path.read_text(encoding="utf-8")))
        if proposal.status == "open":
            found.append(proposal)
    return found
