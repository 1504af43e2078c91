"""Import (all or nothing, also when a second process reads) and export."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from casework import transfer
from casework.editing import Actor, Editing
from casework.examples import generate_records
from casework.formats import InvalidInput, write_ndjson
from casework.model import DERIVED_KEYS, Site, Status
from casework.store import open_store
from casework.store.base import Query, Store
from casework.transfer import (
    ExportFormat,
    ImportAborted,
    ImportReport,
    export_records,
    import_path,
)

SITE = Site(url="https://m.example.org")


@pytest.fixture(params=["one process", "two processes"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    # The second process is used for big files; a threshold of 0 makes every file big.
    if request.param == "two processes":
        monkeypatch.setattr(transfer, "_PARALLEL_FROM_BYTES", 0)
    else:
        monkeypatch.setattr(transfer, "_PARALLEL_FROM_BYTES", 10**12)
    return str(request.param)


def importing(store: Store, source: Path, **options: Any) -> ImportReport:
    """`casework import` as the command line runs it: through the editing service."""
    return import_path(Editing(store, SITE), source, actor=Actor.operator("a"), **options)


def ndjson(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        write_ndjson(generate_records(count, seed=11, site=SITE), SITE, out)
    return path


def test_import_reads_every_record(tmp_path: Path, reading: str) -> None:
    source = ndjson(tmp_path / "in.ndjson", 300)
    store = open_store(tmp_path / "t.db")
    report = importing(store, source, status=Status.published)
    assert report.imported == 300 and store.count() == 300
    assert store.verify_history() == []
    out = tmp_path / "out.ndjson"
    export_records(
        (s.record for s in store.iter_records()),
        SITE,
        ExportFormat.ndjson,
        out,
        count=300,
        extensions=True,  # the example records cite their sources: casework's own key
    )
    assert out.read_bytes() == source.read_bytes()
    store.close()


def test_an_invalid_record_near_the_end_imports_nothing(tmp_path: Path, reading: str) -> None:
    source = ndjson(tmp_path / "in.ndjson", 300)
    lines = source.read_text("utf-8").splitlines()
    bad = json.loads(lines[290])
    bad["severity"] = "apocalyptic"
    lines[290] = json.dumps(bad)
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = open_store(tmp_path / "t.db")
    with pytest.raises(ImportAborted) as caught:
        importing(store, source)
    assert [e.slug for e in caught.value.errors] == [bad["slug"]]
    assert caught.value.errors[0].field == "severity"
    assert store.count() == 0
    report = importing(store, source, skip_invalid=True)
    assert report.imported == 299 and [e.slug for e in report.skipped] == [bad["slug"]]
    store.close()


def test_an_unreadable_file_is_one_clear_error(tmp_path: Path, reading: str) -> None:
    source = tmp_path / "broken.json"
    source.write_bytes(b'{"site": "x", "records": [\xff\xfe]}')
    store = open_store(tmp_path / "t.db")
    with pytest.raises(InvalidInput) as caught:
        importing(store, source)
    assert "broken.json" in str(caught.value) and "UTF-8" in str(caught.value)
    assert store.count() == 0
    store.close()


def test_a_slug_already_in_the_tracker_imports_nothing(tmp_path: Path, reading: str) -> None:
    source = ndjson(tmp_path / "in.ndjson", 20)
    store = open_store(tmp_path / "t.db")
    importing(store, source)
    from casework.store.base import SlugExists

    with pytest.raises(SlugExists):
        importing(store, source)
    assert store.count() == 20
    # Again with --replace: what is unchanged gets no revision, what changed gets one.
    lines = source.read_text("utf-8").splitlines()
    changed = json.loads(lines[3])
    changed["summary"] = "Corrected after a second source."
    lines[3] = json.dumps(changed)
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = importing(store, source, replace=True)
    assert report.imported == 20
    first = next(store.iter_records()).record.slug
    assert [r.number for r in store.history(first)] == [1]
    assert [r.number for r in store.history(changed["slug"])] == [1, 2]
    assert store.get(changed["slug"]).record.summary == "Corrected after a second source."
    store.close()


def test_a_slug_collision_between_the_readers_parts_is_caught(tmp_path: Path, reading: str) -> None:
    source = ndjson(tmp_path / "in.ndjson", 300)
    lines = source.read_text("utf-8").splitlines()
    # Line 1 is in the first reader's first run, line 200 in the second reader's.
    twin = json.loads(lines[199])
    twin["slug"] = json.loads(lines[0])["slug"]
    lines[199] = json.dumps(twin)
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = open_store(tmp_path / "t.db")
    with pytest.raises(ImportAborted) as caught:
        importing(store, source)
    assert [e.field for e in caught.value.errors] == ["slug"]
    assert "slug collision" in str(caught.value.errors[0])
    assert "line 1 has the same slug" in str(caught.value.errors[0])
    assert store.count() == 0
    store.close()


def test_records_arrive_in_input_order_whatever_the_run_length(tmp_path: Path) -> None:
    from casework.formats import Shard, read_records

    source = ndjson(tmp_path / "in.ndjson", 50)
    whole = [item.record.slug for item in read_records(source, SITE) if item.record]
    parts = [
        [
            item.record.slug
            for item in read_records(source, SITE, shard=Shard(i, 2, 7))
            if item.record
        ]
        for i in range(2)
    ]
    merged = []
    for run in range(0, 50, 7):
        merged += parts[(run // 7) % 2][(run // 14) * 7 : (run // 14) * 7 + 7]
    assert merged == whole


def test_the_readers_run_at_the_importers_priority(tmp_path: Path) -> None:
    # A niced reader got a third of another process's share of a shared machine's cores,
    # and the importer mostly waits on its readers.
    import multiprocessing

    from casework.import_reading import read_in_other_processes

    source = ndjson(tmp_path / "in.ndjson", 3)
    reading = read_in_other_processes(source, SITE)
    first = next(reading)  # both readers are alive until their last message is taken
    readers = multiprocessing.active_children()
    assert len(readers) == 2
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert [os.getpriority(os.PRIO_PROCESS, r.pid or 0) for r in readers] == [own, own]
    assert [first, *reading][-1].prepared is not None


@pytest.mark.parametrize("count", [0, 1, 4])
def test_archive_is_written_a_record_at_a_time_with_the_same_bytes(
    tmp_path: Path, count: int
) -> None:
    from casework.formats import archive_document, dumps

    records = list(generate_records(count, seed=2, site=SITE))
    out = tmp_path / "archive.json"
    export_records(records, SITE, ExportFormat.archive, out, count=count, extensions=True)
    written = json.loads(out.read_text("utf-8"))
    expected = dumps(archive_document(records, SITE, written["generatedAt"]))
    assert out.read_text("utf-8") == expected


def test_an_archive_whose_count_is_wrong_is_not_left_behind(tmp_path: Path) -> None:
    records = list(generate_records(2, seed=2, site=SITE))
    out = tmp_path / "archive.json"
    with pytest.raises(ValueError, match="says 3 records but 2"):
        export_records(records, SITE, ExportFormat.archive, out, count=3)
    assert list(tmp_path.iterdir()) == []


def messy_ndjson(path: Path, count: int) -> Path:
    """Generated records made messy, CRLF line ends: doubled quotes, non-ASCII (a final sigma,
    decomposed accents), empty optional fields, a Spanish body with quoted attributes."""
    lines = ndjson(tmp := path.with_suffix(".plain"), count).read_text("utf-8").splitlines()
    tmp.unlink()
    out = []
    for i, line in enumerate(lines):
        data = json.loads(line)
        data["title"] = f'Ana "la Jefa" Nu\u0301n\u0303ez — ""dos veces"" ΟΔΥΣΣΕΥΣ {i}'
        data["summary"] = "" if i % 3 == 0 else data["summary"] + " corriendo\tsin parar"
        if i % 2:
            data["keyPoints"] = []
        data["contentHtml"] += (
            f'\n<p>Los detenidos <a href="https://ejemplo.example/?a={i}&amp;b=2" '
            f"title='dijo \"basta\"'>siguieron</a> corriendo: «{i}» — ñandú</p>"
        )
        out.append(json.dumps(data, ensure_ascii=i % 2 == 0))
    path.write_bytes(("\r\n".join(out) + "\r\n").encode("utf-8"))
    return path


def test_records_and_search_keys_are_the_same_however_the_file_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reader processes make the records' bytes and search keys; the importing process, in
    the tracker's language, searches them: both readings store the same."""
    source = messy_ndjson(tmp_path / "in.ndjson", 120)
    exports = []
    for threshold, name in ((10**12, "one"), (0, "two")):
        monkeypatch.setattr(transfer, "_PARALLEL_FROM_BYTES", threshold)
        store = open_store(tmp_path / f"{name}.db", "spanish")  # a Spanish tracker
        assert importing(store, source).imported == 120
        assert store.verify_history() == []
        out = tmp_path / f"{name}.ndjson"
        records = (s.record for s in store.iter_records())
        export_records(records, SITE, ExportFormat.ndjson, out, count=120, extensions=True)
        exports.append(out.read_bytes())
        # Stemmed in Spanish, where the records were read: "correr" finds "corriendo".
        for text, total in (("correr", 120), ("detenido", 120), ("nandu", 120), ("odysseus", 0)):
            assert store.search(Query(text=text, status=None)).total == total, (name, text)
        assert store.search(Query(text="ΟΔΥΣΣΕΥΣ 7", status=None)).total >= 1
        store.close()
    assert exports[0] == exports[1]
    assert "corriendo: «7» — ñandú" in exports[0].decode("utf-8")


