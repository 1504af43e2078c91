"""The site: building it (`build`), serving it live or built (`serve`), and the demo tracker
served on this machine (`demo`)."""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from casework.cli.invocation import Invocation, public_view
from casework.cli.output import err, out, progress, refuse, stage_progress

if TYPE_CHECKING:
    from casework.web.server import Listening


def demo(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Where the demo tracker lives.")] = Path(
        "casework-demo"
    ),
    records: Annotated[int, typer.Option(help="How many example records.")] = 120,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    serve: Annotated[bool, typer.Option(help="Serve it after making it.")] = True,
) -> None:
    """Make (once) a demo tracker of example records and serve it on localhost."""
    from casework.demo import ensure_demo
    from casework.web.server import Listening, is_loopback

    if serve and not is_loopback(host):
        refuse(
            f"the demo serves this machine only (its passwords are in "
            f"{folder}/demo-accounts.txt), not {host}: serve a tracker on a network with "
            "casework serve (README: Deploying behind TLS)"
        )
    invocation = Invocation.of(ctx)
    with invocation.errors():
        with progress("Generating example records", records) as advance:
            made = ensure_demo(folder, records, progress=advance)
    out.print(
        f"Demo tracker in [bold]{folder}[/bold] " + ("(new)" if made else "(already there, reused)")
    )
    if serve:
        from casework.demo import ensure_demo_accounts

        with invocation.errors():
            team = ensure_demo_accounts(folder)
        login = "Sign in to the editor as " + ", ".join(
            f"[bold]{user}[/bold] ({role}) / {password}" for user, role, password in team
        )
        _serve(
            invocation,
            folder,
            Listening(host, port),
            login_help=login + f"  (also in {folder}/demo-accounts.txt)",
        )


def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            help="Address to serve on; another than loopback needs TLS, --proxy or --insecure-http."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    ssl_certfile: Annotated[
        Path | None, typer.Option(help="Serve https: the certificate (PEM, with its chain).")
    ] = None,
    ssl_keyfile: Annotated[
        Path | None, typer.Option(help="Serve https: the certificate's private key (PEM).")
    ] = None,
    proxy: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS[,ADDRESS]",
            help="The TLS reverse proxy in front: its X-Forwarded-For/-Proto are believed "
            "from these addresses (or networks) only.",
        ),
    ] = None,
    insecure_http: Annotated[
        bool,
        typer.Option(
            "--insecure-http",
            help="Serve plain HTTP on a network anyway (sign-ins in clear text: a warning).",
        ),
    ] = False,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Another host name requests may use (besides the site URL's, localhost and "
            "--host); repeat it for more.",
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    cache_mb: Annotated[
        float,
        typer.Option(min=0, help="Megabytes of rendered API answers kept per process (0: none)."),
    ] = 128,
    replica_url: Annotated[
        str | None,
        typer.Option(
            envvar="CASEWORK_REPLICA_URL",  # config.REPLICA_ENV (not imported at start-up)
            help="A PostgreSQL read replica the public site and API read from (default: "
            "casework.toml's [database] replica_url).",
        ),
    ] = None,
    static: Annotated[
        bool, typer.Option("--static", help="Build the static site and serve that instead.")
    ] = False,
    destination: Annotated[
        Path | None,
        typer.Option("--out", help="With --static: the built site (default: site/)."),
    ] = None,
) -> None:
    """Serve the tracker live: the public site, the JSON API and the editor."""
    from casework.web.api import CACHE_ENV
    from casework.web.server import Listening, ServeRefused, check

    try:
        listening = check(
            Listening(
                host,
                port,
                ssl_certfile,
                ssl_keyfile,
                tuple(a.strip() for a in (proxy or "").split(",") if a.strip()),
                insecure_http,
                tuple(allow_host or ()),
            )
        )
    except ServeRefused as refused:
        refuse(str(refused))
    os.environ[CACHE_ENV] = str(cache_mb)
    invocation = Invocation.of(ctx)
    _serve(
        invocation,
        invocation.folder,
        listening,
        destination,
        static=static,
        workers=workers,
        replica_url=replica_url,
    )


