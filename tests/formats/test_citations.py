"""BibTeX, RIS and CSL-JSON of a record: the fields a reference manager reads, and values that
stay values whatever text a record holds."""

from __future__ import annotations

import json
import re

import pytest

from casework.formats.citations import bibtex, bibtex_escape, csl_json, ris
from casework.model import Record, Site
from tests.store.factories import make_record

SITE = Site(url="https://tracker.example.org", title="Harbour Watch")
HOSTILE = 'Quote " and {brace} 100% & $5 #1 a_b \\cmd ~x ^y\nER  - \r\nTY  - JOUR </script> 東京 é'


def fields_of(entry: str) -> dict[str, str]:
    """BibTeX `name = {value}` lines (one per field, as casework writes them)."""
    out = {}
    for line in entry.splitlines()[1:-1]:
        name, _, value = line.strip().rstrip(",").partition(" = ")
        assert value.startswith("{") and value.endswith("}"), line
        out[name] = value[1:-1]
    return out


def balanced(text: str) -> bool:
    """Whether the unescaped braces of `text` nest properly."""
    depth = 0
    for match in re.finditer(r"\\.|[{}]", text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def test_bibtex_entry_has_the_record_fields() -> None:
    record = make_record("pier-arrests", title="Fishermen arrested", date="2022-05-01",
                         lastUpdated="2022-06-10")  # fmt: skip
    entry = bibtex(record, SITE)
    assert entry.startswith("@misc{pier-arrests,\n") and entry.endswith("}\n")
    fields = fields_of(entry)
    assert fields["title"] == "{Fishermen arrested}"
    assert fields["author"] == "{Harbour Watch}"
    assert fields["url"] == "https://tracker.example.org/incident/pier-arrests/"
    assert fields["date"] == "2022-05-01" and fields["year"] == "2022"
    # Given once; no access date (the reader's to give); the site is its organisation.
    assert not {"howpublished", "urldate", "publisher", "organization"} & set(fields)
    assert fields["note"] == "Published May 1, 2022. Updated June 10, 2022."
    assert fields["keywords"] == "harbour, movement"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("{x}", r"\{x\}"),
        ("100% & $5 #1 a_b", r"100\% \& \$5 \#1 a\_b"),
        ("\\cmd", r"\textbackslash{}cmd"),
        ("~x ^y", r"\textasciitilde{}x \textasciicircum{}y"),
        ("two\n\nlines\t here", "two lines here"),
        ("東京 é", "東京 é"),
    ],
)
def test_bibtex_escape(text: str, escaped: str) -> None:
    assert bibtex_escape(text) == escaped


def test_hostile_text_stays_inside_its_bibtex_field() -> None:
    record = make_record(title=HOSTILE, summary=HOSTILE, tags=["a}b", "c{"])
    entry = bibtex(record, Site(url="https://ex.org/a{b}", title="T } {"))
    lines = entry.splitlines()
    # One line per field: the newlines of the text did not start new lines.
    assert len(lines) == 2 + len(fields_of(entry))
    for value in fields_of(entry).values():
        assert balanced(value), value
    assert "東京" in fields_of(entry)["title"]
    assert fields_of(entry)["url"] == "https://ex.org/a%7Bb%7D/incident/harbour-closure/"


def ris_lines(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.split("\n")[:-1]:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, line
        out.append((match.group(1), match.group(2)))
    return out


def test_ris_entry() -> None:
    record = make_record("pier-arrests", date="2022-05-01", lastUpdated="2022-06-10")
    text = ris(record, SITE)
    assert text.endswith("ER  - \n") and "\r" not in text
    lines = ris_lines(text)
    assert lines[0] == ("TY", "ELEC")
    tags = dict(lines)
    assert tags["TI"] == record.title
    assert tags["UR"] == "https://tracker.example.org/incident/pier-arrests/"
    assert tags["DA"] == "2022/05/01/" and tags["PY"] == "2022"
    assert "Y2" not in tags and "T2" not in tags  # no access date; the site is its publisher
    assert tags["PB"] == tags["AU"] == "Harbour Watch"
    assert tags["AB"] == record.summary
    assert [value for tag, value in lines if tag == "KW"] == ["harbour", "movement"]


def test_newlines_in_a_ris_value_do_not_start_tags() -> None:
    record = make_record(
        title=HOSTILE, summary="a\u2028b\x85c\x00d\rER  - \nTY  - X", tags=["x\ny"]
    )
    lines = ris_lines(ris(record, SITE))
    assert [tag for tag, _ in lines].count("TY") == 1
    assert [tag for tag, _ in lines].count("ER") == 1 and lines[-1] == ("ER", "")
    tags = dict(lines)
    assert tags["AB"] == "a b cd ER - TY - X"
    assert tags["TI"].startswith('Quote " and {brace} 100% & $5 #1 a_b \\cmd ~x ^y ER - TY - JOUR')
    assert tags["KW"] == "x y"


def test_csl_json_item() -> None:
    record = make_record("pier-arrests", date="2022-05-01", lastUpdated="2022-06-10")
    item = csl_json(record, SITE)
    assert item["id"] == "pier-arrests"
    assert item["type"] == "document"
    assert item["URL"] == "https://tracker.example.org/incident/pier-arrests/"
    assert item["issued"] == {"date-parts": [[2022, 5, 1]]}
    assert item["author"] == [{"literal": "Harbour Watch"}]
    assert "container-title" not in item and "publisher" not in item and "accessed" not in item
    assert item["abstract"] == record.summary
    assert item["note"] == "Published May 1, 2022. Updated June 10, 2022."


def test_csl_json_keeps_hostile_text_as_data() -> None:
    record: Record = make_record(title=HOSTILE, summary=HOSTILE)
    item = csl_json(record, SITE)
    assert json.loads(json.dumps(item, ensure_ascii=False)) == item
    assert item["title"] == HOSTILE and item["abstract"] == HOSTILE


def test_a_citation_with_a_public_version_pins_it_and_the_seed_citation_stays() -> None:
    from casework.model.derived import citation

    record = make_record("pier-arrests")
    pinned = "https://tracker.example.org/incident/pier-arrests/v/3.json"
    fields = fields_of(bibtex(record, SITE, 3))
    assert fields["version"] == "3" and pinned in fields["note"]
    assert "version" not in fields_of(bibtex(record, SITE))
    lines = ris(record, SITE, 3).splitlines()
    assert "ET  - Version 3" in lines and any(pinned in line for line in lines if line[:2] == "N1")
    assert not any(line.startswith("ET") for line in ris(record, SITE).splitlines())
    item = csl_json(record, SITE, 3)
    assert item["version"] == "3" and pinned in item["note"]
    assert "version" not in csl_json(record, SITE)
    assert "v/" not in citation(record, SITE)  # the seed's citation string is as it was


def test_a_publisher_unlike_the_site_title_is_the_author_and_the_site_its_container() -> None:
    site = Site(url="https://tracker.example.org", title="Harbour Watch", publisher="Rights Co")
    record = make_record("pier-arrests")
    assert fields_of(bibtex(record, site))["author"] == "{Rights Co}"
    assert fields_of(bibtex(record, site))["howpublished"] == "Harbour Watch"
    tags = dict(ris_lines(ris(record, site)))
    assert (tags["AU"], tags["PB"], tags["T2"]) == ("Rights Co", "Rights Co", "Harbour Watch")
    item = csl_json(record, site)
    assert item["author"] == [{"literal": "Rights Co"}]
    assert item["container-title"] == "Harbour Watch"
