"""The sentence splitter: every extracted item shows an editor the sentence it came from, so a
sentence cut in two (or two run together) is what the editor would read wrongly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.ingest.extract.sentences import sentence_at, sentences
from tests.watchdog import finishes


def split(text: str) -> list[str]:
    return [span.text for span in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. State Department objected. Dr. Amal Haddad and Mr. Ruiz disagreed.",
            ["The U.S. State Department objected.", "Dr. Amal Haddad and Mr. Ruiz disagreed."],
        ),
        (
            "Sanctions were imposed by the U.S. The ministry called them unlawful.",
            ["Sanctions were imposed by the U.S.", "The ministry called them unlawful."],
        ),
        (
            "The order took effect on Jan. 6 under Decree No. 14 and Art. 8 of the code. It was "
            "challenged in court.",
            [
                "The order took effect on Jan. 6 under Decree No. 14 and Art. 8 of the code.",
                "It was challenged in court.",
            ],
        ),
        (
            "Prices rose 9.5% in March. Rents rose by $2.5 million in total.",
            ["Prices rose 9.5% in March.", "Rents rose by $2.5 million in total."],
        ),
        (
            '"We were never warned," he said. "Never." The army declined to comment.',
            ['"We were never warned," he said.', '"Never."', "The army declined to comment."],
        ),
        (
            "“Nobody showed us an order.” The families left that night.",
            ["“Nobody showed us an order.”", "The families left that night."],
        ),
        (
            '"Is this what justice looks like?" she asked. Nobody answered.',
            ['"Is this what justice looks like?" she asked.', "Nobody answered."],
        ),
        (
            "Mines killed 1,945 people in 2024—the highest toll since 2020. The strike — the third "
            "this month — hit a school.",
            [
                "Mines killed 1,945 people in 2024—the highest toll since 2020.",
                "The strike — the third this month — hit a school.",
            ],
        ),
        (
            "President John F. Kennedy spoke at 5 p.m. on Friday. Acme Inc. The firm denied it.",
            [
                "President John F. Kennedy spoke at 5 p.m. on Friday.",
                "Acme Inc.",
                "The firm denied it.",
            ],
        ),
        (
            "A heading with no full stop\n\nThe first paragraph. Its second sentence",
            ["A heading with no full stop", "The first paragraph.", "Its second sentence"],
        ),
        (
            "Demands:\n1. Release the detainees.\n2. Open the camps to monitors",
            ["Demands:", "1. Release the detainees.", "2. Open the camps to monitors"],
        ),
        ("See Art. IV of the treaty. Then vote.", ["See Art. IV of the treaty.", "Then vote."]),
    ],
)
def test_splits_where_a_reader_would(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_offsets_index_the_text_exactly() -> None:
    text = "  First one.   Second one!\n\n\n  Third?  "
    spans = sentences(text)
    assert [(span.start, span.end) for span in spans] == [(2, 12), (15, 26), (31, 37)]
    assert all(text[span.start : span.end] == span.text for span in spans)


def test_sentence_at_finds_the_sentence_holding_an_offset() -> None:
    text = "Twelve people died. The army left on Friday."
    spans = sentences(text)
    assert sentence_at(spans, text.index("Friday")) == spans[1]
    assert sentence_at(spans, text.index("Twelve")) == spans[0]
    assert sentence_at(spans, text.index(" The")) is None  # the space between them


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert sentences("") == []
    assert sentences(" \n\n \t") == []


@given(st.text(alphabet=st.sampled_from(list("ab .!?\"”'\n—U.S9")), max_size=200))
def test_spans_are_ordered_exact_and_cover_every_visible_character(text: str) -> None:
    spans = sentences(text)
    covered = 0
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end
        assert text[span.start : span.end] == span.text
        assert span.text == span.text.strip()
        covered += sum(1 for char in span.text if not char.isspace())
        previous_end = span.end
    assert covered == sum(1 for char in text if not char.isspace())


@pytest.mark.parametrize("run", [".", "…", "?!"])
def test_a_long_run_of_end_marks_is_read_once(run: str) -> None:
    # A run not followed by a space was read to its end again from each of its marks: 10 KB
    # took 1.2 s, so these 100,000 marks some two minutes. Read once: ~0.05 s.
    text = "It ended" + run * 100_000 + "and so on. Then it began."
    assert finishes(10, split, text) == [
        "It ended" + run * 100_000 + "and so on.",
        "Then it began.",
    ]


def test_numbered_lines_after_a_long_indent_are_read_once() -> None:
    # "1." was tested for a list item's number from the line's start, across the whole indent,
    # at every full stop: over 5 minutes here. From the line's first character: ~0.7 s.
    text = " " * 1_000_000 + "1. A " * 20_000
    spans = finishes(90, sentences, text)
    # The first "1." opens a list item; each one after "A" ends a sentence.
    assert [span.text for span in spans[:3]] == ["1. A 1.", "A 1.", "A 1."]
    assert len(spans) == 20_000 and spans[0].start == 1_000_000 and spans[-1].text == "A"


def test_an_underscore_before_an_abbreviated_month_does_not_end_the_sentence() -> None:
    text = "_Oct. 9, Judge Ana Ruiz ordered the men released."
    assert [s.text for s in sentences(text)] == [text]