def build(
    ctx: typer.Context,
    destination: Annotated[
        Path | None,
        typer.Option("--out", help="Where the site goes (default: site/ in the tracker)."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Processes rendering pages (default: one per core).")
    ] = None,
) -> None:
    """Write the static site: pages, record JSON, data files, feeds, search index.

    Only what changed since the last build is written; the new site replaces the old one
    in one step."""
    invocation = Invocation.of(ctx)
    _build(invocation, invocation.folder, destination, workers)


def _signing_key(folder: Path) -> None:
    """The tracker's signing key, made (and said so) on first need: trackers made before
    checkpoints existed get one at their first build. (Read only when the build signs: a
    build with nothing to rebuild loads no cryptography.)"""
    from casework.evidence.checkpoint import key_for, key_path

    if not key_path(folder).exists():
        key_for(folder, say=lambda text: err.print(text, highlight=False, soft_wrap=True))


def _build(
    invocation: Invocation, folder: Path, destination: Path | None, workers: int | None = None
) -> Path:
    from casework.publish.quick import fingerprint, up_to_date

    # Taken before the store is opened, and before any of its code loads: when the state
    # says the site was built from the same, nothing was committed since (publish/quick.py).
    quick = fingerprint(folder, invocation.db)
    if quick is not None:
        target = destination if destination is not None else folder.resolve() / "site"
        records = up_to_date(target, quick)
        if records is not None:
            out.print(f"{target.absolute()}: up to date ({records} records, nothing written)")
            return target.absolute()

    from casework.publish.build import build_site
    from casework.tracker import open_tracker

    with invocation.errors(), open_tracker(folder, invocation.db) as tracker:
        target = destination if destination is not None else tracker.config.root / "site"
        _signing_key(tracker.config.root)
        with stage_progress() as progress:
            report = build_site(
                public_view(tracker),
                tracker.site,
                target,
                workers=workers,
                progress=progress,
                tracker=tracker.config.root,
                quick=quick,
            )
    if not report.changed:
        out.print(f"{report.out}: up to date ({report.records} records, nothing written)")
    else:
        out.print(
            f"{report.out}: {report.records} records; wrote {report.pages_written} files, "
            f"kept {report.files_linked} unchanged, in {report.seconds:.2f} s"
        )
        if report.withdrawn:
            out.print(
                "The previous build was removed, not kept for rollback: it shows records "
                "or related slugs that are no longer public, or versions since withdrawn."
            )
        if invocation.verbose:
            out.print(report.timings)
    return report.out


def _serve(
    invocation: Invocation,
    folder: Path,
    listening: "Listening",
    destination: Path | None = None,
    *,
    static: bool = False,
    workers: int = 1,
    login_help: str = "",
    replica_url: str | None = None,
) -> None:
    import uvicorn

    from casework.render.pages import base_path
    from casework.tracker import open_tracker
    from casework.web.server import export_hosts, hosts_for, uvicorn_options

    options = uvicorn_options(listening)
    options["loop"] = "uvloop" if _has("uvloop") else "auto"
    address = f"{listening.scheme}://{listening.host}:{listening.port}"
    warning = listening.warning()
    if static:
        from casework.web.api import create_api
        from casework.web.context import AppContext
        from casework.web.static_site import static_site_app

        built = _build(invocation, folder, destination)
        with invocation.errors(), open_tracker(folder, invocation.db) as tracker:
            site = tracker.site
            api = create_api(AppContext(tracker.store, site, tracker.config.root))
            app = static_site_app(
                built,
                base_path(site),
                api=api,
                allowed_hosts=hosts_for(listening, site),
                tile_origin=site.tile_origin(),
            )
            out.print(
                f"Serving the built site of [bold]{site.title}[/bold] on "
                f"{address}{base_path(site)} and its JSON API under /api/ (Ctrl-C stops)"
            )
            if warning:
                err.print(f"[bold red]{warning}[/bold red]", highlight=False, soft_wrap=True)
            uvicorn.run(app, **options)
        return
    with invocation.errors(), open_tracker(folder, invocation.db) as tracker:
        site = tracker.site
        hosts = hosts_for(listening, site)
        users = len(tracker.store.accounts.users())
        out.print(
            f"Serving [bold]{site.title}[/bold] live on {address}/ — the editor at "
            f"{address}/edit/, the JSON API under /api/ (Ctrl-C stops)"
        )
        if login_help:
            out.print(login_help)
        elif users == 0:
            out.print(
                "No accounts yet: add one with [bold]casework user add NAME --role admin[/bold]"
            )
        if warning:
            err.print(f"[bold red]{warning}[/bold red]", highlight=False, soft_wrap=True)
        replica_url = replica_url or tracker.config.replica_url
        if workers == 1:
            from casework.store import open_store
            from casework.web.app import create_app

            replica = (
                open_store(
                    replica_url,
                    tracker.config.search_language,
                    replica=True,
                    place_names=tracker.site.place_names,
                )
                if replica_url
                else None
            )
            try:
                uvicorn.run(
                    create_app(
                        tracker.store,
                        site,
                        tracker.config.root,
                        publishers=tracker.config.publishers,
                        extract_seconds=tracker.config.extract_seconds,
                        allowed_hosts=hosts,
                        replica=replica,
                    ),
                    **options,
                )
            finally:
                if replica is not None:
                    replica.close()
            return
    # Several processes: each opens the tracker itself (casework.web.asgi), with the same
    # server settings (uvicorn passes them on) and the same hosts (from the environment).
    os.environ["CASEWORK_TRACKER"] = str(folder.resolve())
    if invocation.db:
        os.environ["CASEWORK_DATABASE_URL"] = invocation.db
    if replica_url:
        from casework.config import REPLICA_ENV

        os.environ[REPLICA_ENV] = replica_url
    export_hosts(hosts)
    uvicorn.run("casework.web.asgi:create", factory=True, workers=workers, **options)


def _has(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None