def test_a_killed_import_leaves_the_tracker_as_it_was(tmp_path: Path) -> None:
    """Kill `casework import` at several moments: the tracker holds what it held before (or,
    if the import had finished, all of it) and opens, its history whole."""
    tracker = tmp_path / "t"
    command = [sys.executable, "-m", "casework", "--tracker", str(tracker)]
    subprocess.run([*command[:3], "init", str(tracker)], check=True, capture_output=True)
    before = ndjson(tmp_path / "before.ndjson", 20)
    subprocess.run([*command, "import", str(before)], check=True, capture_output=True)
    base = [json.loads(line) for line in before.read_text("utf-8").splitlines()]
    big = tmp_path / "big.ndjson"
    with big.open("w", encoding="utf-8") as out:  # ~6 MB: read by the reader processes
        for copy in range(40):
            for data in base:
                data = {k: v for k, v in data.items() if k not in DERIVED_KEYS}
                out.write(json.dumps({**data, "slug": f"{data['slug']}-k{copy}"}) + "\n")

    def state() -> tuple[dict[str, Any], list[Any]]:
        store = open_store(tracker / "tracker.db")
        try:
            return {s: v.hash for s, v in store.versions(status=None).items()}, (
                store.verify_history()
            )
        finally:
            store.close()

    first, problems = state()
    assert len(first) == 20 and problems == []
    for delay in (0.0, 0.5, 2.0):
        process = subprocess.Popen(
            [*command, "import", str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # Its reader processes start inside the import's transaction: then it is under way.
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        while process.poll() is None and not children.read_text().strip():
            time.sleep(0.02)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now, problems = state()
        assert problems == []
        if now != first:  # it finished before the kill: then all of it
            assert len(now) == 20 + 800 and set(first.items()) <= set(now.items())
            break
    db = sqlite3.connect(tracker / "tracker.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    # And the killed importer's reader processes stop on their own.
    deadline = time.monotonic() + 60
    while readers_of(tracker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not readers_of(tracker)


def readers_of(tracker: Path) -> list[int]:
    """Processes reading for an import whose importer is gone (their parent is now init or
    a subreaper), started from this test's folder."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes()
            orphan = (proc / "stat").read_text().rsplit(")", 1)[1].split()[1] != str(os.getpid())
            here = (proc / "cwd").resolve() == Path.cwd().resolve()
        except (OSError, IndexError):
            continue
        if b"spawn_main" in command and orphan and here and int(proc.name) != os.getpid():
            found.append(int(proc.name))
    return found if tracker.exists() else []
