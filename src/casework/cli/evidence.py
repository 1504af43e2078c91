"""Evidence and the history no one may rewrite: capturing cited URLs (`archive`), checking a
tracker or a published site (`verify`), withdrawing public versions (`withdraw`) and signing
a checkpoint (`checkpoint`)."""

import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from casework.cli.invocation import Invocation, editing_of, operator
from casework.cli.output import err, out, progress_bar, stage_progress


def archive(
    ctx: typer.Context,
    slugs: Annotated[
        list[str] | None, typer.Argument(help="Records whose sources to capture (default: all).")
    ] = None,
    concurrency: Annotated[int, typer.Option(help="How many URLs to fetch at once.")] = 4,
) -> None:
    """Capture every source and document URL of the records as WARC files (evidence: no
    record changes, no revision is made)."""
    from casework.evidence.captures import Captures, capture_records

    invocation = Invocation.of(ctx)
    with invocation.tracker() as tracker, progress_bar() as bar:
        task = bar.add_task("Capturing", total=None)

        def done(attempt: Any) -> None:
            bar.advance(task, 1)
            if invocation.verbose and attempt.kept:
                bar.console.print(f"captured {attempt.url} ({attempt.sha256})", highlight=False)

        run = capture_records(
            tracker.store,
            Captures.of(tracker.store, tracker.config.root),
            slugs or (),
            concurrency=concurrency,
            started=lambda n: bar.update(task, total=n),
            done=done,
        )
    for failure in run.failures:  # one line each: the URL and why
        err.print(
            f"[yellow]not captured:[/yellow] {failure.error}", highlight=False, soft_wrap=True
        )
    kept, failed = len(run.kept), len(run.failures)
    out.print(
        f"Captured {kept} of {kept + failed} URL{'s' * (kept + failed != 1)} from "
        f"{run.records} record{'s' * (run.records != 1)}"
        + (f"; {failed} could not be captured." if failed else ".")
    )


def verify(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A built site folder, a downloaded dataset folder (the /data/ files), or one "
            "version or history JSON file. Without it: this tracker."
        ),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            help="A published site (its URL, or a folder) or dataset folder whose checkpoints "
            "the tracker (or the file given) must agree with."
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="The public key to trust ('ed25519 <base64>' or a file holding it), instead "
            "of the one published beside the checkpoints (or the tracker's own)."
        ),
    ] = None,
) -> None:
    """Check that a history no one may rewrite was not rewritten: hash chains, the revision
    log, signed checkpoints. One line per problem; exit status 1 on any."""
    from casework.evidence import verify as checks
    from casework.evidence.checkpoint import CheckpointError
    from casework.tracker import open_tracker

    invocation = Invocation.of(ctx)
    with invocation.errors(), tempfile.TemporaryDirectory(prefix="casework-verify-") as downloads:
        pinned = checks.read_public_key(key) if key is not None else None
        published: Path | None = None
        if against is not None and checks.is_url(against):
            published = checks.fetch_published(against, Path(downloads))
        elif against is not None:
            published = Path(against)
        with stage_progress() as progress:
            if path is None:
                with open_tracker(invocation.folder, invocation.db) as tracker:
                    problems = checks.verify_tracker(
                        tracker.store,
                        tracker.config.root,
                        key=pinned,
                        against=published,
                        tick=progress,
                    )
                what = "the tracker"
            else:
                if not path.exists():
                    raise CheckpointError(f"{path}: no such file or folder")
                problems = checks.verify_published(
                    path, key=pinned, against=published, tick=progress
                )
                what = str(path)
    for problem in problems:
        err.print(f"[red]problem:[/red] {problem}", highlight=False, soft_wrap=True)
    if problems:
        err.print(f"{len(problems)} problem(s) found in {what}.", highlight=False)
        raise typer.Exit(1)
    out.print(f"Verified {what}: no problems found.", highlight=False)


def withdraw(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The record.")],
    versions: Annotated[
        list[int], typer.Argument(metavar="N [N…]", help="Its public versions to withdraw.")
    ],
    reason: Annotated[
        str, typer.Option("--reason", help="Why (published: in the tombstone and updateLog).")
    ] = "",
) -> None:
    """Take earlier public versions' words off the site (a name, an address) without
    unpublishing the record: their files become tombstones, their leaves stay in the public
    log, a checkpoint signed now lists them, and `casework verify` stays clean."""
    from casework.evidence.checkpoint import sign_now

    with Invocation.of(ctx).tracker() as tracker:
        written, found = editing_of(tracker).withdraw_versions(
            operator(), slug, versions, reason=reason
        )
        sign_now(tracker.store, tracker.config.root, say=err.print)
    listed = ", ".join(str(w.version) for w in found)
    out.print(
        f"Withdrew public version{'s' * (len(found) > 1)} {listed} of {slug} (revision "
        f"{written.revision} says so) and signed a checkpoint listing it; rebuild a built site.",
        highlight=False,
    )


def checkpoint(ctx: typer.Context) -> None:
    """Sign a checkpoint of the logs now, without building (for a site served live by
    `casework serve`; run it from cron to sign on a schedule)."""
    from casework.evidence.checkpoint import CHECKPOINTS_NAME, sign_now

    with Invocation.of(ctx).tracker() as tracker:
        made = sign_now(tracker.store, tracker.config.root, say=err.print)
    out.print(
        f"Signed a checkpoint of {made.checkpoint['size']} public versions at "
        f"{made.checkpoint['time']}; appended to {CHECKPOINTS_NAME}.",
        highlight=False,
    )
