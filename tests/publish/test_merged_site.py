"""Two published records merged (`casework merge`): the duplicate's old addresses lead to
the record kept on the live site (301s; its old versions still served) and in a static build
(a moved page); `casework verify` of the tracker and of the built site stays clean;
`casework history KEEP` shows both chains. Both engines."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from casework.config import load_config
from casework.editing import Editing
from casework.model import Status
from casework.store import open_store
from casework.web.app import create_app
from tests.publish.test_renamed_site import RITA, cli, place
from tests.store.factories import make_record

__all__ = ["place"]  # the engine-parametrised tracker fixture


def test_two_published_records_merged_keep_the_duplicates_addresses(
    place: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = place
    store = open_store(url)
    try:
        editing = Editing(store, load_config(folder).site)
        editing.create(RITA, make_record("quay-fire", title="Fire at the quay"))
        editing.create(
            RITA,
            make_record(
                "quay-blaze",
                title="quay blaze (dup?)",
                tags=["fire"],
                keyPoints=["Two sheds burned down"],
            ),
        )
        for slug in ("quay-fire", "quay-blaze"):
            editing.move(RITA, slug, Status.published, base_revision=1)
        site = tmp_path / "site"
        cli(folder, url, "build", "--out", str(site))
        cited = (site / "incident/quay-blaze/v/1.json").read_bytes()
        out = cli(folder, url, "merge", "quay-fire", "quay-blaze", "--message", "same fire")
        assert "Merged quay-blaze into quay-fire" in out
        kept = store.get("quay-fire")
        assert "Two sheds burned down" in kept.record.key_points and "fire" in kept.record.tags
        assert kept.record.update_log[-1].summary.startswith("Merged with quay-blaze")
        history = cli(folder, url, "history", "quay-fire")
        assert "Was quay-blaze (revisions 1-2" in history and "same fire" in history
        cli(folder, url, "build", "--out", str(site))
        cli(folder, url, "verify")
        cli(folder, url, "verify", str(site))
        assert (site / "incident/quay-blaze/v/1.json").read_bytes() == cited
        moved = (site / "incident/quay-blaze/index.html").read_text()
        assert 'http-equiv="refresh"' in moved and "incident/quay-fire/" in moved

        client = TestClient(
            create_app(store, load_config(folder).site, folder, warm=False),
            follow_redirects=False,
        )
        for old, new in (
            ("/incident/quay-blaze/", "/incident/quay-fire/"),
            ("/incident/quay-blaze.json", "/incident/quay-fire.json"),
            ("/api/incidents/quay-blaze", "/api/incidents/quay-fire"),
        ):
            answer = client.get(old)
            assert answer.status_code == 301 and answer.headers["location"] == new, old
            assert client.get(new).status_code == 200, new
        version = client.get("/incident/quay-blaze/v/1.json")
        assert version.status_code == 200 and version.content == cited
        # A second merge of the same pair is refused in one line and changes nothing.
        from typer.testing import CliRunner

        from casework.cli import app as cli_app

        again = CliRunner().invoke(
            cli_app, ["--tracker", str(folder), "--db", url, "merge", "quay-fire", "quay-blaze"]
        )
        assert again.exit_code != 0 and "quay-blaze" in again.stderr
        assert store.get("quay-fire").revision == kept.revision
    finally:
        store.close()
