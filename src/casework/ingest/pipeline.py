"""One article through the whole of ingest: read (fetching and archiving a URL), extract,
match, propose. Applying a proposal's accepted items is an editorial change: the editing
service's (`casework.editing.Editing.apply_proposal`).

Proposals are kept in the store's database (`casework.store.proposals`), where every worker
and editor of the tracker sees them, on any machine and either engine: an editor reviews them
with `casework review` or in the web editor (/edit/proposals), and each item's decision is kept
with the proposal. Proposal files that an earlier casework wrote in the tracker's `proposals/`
folder are imported once, when the tracker is opened (`import_proposal_files`).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casework.ingest.article import Article, ReadError
from casework.ingest.extract.budget import EXTRACT_SECONDS, extraction_budget
from casework.ingest.extract.items import Event, Figure, LawMention, Mention, Quote, TagMatch
from casework.ingest.extract.law import LawCatalog, extract_law
from casework.ingest.extract.names import KnownNames, extract_mentions
from casework.ingest.extract.registry import LANGUAGES, ExtractContext, run_extractors
from casework.ingest.match import Candidate, decide, rank_records
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
from casework.store.proposals import STATUSES, ProposalError, checked_id

if TYPE_CHECKING:
    from casework.ingest.fetch import FetchPolicy
from casework.store.private_files import private_folder

# Where casework kept proposals before they moved into the database, and where the files go
# once imported (kept, owner-only, in case anyone wants to compare).
PROPOSALS = "proposals"
IMPORTED = "proposals-imported"
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
        article = read_path(Path(source), publishers=publishers)
        # What was read, so that choosing a record later reads the very same words (`rebuild`).
        return article, {"file": source, "sha256": _file_sha256(Path(source))}
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


def _file_sha256(path: Path) -> str:
    import hashlib

    from casework.ingest.readers.limits import read_file

    return hashlib.sha256(read_file(path)).hexdigest()


def archived_article(
    source: dict[str, Any], folder: Path | None, publishers: dict[str, str] | None = None
) -> Article:
    """The article a proposal was made from, read again as it was read at ingest: a URL's
    from the WARC file archived then (`source["archived"]`, checked against its SHA-256), a
    file's from the file when it still holds the bytes read then (its SHA-256). ReadError
    when that cannot be had: an article is never fetched again here, it may have changed."""
    from casework.ingest.archive import read_archived

    if source.get("archived"):
        if folder is None:
            raise ReadError("the tracker's folder, where articles are archived, is not known here")
        path = Path(str(source["archived"]))
        kept = read_archived(path if path.is_absolute() else folder / path)
        if source.get("sha256") and kept.sha256 != source["sha256"]:
            raise ReadError(f"{source['archived']}: not the body archived at ingest")
        article = read_bytes(kept.body, kept.content_type, kept.url, publishers=publishers)
    elif source.get("file"):
        # Only the file the operator ingested, holding what was read then (an older
        # casework recorded no SHA-256: nothing to check it against), and a regular file:
        # something else put in its place (a FIFO) is never opened.
        path = Path(str(source["file"]))
        if not source.get("sha256"):
            raise ReadError(f"{path}: read before casework kept its SHA-256: ingest it again")
        if not path.is_file() or _file_sha256(path) != source["sha256"]:
            raise ReadError(f"{path}: changed since it was ingested: ingest it again")
        article = read_path(path, publishers=publishers)
    else:
        raise ReadError("the proposal names no archived article")
    url = str(source.get("url") or "")
    if url and url != article.url:  # a file's `--url`, or the URL before redirects
        article = replace(article, url=url)
        if not article.publisher and (named := publisher_for(url, publishers)):
            article = replace(
                article, publisher=named, found={**article.found, "publisher": "config"}
            )
    return article


def statutes_catalog(
    store: Store, site: Site, candidates: list[Candidate], first: Record | None = None
) -> LawCatalog:
    """The site's statute catalog (the one its /law/ pages use) with the statutes the
    records the article may be about cite — `first`'s spellings first, so that a statute it
    cites is not proposed again under another record's spelling. (Every record's statutes
    would mean reading the whole tracker, seconds at 10,000 records, for each article.)"""
    names: list[str] = []
    for candidate in candidates:
        try:
            names += [p.statute for p in store.get(candidate.slug).record.international_law]
        except RecordNotFound:  # deleted meanwhile
            continue
    catalog = _with_statutes(LawCatalog.for_site(site), tuple(sorted(names)))
    if first is not None:
        catalog = catalog.with_statutes([p.statute for p in first.international_law])
    return catalog


@lru_cache(maxsize=64)
def _with_statutes(catalog: LawCatalog, names: tuple[str, ...]) -> LawCatalog:
    return catalog.with_statutes(names)  # compiling its patterns takes milliseconds


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
        figures=extraction.figures,
    )


def propose(
    store: Store,
    site: Site,
    extraction: Extraction,
    candidates: list[Candidate],
    source: dict[str, Any],
    *,
    target: str | None = None,
    draft: bool = False,
) -> Proposal:
    """The proposal for `extraction`: against `target`, else (unless `draft`) the best
    candidate, else a new draft. A non-English article gets an empty proposal (nothing can
    be checked). `match.revision` is the revision of the record the items were computed
    against: what the record lacked then.

    When the top candidates are too close to tell apart (`match.decide`), it is proposed into
    neither: its items are listed as for no record (so no figure is flagged as contradicting
    a record it may not be about), with no new draft, and `proposal.match` names the records
    to choose from; the reviewer chooses one (`rebuild`)."""
    article = extraction.article
    decision = decide(candidates)
    chosen = target or (decision.best.slug if decision.best and not draft else None)
    ambiguous = target is None and not draft and decision.ambiguous
    stored = store.get(chosen) if chosen is not None else None
    record = stored.record if stored is not None else None
    laws = extract_law(article, statutes_catalog(store, site, candidates, record))
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
        match={
            "margin": decision.margin,
            "ambiguous": ambiguous,
            "choices": [c.slug for c in decision.choices] if ambiguous else [],
            "revision": stored.revision if stored is not None else None,
        },
    )
    if ambiguous:
        names = " and ".join(f"{c.slug} ({c.score:.2f})" for c in decision.choices)
        proposal.source["why"] = (
            f"about {names}, too close to choose between: choose the record in the review "
            "(the editor's proposal page, or `casework review ID --target SLUG`)"
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
    if record is None and not ambiguous:
        skeleton = new_record(article, site, extraction.events, store.exists)
        why = "the reviewer chose a new draft" if draft else "nothing matched"
        items.insert(0, Item(0, "record", skeleton, "", f"a new draft record: {why}"))
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
    policy: FetchPolicy | None = None,
) -> Proposal:
    """Read, extract, match, propose — and keep the proposal in the store. `folder` is the
    tracker's, where a URL's capture is archived; `url` is where a file's article was
    published, when the file does not say; `policy` the fetcher's (its defaults when None).
    Extracting and matching stop after `extract_seconds` (ExtractionTimeout, a ReadError)."""
    if target is not None and not store.exists(target):
        raise RecordNotFound(target)
    article, where = read_source(source, folder, publishers, store, policy)
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
    save_proposal(store, proposal)
    return proposal


def rebuild(
    store: Store,
    site: Site,
    proposal: Proposal,
    target: str | None,
    folder: Path | None,
    *,
    publishers: dict[str, str] | None = None,
    extract_seconds: float = EXTRACT_SECONDS,
) -> Proposal:
    """Open `proposal` made again against the record `target` (None: a new draft) from the
    article as archived at ingest (`archived_article`), through the same extract and propose
    steps as `ingest`: items the record has already are left out, figures it states
    otherwise are flagged. The same id, time, candidates and source; `match` keeps the
    choices offered and says what was chosen. Nothing is written: applying it
    (`Editing.apply_proposal` with `base_revision=match["revision"]`) is. Raises
    RecordNotFound, ReadError."""
    if target is not None and not store.exists(target):
        raise RecordNotFound(target)
    article = archived_article(proposal.source, folder, publishers)
    if not article.text.strip():
        raise ReadError("the archived article has no text")
    where = str(proposal.source.get("url") or proposal.source.get("file") or "the article")
    with extraction_budget(extract_seconds, where):
        extraction = extract(article, store, LawCatalog.for_site(site))
        candidates = [
            Candidate(
                str(c["slug"]), str(c.get("title", "")), float(c.get("score", 0.0)),
                tuple(c.get("reasons", ())), dict(c.get("features", {})),
            )
            for c in proposal.candidates
        ]  # fmt: skip
        made = propose(store, site, extraction, candidates, {}, target=target, draft=target is None)
    kept = ("url", "file", "archived", "sha256", "fetchedAt")
    made.source |= {k: v for k, v in proposal.source.items() if k in kept}
    made.source.pop("why", None)
    if not made.source.get("url"):
        made.source["why"] = "no URL: the article itself is not proposed as a source"
    made.id, made.created_at = proposal.id, proposal.created_at
    made.candidates = proposal.candidates
    made.match = {
        **{k: v for k, v in proposal.match.items() if k not in ("revision", "chosen")},
        "chosen": target or "a new draft",
        "revision": made.match.get("revision"),
    }
    return made


def offered(proposal: Proposal) -> list[str]:
    """The records a reviewer may choose for `proposal` without the right to choose any: its
    candidates (the ambiguous match's choices among them)."""
    slugs = [str(c["slug"]) for c in proposal.candidates]
    return slugs + [s for s in proposal.match.get("choices", []) if s not in slugs]


# --- proposals in the store ----------------------------------------------------------------
def save_proposal(store: Store, proposal: Proposal) -> None:
    """Keep a new proposal in the store. Raises ProposalExists."""
    store.proposals.add(proposal.to_json())


def load_proposal(store: Store, proposal_id: str) -> Proposal:
    """Raises ProposalNotFound (an id of no proposal, or not of a proposal's form)."""
    return Proposal.from_json(store.proposals.get(proposal_id))


def open_proposals(store: Store) -> list[Proposal]:
    """The proposals waiting for a decision, oldest first."""
    return [Proposal.from_json(data) for data in store.proposals.list("open")]


@dataclass
class ImportedFiles:
    """What `import_proposal_files` did: the ids it added, how many were in the store
    already, and the files it could not read (name, why), left where they were."""

    added: list[str] = field(default_factory=list)
    present: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


def import_proposal_files(store: Store, folder: Path) -> ImportedFiles:
    """The proposal files an earlier casework kept in `folder/proposals/`, imported into the
    store once, whatever their status (an applied one keeps its decisions), so that no
    pending review is lost; a proposal the store has already stays as the store has it.
    Imported files move to `folder/proposals-imported/` (owner-only), and the emptied
    `proposals/` folder goes, so that the next opening finds nothing to do. A file that
    cannot be read as a proposal stays where it is, named in `refused`."""
    where = folder / PROPOSALS
    done = ImportedFiles()
    if not where.is_dir():
        return done
    readable: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted(where.glob("*.json")):
        try:
            proposal = Proposal.from_json(json.loads(path.read_text(encoding="utf-8")))
            if checked_id(proposal.id) != path.stem:
                raise ProposalError(f"it holds proposal {proposal.id!r}")
            if proposal.status not in STATUSES:
                raise ProposalError(f"unknown status {proposal.status!r}")
        except (OSError, ValueError, TypeError, AttributeError, KeyError, ProposalError) as e:
            done.refused.append((path.name, " ".join(str(e).split())[:300]))
            continue
        readable.append((path, proposal.to_json()))
    done.added = store.proposals.add_missing([data for _, data in readable])
    done.present = len(readable) - len(done.added)
    if readable:
        kept = private_folder(folder / IMPORTED)
        for path, _ in readable:
            try:
                path.replace(kept / path.name)
            except FileNotFoundError:
                pass  # another process opening the tracker moved it first
    try:
        where.rmdir()
    except OSError:
        pass  # files it could not read stay, with the folder
    return done
