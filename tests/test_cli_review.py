"""`casework review ID --target SLUG` (and `--new-draft`): the record of an ambiguous proposal
chosen on the command line, on a real tracker, the proposal made again from the article read
at ingest against that record, then reviewed and applied as ever (cli/ingest.py, issue 15)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casework.cli import app
from casework.ingest.pipeline import load_proposal
from casework.store import open_store
from tests.fixtures import review
from tests.test_cli import cw, one_line_error


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    folder = tmp_path / "t"
    assert cw(tmp_path, "init", str(folder), "--url", "https://m.example.org")[0] == 0
    store = open_store(folder / "tracker.db")
    try:
        review.seed(store)
    finally:
        store.close()
    return folder


def ingested(tracker: Path, article: Path) -> str:
    """The id of the proposal `casework ingest` made of `article`: ambiguous."""
    code, out, err = cw(tracker, "ingest", str(article), "--url", review.URL)
    assert code == 0, err
    assert "Ambiguous" in out and "casework review ID --target SLUG" in " ".join(out.split())
    found = re.search(r"Proposal (\S+) for", out)
    assert found
    return found.group(1)


def test_the_operator_chooses_a_record_and_its_items_are_made_for_it(
    tracker: Path, tmp_path: Path
) -> None:
    proposal_id = ingested(tracker, review.ARTICLE)
    code, out, _ = cw(tracker, "proposals")
    assert code == 0 and "to choose" in out
    code, out, err = cw(
        tracker, "review", proposal_id, "--target", review.BRANNOCK, "--accept", "all"
    )
    assert code == 0, err
    text = " ".join(out.split())
    assert f"Made again for {review.BRANNOCK}" in text
    assert "(possible inconsistency)" in text  # the article's 4 killed, the record's 3
    assert f"{review.BRANNOCK} is at revision 2" in text
    store = open_store(tracker / "tracker.db")
    try:
        record = store.get(review.BRANNOCK).record
        kept = load_proposal(store, proposal_id)
    finally:
        store.close()
    assert review.URL in {s.url for s in record.sources}
    assert record.tags.count("water") == 1  # the record had it: not proposed again
    assert kept.status == "applied" and kept.target == review.BRANNOCK
    assert kept.match["chosen"] == review.BRANNOCK and kept.match["revision"] == 1
    # Decided: choosing again is refused.
    code, _, err = cw(tracker, "review", proposal_id, "--target", review.CARROW)
    one_line_error(code, err, "applied, not open")


def test_items_are_asked_one_by_one_for_the_chosen_record(tracker: Path) -> None:
    proposal_id = ingested(tracker, review.ARTICLE)
    result = CliRunner().invoke(
        app,
        ["--tracker", str(tracker), "review", proposal_id, "--target", review.CARROW],
        input="y\nq\n",
    )
    assert result.exit_code == 0, result.stderr
    assert "Accepted 1 of" in result.stdout
    store = open_store(tracker / "tracker.db")
    try:
        assert store.get(review.CARROW).revision == 2
        assert review.URL in {s.url for s in store.get(review.CARROW).record.sources}
        assert store.get(review.BRANNOCK).revision == 1
    finally:
        store.close()


def test_any_record_for_the_operator_and_a_new_draft(tracker: Path) -> None:
    # The command line acts as the operator, an admin: any record, not only the candidates.
    first = ingested(tracker, review.ARTICLE)
    code, out, err = cw(tracker, "review", first, "--target", review.ELSEWHERE, "--accept", "1")
    assert code == 0, err
    assert f"{review.ELSEWHERE} is at revision 2" in " ".join(out.split())
    second = ingested(tracker, review.ARTICLE)
    code, out, err = cw(tracker, "review", second, "--new-draft", "--accept", "all")
    assert code == 0, err
    assert "water-runs-dry-again-in-orrin" in out and "is at revision 1" in out


def test_what_cannot_be_chosen_is_refused_in_one_line(tracker: Path, tmp_path: Path) -> None:
    copy = tmp_path / "orrin.md"
    shutil.copyfile(review.ARTICLE, copy)
    proposal_id = ingested(tracker, copy)
    code, _, err = cw(tracker, "review", proposal_id, "--target", "no-such-record")
    one_line_error(code, err, "no-such-record")
    code, _, err = cw(tracker, "review", proposal_id, "--target", review.BRANNOCK, "--new-draft")
    one_line_error(code, err, "--new-draft")
    # The file was rewritten since it was read: it is not what the proposal was made from.
    copy.write_text(copy.read_text("utf-8") + "\nA paragraph added later.\n", "utf-8")
    code, _, err = cw(
        tracker, "review", proposal_id, "--target", review.BRANNOCK, "--accept", "all"
    )
    one_line_error(code, err, "changed since it was ingested")
    store = open_store(tracker / "tracker.db")
    try:
        assert store.get(review.BRANNOCK).revision == 1
        assert load_proposal(store, proposal_id).status == "open"
    finally:
        store.close()
