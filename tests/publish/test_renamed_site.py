"""A published record renamed (`casework rename`): old addresses keep working on the live
site (301s; old versions and history still served) and in a static build (a moved page, a
redirect document, the old version files kept byte for byte); `casework verify` of the
tracker and of the built site stays clean; a draft's old slug shows nowhere. Both engines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from casework.cli import app as cli_app
from casework.config import load_config
from casework.editing import Actor, Editing
from casework.model import Status
from casework.model.roles import Role
from casework.store import open_store
from casework.store.base import Store
from casework.web.app import create_app
from tests.store.factories import make_record

runner = CliRunner()
RITA = Actor("rita", Role.reviewer)


@pytest.fixture(params=["sqlite", "postgres"])
def place(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    folder = tmp_path / "t"
    result = runner.invoke(cli_app, ["init", str(folder), "--url", "https://m.example.org"])
    assert result.exit_code == 0, result.stderr
    if request.param == "postgres":
        from tests.store.pg import fresh_database

        with fresh_database("casework_rename") as url:
            yield folder, url
    else:
        yield folder, f"sqlite:///{folder / 'tracker.db'}"


def cli(folder: Path, url: str, *args: str) -> str:
    result = runner.invoke(cli_app, ["--tracker", str(folder), "--db", url, *args])
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def seeded(store: Store, folder: Path) -> Editing:
    editing = Editing(store, load_config(folder).site)
    editing.create(RITA, make_record("harbor-closure", title="Harbour gates shut"))
    editing.move(RITA, "harbor-closure", Status.published, base_revision=1)
    editing.create(RITA, make_record("pier-arrests", relatedIncidents=["harbor-closure"]))
    editing.move(RITA, "pier-arrests", Status.published, base_revision=1)
    editing.create(RITA, make_record("zqxdraftold-name"))  # never public
    return editing


def test_a_published_record_renamed_keeps_its_old_addresses(
    place: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = place
    store = open_store(url)
    try:
        seeded(store, folder)
        site = tmp_path / "site"
        cli(folder, url, "build", "--out", str(site))
        cited = (site / "incident/harbor-closure/v/1.json").read_bytes()
        cli(folder, url, "rename", "harbor-closure", "harbour-closure")
        cli(folder, url, "rename", "zqxdraftold-name", "zqxdraftnew-name")
        related = store.get("pier-arrests").record.related_incidents
        assert related == ["harbour-closure"]
        now = store.get("harbour-closure")
        assert now.status is Status.published
        assert now.record.update_log[-1].summary.startswith("Renamed from harbor-closure")
        cli(folder, url, "build", "--out", str(site))
        cli(folder, url, "verify")
        cli(folder, url, "verify", str(site))

        # The static build: old version kept byte for byte, a moved page, a redirect document.
        assert (site / "incident/harbor-closure/v/1.json").read_bytes() == cited
        assert (site / "incident/harbour-closure/v/1.json").is_file()
        moved = (site / "incident/harbor-closure/index.html").read_text()
        assert 'http-equiv="refresh"' in moved and "incident/harbour-closure/" in moved
        assert '<link rel="canonical" href="https://m.example.org/incident/harbour-closure/">' in (
            moved
        )
        pointer = json.loads((site / "incident/harbor-closure.json").read_text())
        assert pointer["movedTo"] == "harbour-closure"
        history = json.loads((site / "incident/harbor-closure/history.json").read_text())
        assert [v["version"] for v in history["versions"]] == [1]
        built = [p.read_bytes() for p in site.rglob("*") if p.is_file()]
        assert len(built) > 20 and not [b for b in built if b"zqxdraft" in b]

        # The live app.
        client = TestClient(
            create_app(store, load_config(folder).site, folder, warm=False),
            follow_redirects=False,
        )
        for old, new in (
            ("/incident/harbor-closure/", "/incident/harbour-closure/"),
            ("/incident/harbor-closure.json", "/incident/harbour-closure.json"),
            ("/api/incidents/harbor-closure", "/api/incidents/harbour-closure"),
        ):
            answer = client.get(old)
            assert answer.status_code == 301 and answer.headers["location"] == new, old
            assert client.get(new).status_code == 200, new
        version = client.get("/incident/harbor-closure/v/1.json")
        assert version.status_code == 200 and version.content == cited
        assert client.get("/incident/harbor-closure/history.json").status_code == 200
        never = client.get("/incident/zqxnever-name/")
        for path in ("/incident/zqxdraftold-name/", "/incident/zqxdraftold-name.json",
                     "/api/incidents/zqxdraftold-name"):  # fmt: skip
            assert client.get(path).status_code == 404, path
        assert client.get("/incident/zqxdraftold-name/").content.replace(
            b"zqxdraftold-name", b"X"
        ) == never.content.replace(b"zqxnever-name", b"X")
    finally:
        store.close()
