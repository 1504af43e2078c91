"""Markdown files: unsafe or malformed YAML, missing front matter, names that lie."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.formats import InvalidInput, read_markdown_folder, record_from_markdown
from casework.formats.markdown_files import MAX_DEPTH, read_markdown_file
from casework.model import Site
from tests.formats.helpers import FIXTURES

GOOD = (FIXTURES / "markdown" / "port-aldane-quay-closure.md").read_text(encoding="utf-8")
SLUG = "port-aldane-quay-closure"


def error_of(text: str, site: Site, name: str = f"{SLUG}.md") -> str:
    with pytest.raises(InvalidInput) as caught:
        record_from_markdown(text, Path("records") / name, site)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"records/{name}: ")
    return message


def test_alias_bomb_is_refused_before_it_expands(site: Site) -> None:
    # The classic "billion laughs": each level holds nine aliases of the one before.
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(8):
        name, previous = chr(98 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    bomb = "\n".join(lines)
    text = GOOD.replace("tags: []\n", "tags: []\n" + bomb + "\n")
    message = error_of(text, site)
    assert "YAML anchors and aliases (& and *) are not allowed" in message
    assert "line 17:" in message  # the first anchor, counted from the file's first line


def test_a_single_alias_is_refused_too(site: Site) -> None:
    text = GOOD.replace("victims: ''\nperpetrators: ''", "victims: &v ''\nperpetrators: *v")
    assert "anchors and aliases" in error_of(text, site)


def test_deep_nesting_is_refused(site: Site) -> None:
    deep = "extra: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    text = GOOD.replace("tags: []\n", f"tags: []\n{deep}\n")
    assert f"nested more than {MAX_DEPTH} levels deep" in error_of(text, site)


def test_nesting_within_the_cap_is_kept(site: Site) -> None:
    nested = "extra: " + "[" * 10 + "1" + "]" * 10
    text = GOOD.replace("tags: []\n", f"tags: []\n{nested}\n")
    record = record_from_markdown(text, Path(f"{SLUG}.md"), site)
    assert (record.model_extra or {})["extra"] == [[[[[[[[[[1]]]]]]]]]]


def test_malformed_yaml_names_the_line(site: Site) -> None:
    text = GOOD.replace("summary: The harbour", "summary: [The harbour")
    message = error_of(text, site)
    assert "malformed YAML" in message
    assert "line 7," in message or "line 8," in message


def test_bad_indentation_names_the_line(site: Site) -> None:
    text = GOOD.replace("category: humanitarian-aid", "  category: humanitarian-aid")
    message = error_of(text, site)
    assert message.startswith(f"records/{SLUG}.md: line 7, column ")


def test_missing_front_matter(site: Site) -> None:
    assert "no front matter" in error_of("# Just a heading\n", site)


def test_unclosed_front_matter(site: Site) -> None:
    assert "not closed" in error_of("---\nslug: x\n", site)


def test_front_matter_that_is_not_a_mapping(site: Site) -> None:
    assert "must be a mapping of keys, got list" in error_of("---\n- a\n- b\n---\n", site)
    assert "got nothing" in error_of("---\n---\nbody\n", site)


def test_file_name_must_match_slug(site: Site) -> None:
    message = error_of(GOOD, site, name="another-name.md")
    assert message == (
        f"records/another-name.md: record {SLUG}: field slug: the file name 'another-name.md' "
        f"does not match the slug (expected {SLUG}.md)"
    )


def test_wrong_types_and_bad_dates_name_the_field(site: Site) -> None:
    assert error_of(GOOD.replace("ongoing: true", "ongoing: maybe"), site).endswith(
        f"record {SLUG}: field ongoing: expected true or false, got 'maybe'"
    )
    assert error_of(GOOD.replace("date: 2023-07-09", "date: 2023-13-45"), site).endswith(
        "field date: '2023-13-45' is not a real calendar date"
    )
    assert error_of(GOOD.replace("title: Port", "title: 12 # Port"), site).endswith(
        "field title: expected a string, got 12"
    )


def test_values_json_cannot_hold_are_refused(site: Site) -> None:
    text = GOOD.replace("tags: []\n", "tags: []\nblob: !!binary aGVsbG8=\n")
    assert "field blob: a bytes is not a JSON value" in error_of(text, site)
    text = GOOD.replace("tags: []\n", "tags: []\nodd: {1: one}\n")
    assert "field odd: keys must be strings" in error_of(text, site)
    text = GOOD.replace("tags: []\n", "tags: []\nwhen: !!timestamp 2020-01-01\n")
    assert "not a JSON value" in error_of(text, site)


def test_python_tags_are_refused(site: Site) -> None:
    text = GOOD.replace("tags: []\n", "tags: !!python/object/apply:os.system ['true']\n")
    assert "malformed YAML" in error_of(text, site)


def test_reserved_keys_are_refused(site: Site) -> None:
    text = GOOD.replace("tags: []\n", "tags: []\n$bodyHtml: <script>x</script>\n")
    assert "field $bodyHtml: keys starting with '$' are reserved" in error_of(text, site)


def test_oversized_front_matter_is_refused(site: Site) -> None:
    padding = "padding: " + "x" * (1024 * 1024 + 10) + "\n"
    text = GOOD.replace("tags: []\n", "tags: []\n" + padding)
    assert "the front matter is over the 1 MB limit" in error_of(text, site)


def test_invalid_utf8_names_the_offset(site: Site, tmp_path: Path) -> None:
    data = GOOD.encode("utf-8")
    at = data.index(b"Port Aldane")
    path = tmp_path / f"{SLUG}.md"
    path.write_bytes(data[:at] + b"\xc3\x28" + data[at:])
    item = read_markdown_file(path, site)
    assert str(item.error) == f"{path}: not valid UTF-8: line 3, byte offset {at} (byte 0xc3)"


def test_a_folder_reports_bad_files_and_reads_the_rest(site: Site, tmp_path: Path) -> None:
    (tmp_path / f"{SLUG}.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "broken.md").write_text("no front matter here\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    items = list(read_markdown_folder(tmp_path, site))
    assert [item.ok for item in items] == [False, True]
    assert str(items[0].error).startswith(f"{tmp_path / 'broken.md'}: no front matter")


def test_a_folder_without_record_files(site: Site, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no record files"):
        read_markdown_folder(tmp_path, site)
    with pytest.raises(InvalidInput, match="not a folder"):
        read_markdown_folder(tmp_path / "missing", site)
