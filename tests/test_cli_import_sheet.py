"""`casework import DATA --mapping M` and `casework mapping suggest` end to end: the real CLI on
a real tracker, on SQLite and on PostgreSQL (the store tests' fixtures)."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from casework.model import Status
from casework.tracker import open_tracker
from tests.store.conftest import (  # noqa: F401  # fixtures and the engine parametrisation
    engine,
    postgres_url,
    pytest_configure,
    pytest_generate_tests,
)
from tests.store.conftest import store_url as store_url
from tests.test_cli import cw, one_line_error

SHEETS = Path(__file__).parent / "fixtures" / "sheets"


@pytest.fixture
def tracker(tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "t"
    if store_url.startswith("postgresql"):
        monkeypatch.setenv("CASEWORK_DATABASE_URL", store_url)  # what --db reads
    code, _, err = cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")
    assert code == 0, err
    return folder


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return Path(shutil.copy(SHEETS / "incidents.csv", tmp_path / "incidents.csv"))


MAPPING = str(SHEETS / "incidents.toml")


def history(tracker: Path) -> dict[str, tuple[int, Status, str]]:
    with open_tracker(tracker, os.environ.get("CASEWORK_DATABASE_URL")) as opened:
        return {
            s.record.slug: (len(opened.store.history(s.record.slug)), s.status, s.record.summary)
            for s in opened.store.iter_records()
        }


def test_dry_run_previews_and_lists_refusals_writing_nothing(tracker: Path, sheet: Path) -> None:
    code, out, err = cw(tracker, "import", str(sheet), "--mapping", MAPPING, "--dry-run")
    assert code == 0, err
    assert "shot-in-kerrow-market  2025-04-03  domestic-military/serious/reported" in out
    assert "(id RV-001)" in out
    assert f"refused: {sheet}: row 6: field date: column 'Date' is blank" in err
    assert "6 rows, 5 would import, 1 refused; nothing was written" in out
    assert history(tracker) == {}


def test_one_refused_row_imports_nothing(tracker: Path, sheet: Path) -> None:
    code, _, err = cw(tracker, "import", str(sheet), "--mapping", MAPPING)
    assert code == 1
    assert "row 6: field date" in err and "nothing was imported" in err
    assert history(tracker) == {}


def test_skip_invalid_writes_the_report_and_reimport_is_idempotent(
    tracker: Path, sheet: Path, tmp_path: Path
) -> None:
    code, out, err = cw(tracker, "import", str(sheet), "--mapping", MAPPING, "--skip-invalid")
    assert code == 0, err
    assert "5 new, 0 updated, 0 unchanged, 1 refused rows skipped" in out
    with (tmp_path / "incidents.csv.refused.csv").open(encoding="utf-8") as f:
        assert list(csv.reader(f)) == [
            ["row", "field", "problem"],
            ["6", "date", "column 'Date' is blank"],
        ]
    first = history(tracker)
    assert len(first) == 5
    assert {status for _, status, _ in first.values()} == {Status.draft}

    # The same sheet again: no new revision.
    code, out, _ = cw(tracker, "import", str(sheet), "--mapping", MAPPING, "--skip-invalid")
    assert code == 0 and "0 new, 0 updated, 5 unchanged" in out
    assert history(tracker) == first

    # One cell changed, the row dated now, and a row added: one new revision, one new draft.
    text = sheet.read_text(encoding="utf-8")
    text = text.replace("Eleven people held", "Twelve people held")
    text = text.replace("RV-005,,", "RV-005,2025-04-09,")
    sheet.write_text(text + "RV-007,2025-04-10,shot,Kerrow market,,,,,\n", encoding="utf-8")
    report = tmp_path / "refused.csv"
    code, out, err = cw(
        tracker,
        "import",
        str(sheet),
        "--mapping",
        MAPPING,
        "--skip-invalid",
        "--report",
        str(report),
    )
    assert code == 0, err
    assert "2 new, 1 updated, 4 unchanged" in out and not report.exists()
    after = history(tracker)
    assert after["arrest-in-dunmere"][0] == 2
    assert after["arrest-in-dunmere"][2].startswith("Twelve people held")
    assert after["arrest-in-dunmere-2"][0] == 1  # RV-005: the same title, its own slug
    assert after["shot-in-kerrow-market-2"][0] == 1  # RV-007
    assert {k: v for k, v in after.items() if k in first and k != "arrest-in-dunmere"} == {
        k: v for k, v in first.items() if k != "arrest-in-dunmere"
    }


def test_publishing_by_import_needs_a_classification(tracker: Path, sheet: Path) -> None:
    code, _, err = cw(
        tracker,
        "import",
        str(sheet),
        "--mapping",
        MAPPING,
        "--skip-invalid",
        "--status",
        "published",
    )
    assert code == 0
    assert "warCrimeClassification" in err or "classification" in err
    assert history(tracker) == {}


def test_suggest_then_import_makes_drafts_of_every_dated_row(tracker: Path, tmp_path: Path) -> None:
    ledger = SHEETS / "ledger.tsv"
    mapping = tmp_path / "ledger.toml"
    code, out, err = cw(tracker, "mapping", "suggest", str(ledger), "--output", str(mapping))
    assert code == 0, err
    text = mapping.read_text(encoding="utf-8")
    assert 'external_id = "event_id_cnty"' in text and "REVIEW" in text
    code, out, err = cw(tracker, "import", str(ledger), "--mapping", str(mapping))
    assert code == 0, err
    assert "5 new" in out
    stored = history(tracker)
    assert len(stored) == 5 and {s for _, s, _ in stored.values()} == {Status.draft}


def test_a_bad_mapping_is_one_line(tracker: Path, sheet: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[fields]\ntitle = "{Nope}"\n', encoding="utf-8")
    code, _, err = cw(tracker, "import", str(sheet), "--mapping", str(bad))
    assert code == 1 and err.count("\n") == 1 and "fields.date: missing" in err


def test_a_changed_row_of_a_published_record_is_disclosed(tracker: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "legal.csv"
    sheet.write_text(
        "id,when,what,where,legal view,notes\n"
        "L1,2025-02-01,arrest,Dunmere,none,Held overnight at the pier.\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "legal.toml"
    mapping.write_text(
        '[record]\nexternal_id = "id"\n[fields]\ntitle = "{what} in {where}"\n'
        'date = { column = "when" }\nsummary = "{notes}"\n'
        'category = { value = "civil-liberties" }\nseverity = { value = "serious" }\n'
        'posture = { value = "reported" }\nwarCrimeClassification = { column = "legal view" }\n',
        encoding="utf-8",
    )
    assert cw(tracker, "import", str(sheet), "--mapping", str(mapping))[0] == 0
    code, _, err = cw(tracker, "publish", "arrest-in-dunmere")
    assert code == 0, err
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("overnight", "for two nights"), encoding="utf-8"
    )
    code, out, err = cw(tracker, "import", str(sheet), "--mapping", str(mapping))
    assert code == 0 and "1 updated" in out, err
    with open_tracker(tracker, os.environ.get("CASEWORK_DATABASE_URL")) as opened:
        stored = opened.store.get("arrest-in-dunmere")
    assert stored.status is Status.published
    assert stored.record.summary == "Held for two nights at the pier."
    assert [e.summary for e in stored.record.update_log] == ["Updated the summary."]
    # Once more, unchanged: the published record keeps its revision.
    code, out, _ = cw(tracker, "import", str(sheet), "--mapping", str(mapping))
    assert code == 0 and "0 new, 0 updated, 1 unchanged" in out
    with open_tracker(tracker, os.environ.get("CASEWORK_DATABASE_URL")) as opened:
        assert opened.store.get("arrest-in-dunmere").revision == stored.revision


def test_a_spreadsheet_without_a_mapping_is_told_to_give_one(tracker: Path, sheet: Path) -> None:
    code, _, err = cw(tracker, "import", str(sheet))
    one_line_error(code, err, "give --mapping", "casework mapping suggest")
    assert history(tracker) == {}


def test_the_row_id_stays_the_teams_own(tracker: Path, tmp_path: Path) -> None:
    """A published record made from a sheet keeps its row id for re-import, and no public
    byte carries it: the built site (pages, JSON, data files, versions), the public export."""
    sheet = tmp_path / "ids.csv"
    sheet.write_text(
        "case ref,when,what,where,legal view\nZQX-ROW-4471,2025-02-01,arrest,Dunmere,none\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "ids.toml"
    mapping.write_text(
        '[record]\nexternal_id = "case ref"\n[fields]\ntitle = "{what} in {where}"\n'
        'date = { column = "when" }\ncategory = { value = "civil-liberties" }\n'
        'severity = { value = "serious" }\nposture = { value = "reported" }\n'
        'warCrimeClassification = { column = "legal view" }\n',
        encoding="utf-8",
    )
    code, _, err = cw(tracker, "import", str(sheet), "--mapping", str(mapping),
                      "--status", "published")  # fmt: skip
    assert code == 0, err
    with open_tracker(tracker, os.environ.get("CASEWORK_DATABASE_URL")) as opened:
        assert opened.store.get("arrest-in-dunmere").record.external_id == "ZQX-ROW-4471"
    site = tmp_path / "site"
    code, _, err = cw(tracker, "build", "--out", str(site))
    assert code == 0, err
    files = [p for p in site.rglob("*") if p.is_file()]
    assert any(p.name == "arrest-in-dunmere.json" for p in files)  # the record is there
    assert not [p for p in files if b"ZQX-ROW-4471" in p.read_bytes()]
    code, out, _ = cw(tracker, "export", "--extensions", "-o", "-")
    assert code == 0 and "arrest-in-dunmere" in out and "ZQX-ROW-4471" not in out
    code, out, _ = cw(tracker, "export", "--all", "--extensions", "-o", "-")
    assert code == 0 and "ZQX-ROW-4471" in out  # the team's own export keeps it
    code, _, err = cw(tracker, "verify", str(site))
    assert code == 0, err


# --- places ---------------------------------------------------------------------------------

ACLED_MAPPING = str(SHEETS / "acled.toml")


def located(tracker: Path) -> dict[str, list[dict[str, object]]]:
    with open_tracker(tracker, os.environ.get("CASEWORK_DATABASE_URL")) as opened:
        return {
            s.record.external_id: [
                p.model_dump(mode="json", by_alias=True, exclude_none=True)
                for p in s.record.locations
            ]
            for s in opened.store.iter_records()
        }


def test_places_from_an_acled_sheet_refused_rows_named_and_reimport_idempotent(
    tracker: Path, tmp_path: Path
) -> None:
    sheet = Path(shutil.copy(SHEETS / "acled.csv", tmp_path / "acled.csv"))
    code, out, err = cw(tracker, "import", str(sheet), "--mapping", ACLED_MAPPING, "--dry-run")
    assert code == 0, err
    assert (
        f"refused: {sheet}: row 5: field locations.0.latitude: column 'latitude': '131.2' is not "
        "a latitude (decimal degrees, -90 to 90)" in err
    )
    assert (
        f"refused: {sheet}: row 6: field locations.0.country: column 'country': 'Kerrowland'" in err
    )
    assert history(tracker) == {}
    code, out, err = cw(tracker, "import", str(sheet), "--mapping", ACLED_MAPPING, "--skip-invalid")
    assert code == 0, err
    assert "5 new, 0 updated, 0 unchanged, 2 refused rows skipped" in out
    with (tmp_path / "acled.csv.refused.csv").open(encoding="utf-8") as f:
        report = list(csv.reader(f))
    assert [row[:2] for row in report] == [
        ["row", "field"],
        ["5", "locations.0.latitude"],
        ["6", "locations.0.country"],
    ]
    places = located(tracker)
    assert places["PSE3101"] == [
        {
            "name": "Beit Lahia",
            "adminArea": "North Gaza",
            "country": "PS",
            "latitude": 31.5502,
            "longitude": 34.4987,
            "precision": "town",
        }
    ]
    assert [p["country"] for p in places["UKR2207"]] == ["UA"]
    assert places["YEM0412"] == [{"adminArea": "Taizz", "country": "YE", "precision": "region"}]
    assert [p["country"] for p in places["RUS0090"]] == ["RU"]
    assert places["UNK0001"] == []
    first = history(tracker)
    code, out, _ = cw(tracker, "import", str(sheet), "--mapping", ACLED_MAPPING, "--skip-invalid")
    assert code == 0 and "0 new, 0 updated, 5 unchanged" in out
    assert history(tracker) == first and located(tracker) == places


def test_suggest_edit_import_publish_build_gives_the_places_file(
    tracker: Path, tmp_path: Path
) -> None:
    """The README's walk-through: suggest, edit what it marks REVIEW, dry-run, import, review
    and publish, build; the site's /data/incidents.geojson carries the published places at
    their published precision."""
    from casework.editing.service import Actor, Editing

    sheet = Path(shutil.copy(SHEETS / "acled.csv", tmp_path / "acled.csv"))
    mapping = tmp_path / "acled.toml"
    code, _, err = cw(tracker, "mapping", "suggest", str(sheet), "-o", str(mapping))
    assert code == 0, err
    text = mapping.read_text(encoding="utf-8")
    assert "[[locations]]" in text and "# REVIEW: these values name no single country" in text
    # The researcher's edits: Russia is RU; places published no finer than the town.
    text = (
        text.replace(
            'country = { column = "country", map = {} }',
            'country = { column = "country", map = { russia = "RU" } }',
        )
        .replace(
            'precision = { column = "geo_precision", map = { "1" = "town"',
            'precision = { column = "geo_precision", map = { "1" = "exact"',
        )
        .replace('# publishedPrecision = "town"', 'publishedPrecision = "town"')
    )
    mapping.write_text(text, encoding="utf-8")
    code, out, err = cw(tracker, "import", str(sheet), "--mapping", str(mapping), "--dry-run")
    assert code == 0 and "7 rows, 5 would import, 2 refused" in out, err
    code, out, err = cw(tracker, "import", str(sheet), "--mapping", str(mapping), "--skip-invalid")
    assert code == 0 and "5 new" in out, err
    places = located(tracker)
    assert places["PSE3101"][0]["latitude"] == 31.5502  # stored as known
    assert {p["country"] for ps in places.values() for p in ps} == {"PS", "UA", "YE", "RU"}
    # Review: a reviewer chooses the classification (the editor's form does this), then
    # publishes from the command line.
    with open_tracker(tracker, os.environ.get("CASEWORK_DATABASE_URL")) as opened:
        editing = Editing(opened.store, opened.config.site)
        slugs = {}
        for stored in opened.store.iter_records():
            slugs[stored.record.external_id] = stored.record.slug
            editing.save(
                Actor.operator("reviewer"),
                stored.record.model_copy(update={"war_crime_classification": "potential"}),
                base_revision=stored.revision,
            )
    for external_id in ("PSE3101", "YEM0412"):
        code, _, err = cw(tracker, "publish", slugs[external_id])
        assert code == 0, err
    site = tmp_path / "site"
    code, _, err = cw(tracker, "build", "--out", str(site))
    assert code == 0, err
    import json

    geojson = json.loads((site / "data" / "incidents.geojson").read_text(encoding="utf-8"))
    shown = sorted(
        (
            f["properties"]["slug"],
            f["properties"]["country"],
            f["properties"]["precision"],
            f["geometry"] and f["geometry"]["coordinates"],
        )
        for f in geojson["features"]
    )
    assert shown == sorted(
        [
            (slugs["PSE3101"], "PS", "town", [34.5, 31.6]),  # known exactly, shown to the town
            (slugs["YEM0412"], "YE", "region", None),
        ]
    )
    assert b"31.5502" not in (site / "data" / "incidents.geojson").read_bytes()
