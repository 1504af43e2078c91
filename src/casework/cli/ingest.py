"""Ingest: reading an article into a proposal now (`ingest`) or as a queued job (`ingest
--queue`, run by `worker`: casework.ingest.worker), the queue (`jobs`), and a proposal's
review, item by item (`review`, `proposals`)."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from casework.cli.invocation import Invocation, editing_of, operator
from casework.cli.output import err, one_line, out, timestamp
from casework.ingest.article import ReadError


def ingest(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="A URL (fetched and archived) or a file.")],
    record: Annotated[
        str | None, typer.Option("--record", help="Propose to this record, whatever matches.")
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="Where a file's article was published.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the proposal as JSON.")] = False,
    queue: Annotated[
        bool, typer.Option("--queue", help="Queue it for `casework worker` instead of now.")
    ] = False,
) -> None:
    """Read an article, extract what it says, find its record, and write a proposal."""
    import json

    from casework.ingest.pipeline import ingest as run_ingest
    from casework.ingest.worker import jobs_of

    invocation = Invocation.of(ctx)
    if queue:
        with invocation.tracker() as tracker:
            _not_the_database(tracker.store, source)
            payload = _ingest_payload(tracker.store, source, record, url)
            job_id = jobs_of(tracker.store).enqueue("ingest", payload)
        out.print(f"Queued job {job_id}: {payload['source']}", highlight=False, soft_wrap=True)
        return
    with invocation.errors(), invocation.tracker() as tracker:
        _not_the_database(tracker.store, source)
        folder = tracker.config.root
        proposal = run_ingest(
            source,
            tracker.store,
            tracker.site,
            folder,
            target=record,
            url=url,
            extract_seconds=tracker.config.extract_seconds,
        )
    if as_json:
        print(json.dumps(proposal.to_json(), ensure_ascii=False, indent=2))
        return
    _show_proposal(proposal)


def _not_the_database(store: Any, source: str) -> None:
    """Refuse, before anything opens it, a file that is the tracker's SQLite database or one of
    its -wal, -shm, -journal files (by any name): reading it in a process that holds the
    database would drop SQLite's locks (store/guard.py, which refuses it too)."""
    from casework.ingest.pipeline import is_url
    from casework.store.guard import database_of

    database = getattr(store, "path", None)  # a SQLite store's file; PostgreSQL has none
    if database is not None and not is_url(source) and database_of(source, database):
        raise ReadError(
            f"{source}: is the tracker's database (or one of its files), not an article"
        )


def _ingest_payload(store: Any, source: str, record: str | None, url: str | None) -> dict[str, Any]:
    """What an ingest job needs, checked now rather than at its first attempt: a file is named
    by its absolute path (the worker may run in another folder), and must exist."""
    from casework.ingest.pipeline import is_url
    from casework.store.base import RecordNotFound

    if record is not None and not store.exists(record):
        raise RecordNotFound(record)
    if not is_url(source):
        path = Path(source).expanduser().resolve()
        if not path.is_file():
            raise ReadError(f"{source}: no such file")
        source = str(path)
    return {"source": source, "target": record, "url": url}


def worker(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Run the queued jobs until none is left, then exit.")
    ] = False,
    poll: Annotated[
        float, typer.Option("--poll", min=0.1, help="Seconds between looks at an empty queue.")
    ] = 2.0,
    links_every: Annotated[
        str | None,
        typer.Option(
            "--links-every",
            metavar="DURATION",
            help="Queue a link check (`check --links`) when the last is older than this "
            "(30m, 24h, 7d).",
        ),
    ] = None,
    checkpoint_every: Annotated[
        str | None,
        typer.Option(
            "--checkpoint-every",
            metavar="DURATION",
            help="Sign a checkpoint (`casework checkpoint`) when the newest is older than this "
            "(30m, 24h): for a site served live.",
        ),
    ] = None,
) -> None:
    """Run queued jobs (`casework ingest --queue`, link checks) one at a time, one line per
    job, until Ctrl-C. Several workers may run at once: each job goes to one of them."""
    from casework.evidence.links import parse_duration
    from casework.ingest.worker import work, worker_name

    invocation = Invocation.of(ctx)
    with invocation.errors():
        every = parse_duration(links_every) if links_every is not None else None
        signing = parse_duration(checkpoint_every) if checkpoint_every is not None else None
    name = worker_name()
    with invocation.tracker() as tracker:
        if not once:
            out.print(f"Worker {name} waiting for jobs (Ctrl-C stops it).", highlight=False)
        worked = work(
            tracker,
            name,
            once=once,
            poll=poll,
            links_every=every,
            checkpoint_every=signing,
            say=lambda line: out.print(line, highlight=False, soft_wrap=True),
            note=err.print,
            describe=one_line,
            failing=err.print_exception if invocation.verbose else lambda: None,
        )
    done, failed = worked.done, worked.failed
    if worked.stopped:
        out.print(f"Stopped: {done} jobs done, {failed} failed.")
        return
    out.print(f"No more queued jobs: {done} done, {failed} failed.")
    if failed:
        raise typer.Exit(1)


