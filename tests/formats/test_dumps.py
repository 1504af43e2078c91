"""`dumps` is docs/format.md's `json.dumps(doc, indent=2, ensure_ascii=False)`, on every path."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.formats import dumps

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400)
@given(st.dictionaries(st.text(), VALUES))
def test_dumps_writes_the_bytes_format_md_defines(document: dict) -> None:
    assert dumps(document) == json.dumps(document, indent=2, ensure_ascii=False)


@settings(max_examples=200)
@given(st.lists(VALUES, max_size=4))
def test_a_list_too(document: list) -> None:
    # A record page's CSL-JSON is a list of one item.
    assert dumps(document) == json.dumps(document, indent=2, ensure_ascii=False)


def test_values_orjson_refuses_take_the_defined_path() -> None:
    for document in ({"lone": "\udc80"}, {"big": 2**80}, {"f": 1.5}, ["list", "at", "top"]):
        assert dumps(document) == json.dumps(document, indent=2, ensure_ascii=False)
