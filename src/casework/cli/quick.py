"""`casework search` on its quick path: the same search and the same output, without typer's
parsing, the tracker's full configuration or the store (issue 17's start-up goal: a search
at 10,000 records in 0.3 s, Python's start included).

typer coerces every parameter through a pydantic TypeAdapter, and opening a tracker validates
its casework.toml with the model (pydantic) and opens the store (SQLAlchemy): ~0.4 s of CPU
before a search that takes milliseconds. So `entry.main` offers a `search` command line here
first. This path takes only what it can answer exactly as the command line would: the global
options and the search's own, spelled as `casework --help` and `casework search --help` show
them; a casework.toml that parses, whose [database] URL names a SQLite file whose schema is
current; no proposal files waiting in the folder (opening the tracker imports them). It
reads [database] and [search] only (a search uses nothing else of the configuration).
Anything else — `--help`, an option it does not know, a value the command line would refuse,
a PostgreSQL URL, a missing tracker — returns False, and the command line (`cli/`) runs the
command as it always did, with its own messages. The query and the printing are the
command's own (`reading.search_query`, `reading.print_result`).
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

_LISTS = {"--category": "category", "--severity": "severity", "--tag": "tag",
          "--year": "year", "--country": "country"}  # fmt: skip
_INTEGER = re.compile(r"[+-]?[0-9]+")


def parse(argv: list[str]) -> dict[str, Any] | None:
    """`casework ARGV`'s options, when it is a search this path reads exactly; else None."""
    found: dict[str, Any] = {
        "tracker": os.environ.get("CASEWORK_TRACKER") or ".",
        "db": os.environ.get("CASEWORK_DATABASE_URL") or None,
        "verbose": False,
        "text": None,
        "all": False,
        "json": False,
        "limit": 10,
        **{name: [] for name in _LISTS.values()},
    }
    words = iter(argv)
    command = False
    for word in words:
        name, equals, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if not command:
            if word == "search":
                command = True
            elif word in ("-v", "--verbose"):
                found["verbose"] = True
            elif word in ("-t", "--tracker", "--db") or (equals and name in ("--tracker", "--db")):
                if not equals:
                    value = next(words, "")
                if not value:
                    return None
                found["db" if name == "--db" else "tracker"] = value
            else:
                return None
            continue
        if word in ("--all", "--json"):
            found[word[2:]] = True
        elif name in _LISTS or name == "--limit":
            if not equals:
                following = next(words, None)
                if following is None:
                    return None
                value = following
            if name in ("--year", "--limit"):
                if not _INTEGER.fullmatch(value):
                    return None
                if name == "--limit":
                    found["limit"] = int(value)
                    continue
                found["year"].append(int(value))
            else:
                found[_LISTS[name]].append(value)
        elif word.startswith("-") or found["text"] is not None:
            return None  # --help, an option this path does not read, a second argument
        else:
            found["text"] = word
    return found if command else None


def _database(folder: Path, db: str | None) -> tuple[str, str] | None:
    """(database URL, search language) of the tracker in `folder`, when its casework.toml
    parses and says them plainly; else None (the command line says what is wrong)."""
    path = folder / "casework.toml" if folder.is_dir() else folder
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    from casework import search_words

    search = raw.get("search", {})
    database = raw.get("database", {})
    if not isinstance(search, dict) or set(search) - {"language"} or not isinstance(database, dict):
        return None
    language = search.get("language", search_words.DEFAULT_LANGUAGE)
    url = db or database.get("url", "sqlite:///tracker.db")
    if language not in search_words.LANGUAGES or not isinstance(url, str):
        return None
    if (path.parent / "proposals").is_dir():
        return None  # opening the tracker imports them (tracker.import_proposal_files)
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and db is None:
        url = prefix + str((path.parent.resolve() / url[len(prefix) :]).resolve())
    return url, language


def search(argv: list[str]) -> bool:
    """Run `casework ARGV` here when it is a search this path answers (True), else False,
    having printed nothing."""
    options = parse(argv)
    if options is None:
        return False
    found = _database(Path(options["tracker"]), options["db"])
    if found is None:
        return False
    url, language = found
    from casework.store.sqlite_reader import database_file

    database = database_file(url)
    if database is None:
        return False
    import typer

    from casework import search_words
    from casework.cli.output import one_line_errors
    from casework.cli.reading import print_result, search_query
    from casework.store.sqlite_reader import search_file

    search_words.set_language(language)
    query = search_query(
        options["text"] or "",
        options["category"],
        options["severity"],
        options["tag"],
        options["year"],
        options["country"],
        all_statuses=options["all"],
        limit=options["limit"],
    )
    try:
        with one_line_errors(options["verbose"]):
            result = search_file(database, query)
    except typer.Exit as failed:  # said in one line, as the command line would
        raise SystemExit(failed.exit_code) from None
    if result is None:
        return False
    print_result(result, options["json"])
    return True