def jobs_list(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="Only queued, running, done or failed jobs.")
    ] = None,
) -> None:
    """The job queue: every job, oldest first, with its state, attempts, result or error."""
    from casework.ingest.worker import jobs_of

    with Invocation.of(ctx).tracker() as tracker:
        found = jobs_of(tracker.store).list(status)
    if not found:
        out.print("No jobs.")
        return
    from rich.table import Column

    from casework.ingest.pipeline import is_url

    # Ids, states and results stay whole (they are what one types next); the rest folds.
    table = Table(
        Column("id", no_wrap=True), Column("status", no_wrap=True),
        Column("tries", no_wrap=True), Column("source", overflow="fold", min_width=10, ratio=2),
        Column("result", no_wrap=True), Column("created", no_wrap=True),
        Column("error", overflow="fold", min_width=10, ratio=2),
        title="Jobs",
    )  # fmt: skip
    for job in found:
        source = str(job.payload.get("source", ""))
        state = job.status.value
        if job.status == "running" and job.worker:
            state += f" ({job.worker})"
        table.add_row(
            str(job.id),
            state if job.kind == "ingest" else f"{job.kind}: {state}",
            f"{job.attempts}/{job.max_attempts}",
            source if is_url(source) else Path(source).name,
            job.proposal_id or "",
            timestamp(job.created_at),
            job.error or "",
        )
    out.print(table)


def _show_proposal(proposal: Any, *, hint: bool = True) -> None:
    source = proposal.source
    out.print(
        f"[bold]{source.get('title') or '(untitled)'}[/bold] — {source.get('publisher') or '?'}"
        f" {source.get('date') or ''}",
        highlight=False,
    )
    if proposal.candidates:
        table = Table("score", "record", "why", title="Records it may be about")
        for c in proposal.candidates:
            table.add_row(f"{c['score']:.2f}", c["slug"], "; ".join(c["reasons"]))
        out.print(table)
    target = proposal.target or "a new draft record"
    out.print(f"Proposal [bold]{proposal.id}[/bold] for [bold]{target}[/bold]: "
              f"{len(proposal.items)} items", highlight=False)  # fmt: skip
    if proposal.status == "empty":
        out.print(f"Nothing proposed: {proposal.source.get('why', '')}")
    elif (match := getattr(proposal, "match", {})).get("chosen"):
        out.print(f"Made again for {match['chosen']}, as the reviewer chose", highlight=False)
    elif match.get("ambiguous"):
        out.print(f"[yellow]Ambiguous[/yellow]: {proposal.source.get('why', '')}", highlight=False)
    for item in proposal.items:
        flag = " [red](possible inconsistency)[/red]" if item.flag else ""
        out.print(f"  {item.id:>3}. {item.kind}{flag}: {_item_text(item)}", highlight=False)
    if proposal.items and hint:
        out.print(f"Review it with: casework review {proposal.id}")


def _item_text(item: Any) -> str:
    value = item.value
    if item.kind == "source":
        text = f"{value.get('title')} ({value.get('publisher')}) {value.get('url')}"
    elif item.kind == "timeline":
        text = f"{value.get('date')}: {value.get('summary')}"
    elif item.kind == "figure":
        text = f"{value.get('figure')} — {item.note}"
    elif item.kind == "legalProvision":
        text = " ".join(p for p in (value.get("statute"), value.get("article")) if p)
    elif item.kind == "record":
        text = f"{value.get('title')} ({value.get('date')})"
    else:  # keyPoint, tag
        text = str(value.get("keyPoint") or value.get("tag") or "")
    return " ".join(text.split())[:300]


