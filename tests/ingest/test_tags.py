"""Tags of the tracker's vocabulary found in an article's text."""

from __future__ import annotations

from casework.ingest.article import Article
from casework.ingest.extract.items import TagMatch
from casework.ingest.extract.tags import extract_tags, word_forms

TEXT = (
    "The Pentagon lifted limits on landmines on Tuesday.\n\n"
    "Mine clearance groups lost their funding, and a child was injured near Kestrel. "
    "Children in the border villages face unexploded ordnance for decades.\n\n"
    "ICE agents detained two aid workers. The ice on the river had melted."
)


def tags(vocabulary: list[str], text: str = TEXT) -> list[TagMatch]:
    return extract_tags(Article(text), vocabulary)


def test_plural_and_singular_match_both_ways() -> None:
    found = {m.tag: m.span.text for m in tags(["landmine", "children", "mine-clearance"])}
    assert found["landmine"] == "The Pentagon lifted limits on landmines on Tuesday."
    # "children" is first met in its singular form.
    assert found["children"].startswith("Mine clearance groups lost their funding")
    assert "mine-clearance" in found  # a slug's hyphen is a space in the text


def test_one_match_per_tag_at_its_first_sentence_in_text_order() -> None:
    found = tags(["unexploded-ordnance", "children", "landmines", "children"])
    assert [m.tag for m in found] == ["landmines", "children", "unexploded-ordnance"]
    span = found[1].span
    assert TEXT[span.start : span.end] == span.text


def test_capitals_in_a_tag_must_match_as_written() -> None:
    (ice,) = tags(["ICE"])
    assert ice.span.text == "ICE agents detained two aid workers."
    (river,) = tags(["river ice"], "Thick river ice trapped the boats.")
    assert river.tag == "river ice"
    assert tags(["ICE"], "The ice on the river had melted.") == []


def test_whole_words_only() -> None:
    text = "The minefield was determined to be unsafe; new reports arrived."
    assert tags(["mine", "news", "term"], text) == []
    assert [m.tag for m in tags(["minefield", "report"], text)] == ["minefield", "report"]


def test_multiword_tags_need_their_words_side_by_side() -> None:
    assert tags(["aid cuts"], "Aid groups warned that the cuts would be deep.") == []
    assert [m.tag for m in tags(["aid cuts"], "Deep aid cuts closed the clinic.")] == ["aid cuts"]


def test_word_forms() -> None:
    assert set(word_forms("policy")) == {"policy", "policies"}
    assert set(word_forms("policies")) == {"policy", "policies"}
    assert set(word_forms("box")) == {"box", "boxes"}
    assert set(word_forms("woman")) == {"woman", "women"}
    assert set(word_forms("news")) == {"news"}
    assert set(word_forms("mines")) == {"mine", "mines"}


def test_empty_inputs() -> None:
    assert tags([]) == []
    assert tags(["landmines"], "") == []
    assert tags(["", "  ", "---"]) == []
