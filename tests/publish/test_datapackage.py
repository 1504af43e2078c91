"""/data/datapackage.json, checked by Frictionless (the package, records.csv against its Table
Schema, each file's size and SHA-256) and the JSON files against the JSON Schemas it names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from frictionless import validate
from jsonschema import Draft202012Validator

from casework.examples import generate_records
from casework.formats.schema import schema_files
from casework.model import Site
from casework.publish.datafiles import write_data_files

SITE = Site(url="https://m.example.org", title="Monitor", license="ODbL-1.0", publisher="M Org")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    records = list(generate_records(30, seed=5, site=SITE))
    write_data_files(records, SITE, folder, generated_at="2026-04-08T03:57:56.460Z")
    return folder


def test_frictionless_finds_the_package_and_the_csv_valid(data: Path) -> None:
    report = validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "type", "note"])
    table = next(task for task in report.tasks if task.name == "records.csv")
    assert table.stats["rows"] == 30 and table.stats["fields"] == 33


def test_every_data_file_is_described_with_its_licence(data: Path) -> None:
    package = json.loads((data / "datapackage.json").read_text())
    assert package["licenses"] == [
        {
            "name": "ODbL-1.0",
            "path": "https://opendatacommons.org/licenses/odbl/1-0/",
            "title": "Open Data Commons Open Database License v1.0",
        }
    ]
    assert package["contributors"] == [{"title": "M Org", "role": "publisher"}]
    listed = {resource["path"] for resource in package["resources"]}
    on_disk = {p.name for p in data.iterdir() if p.name != "datapackage.json"}
    assert listed == on_disk


def test_a_changed_byte_makes_the_package_invalid(data: Path, tmp_path: Path) -> None:
    for path in data.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    records = tmp_path / "records.json"
    records.write_bytes(records.read_bytes().replace(b"m.example.org", b"n.example.org", 1))
    report = validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert "hash-count" in {row[0] for row in report.flatten(["type"])}


def test_a_csv_cell_of_the_wrong_type_is_found(data: Path, tmp_path: Path) -> None:
    for path in data.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    package = json.loads((data / "datapackage.json").read_text())
    for resource in package["resources"]:  # only the CSV changes here: no hash to trip on
        resource.pop("hash", None), resource.pop("bytes", None)
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    csv = tmp_path / "records.csv"
    lines = csv.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",false,", ",maybe,", 1).replace(",true,", ",maybe,", 1)
    csv.write_text("\n".join(lines), encoding="utf-8")
    report = validate(str(tmp_path / "datapackage.json"))
    assert "type-error" in {row[0] for row in report.flatten(["type"])}


def test_the_json_files_follow_the_schemas_the_package_names(data: Path) -> None:
    schemas = {s["$id"]: s for s in schema_files(SITE.url).values()}
    package = json.loads((data / "datapackage.json").read_text())
    named = {r["path"]: r["jsonSchema"] for r in package["resources"] if "jsonSchema" in r}
    check = Draft202012Validator.FORMAT_CHECKER
    archive = schemas[named["records.json"]]
    Draft202012Validator(archive, format_checker=check).validate(
        json.loads((data / "records.json").read_text())
    )
    record = Draft202012Validator(schemas[named["records.ndjson"]], format_checker=check)
    for line in (data / "records.ndjson").read_text().splitlines():
        record.validate(json.loads(line))


def test_a_built_sites_data_folder_is_one_valid_package(tmp_path: Path) -> None:
    """`casework build` of a tracker with a signing key: the evidence files (the public log,
    the checkpoints, the public key) are in /data/ too, and the package names every file."""
    from typer.testing import CliRunner

    from casework.cli import app as cli_app
    from casework.model import Status
    from casework.store import open_store

    runner = CliRunner()
    folder, site = tmp_path / "t", tmp_path / "site"
    assert runner.invoke(cli_app, ["init", str(folder)]).exit_code == 0
    store = open_store(folder / "tracker.db")
    records = list(generate_records(6, seed=2))
    store.import_records(records[:4], author="a", message="m", status=Status.published)
    store.import_records(records[4:], author="a", message="m", status=Status.draft)
    store.close()
    built = runner.invoke(cli_app, ["--tracker", str(folder), "build", "--out", str(site)])
    assert built.exit_code == 0, built.output
    data = site / "data"
    package = json.loads((data / "datapackage.json").read_text())
    listed = {resource["path"] for resource in package["resources"]}
    on_disk = {p.name for p in data.iterdir()} - {"datapackage.json", "index.html"}
    assert {"log.json", "checkpoints.json", "public-key.txt"} <= listed
    assert listed == on_disk
    report = validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "type", "note"])
    table = next(task for task in report.tasks if task.name == "records.csv")
    assert table.stats["rows"] == 4  # the drafts are in no file