def review(
    ctx: typer.Context,
    proposal_id: Annotated[
        str | None, typer.Argument(help="The proposal (default: the oldest open one).")
    ] = None,
    accept: Annotated[
        str | None,
        typer.Option(help="Accept these items without asking: 'all' or numbers, '1,3,4'."),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            metavar="SLUG",
            help="Propose it into this record instead (an ambiguous match's choice): its "
            "items are made again from the archived article against the record.",
        ),
    ] = None,
    new_draft: Annotated[
        bool, typer.Option("--new-draft", help="Propose it as a new draft record instead.")
    ] = False,
) -> None:
    """Accept or reject a proposal's items one by one; the accepted ones become one revision
    of the record, with an updateLog entry.

    With --target or --new-draft, the proposal is first made again against the record
    chosen (the numbers of --accept are then those of the items made again: run it without
    --accept to see them)."""
    from casework.ingest.pipeline import load_proposal, open_proposals, rebuild

    invocation = Invocation.of(ctx)
    with invocation.errors():
        if target is not None and new_draft:
            raise ValueError("--target and --new-draft: choose one")
    with invocation.errors(), invocation.tracker() as tracker:
        if proposal_id is None:
            waiting = open_proposals(tracker.store)
            if not waiting:
                out.print("No open proposals.")
                return
            proposal = waiting[0]
        else:
            proposal = load_proposal(tracker.store, proposal_id)
        if proposal.status != "open":
            raise ValueError(f"proposal {proposal.id} is {proposal.status}, not open")
        editing = editing_of(tracker)
        base: int | None = None
        if target is not None or new_draft:
            # The operator has an admin's rights: any record, not only the candidates.
            editing.require_choice(operator(), proposal, target)
            proposal = rebuild(
                tracker.store,
                tracker.site,
                proposal,
                target,
                tracker.config.root,
                extract_seconds=tracker.config.extract_seconds,
            )
            base = proposal.match.get("revision")
            if accept is not None:
                _show_proposal(proposal, hint=False)
        ids = {item.id for item in proposal.items}
        if accept is not None:
            chosen = ids if accept.strip() == "all" else _numbers(accept, ids)
        else:
            chosen = _ask(proposal)
        stored = editing.apply_proposal(operator(), proposal, chosen, base_revision=base)
    if stored is None:
        out.print("Nothing accepted: the record is unchanged.")
    else:
        out.print(
            f"Accepted {len(chosen)} of {len(ids)} items: [bold]{stored.record.slug}[/bold] "
            f"is at revision {stored.revision}.",
            highlight=False,
        )


def proposals_list(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option("--status", help="open, applied, rejected, empty, or all.")
    ] = "open",
) -> None:
    """Proposals from ingested articles, oldest first: the open ones (what `casework review`
    goes through), or those of another status with who decided them."""
    from rich.table import Column

    from casework.ingest.pipeline import is_url
    from casework.ingest.propose import Proposal
    from casework.store.proposals import STATUSES

    invocation = Invocation.of(ctx)
    with invocation.errors():
        if status not in (*STATUSES, "all"):
            raise ValueError(f"--status {status!r}: expected {', '.join(STATUSES)} or all")
    with invocation.tracker() as tracker:
        found = tracker.store.proposals.list(None if status == "all" else status)
    if not found:
        out.print("No proposals." if status == "all" else f"No {status} proposals.")
        return
    decisions = status != "open"
    table = Table(
        Column("id", no_wrap=True), Column("status", no_wrap=True),
        Column("for", no_wrap=True), Column("items", no_wrap=True),
        Column("article", overflow="fold", min_width=12),
        *([Column("decided", no_wrap=True)] if decisions else []),
        title="Proposals",
    )  # fmt: skip
    for data in found:
        proposal = Proposal.from_json(data)
        source = proposal.source
        where = str(source.get("url") or source.get("file") or "")
        article = str(source.get("title") or (where if is_url(where) else Path(where).name))
        decided = f"{proposal.decided_by} {proposal.decided_at[:10]}".strip()
        table.add_row(
            proposal.id,
            proposal.status,
            proposal.target or ("to choose" if proposal.match.get("ambiguous") else "a new draft"),
            str(len(proposal.items)),
            article,
            *([decided] if decisions else []),
        )
    out.print(table)


def _numbers(text: str, ids: set[int]) -> set[int]:
    chosen = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) not in ids:
            raise ValueError(f"--accept: {part!r} is not an item of this proposal")
        chosen.add(int(part))
    return chosen


def _ask(proposal: Any) -> set[int]:
    _show_proposal(proposal, hint=False)
    chosen: set[int] = set()
    for item in proposal.items:
        out.print(f"\n[bold]{item.id}. {item.kind}[/bold]: {_item_text(item)}", highlight=False)
        if item.sentence:
            out.print(f"   from: [italic]{item.sentence[:500]}[/italic]", highlight=False)
        if item.note:
            out.print(f"   note: {item.note}", highlight=False)
        answer = typer.prompt("   accept? [y]es / [n]o / [q]uit (the rest rejected)", default="n")
        if answer.lower().startswith("q"):
            break
        if answer.lower().startswith("y"):
            chosen.add(item.id)
    return chosen
