"""FacetIndex's facet counts against a count made by hand over the same records: tags and
countries held by many records are counted as bitsets, the others over their (record, value)
pairs (`facets.ValueSets`); every way of counting must give the plain count."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np

from casework.store.base import Query
from casework.store.facets import FacetIndex, ValueSets, bitset

COUNTRIES = ["SY", "UA", "YE", "SD", "AF", "IQ", "LY", "ML"]


def _index(n: int, seed: int = 3) -> tuple[FacetIndex, dict[int, list[str]], dict[int, list[str]]]:
    """An index of `n` records: a few tags most records hold (bitsets), many that few hold
    (pairs), one that every record holds; ids with gaps, as deletions leave them."""
    rng = random.Random(seed)
    common = [f"common {i}" for i in range(6)]
    rare = [f"rare {i}" for i in range(300)]
    ids = sorted(rng.sample(range(1, 3 * n), n))
    tags: dict[int, list[str]] = {}
    countries: dict[int, list[str]] = {}
    rows = []
    for rid in ids:
        tags[rid] = ["everywhere", *rng.sample(common, rng.randint(0, 3)), *rng.sample(rare, 2)]
        countries[rid] = rng.sample(COUNTRIES, rng.randint(0, 2))
        rows.append(
            (rid, "published", rng.choice("ab"), "serious", "reported", "2020", False,
             "2020-01-02", f"t{rid}", ",".join(countries[rid]))
        )  # fmt: skip
    owners: dict[str, list[int]] = {}
    for rid, held in tags.items():
        for tag in held:
            owners.setdefault(tag, []).append(rid)
    groups = [(tag, ",".join(map(str, held))) for tag, held in owners.items()]
    return FacetIndex(1, rows, groups, {}), tags, countries


def _by_hand(chosen: list[int], held: dict[int, list[str]]) -> list[tuple[str, int]]:
    counted = Counter(value for rid in chosen for value in held[rid])
    return sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))


def test_tag_and_country_counts_are_the_plain_counts_for_any_selection() -> None:
    index, tags, countries = _index(3000)
    sets = index.value_sets("tag")
    assert 0 < len(sets.dense) < len(index.values["tag"])  # both ways are exercised
    assert len(sets.sparse_owner)
    allowed = index.allowed(Query())
    rng = random.Random(5)
    every = sorted(tags)
    for size in (0, 1, 7, 200, 1499, 1501, 2999, 3000):
        chosen = sorted(rng.sample(every, size))
        ids = np.array(chosen, dtype=np.int64)
        for counted in (index.counts(ids), index.counts(ids, allowed, "all")):
            assert counted["tag"] == _by_hand(chosen, tags)
            assert counted["country"] == _by_hand(chosen, countries)


def test_counts_after_a_patch_are_the_patched_records() -> None:
    index, tags, countries = _index(2000)
    index.counts(np.array(sorted(tags), dtype=np.int64))  # the sets of the old index are made
    first, second = sorted(tags)[:2]
    added = max(tags) + 130  # past the old index's last bitset word
    rows = [
        (rid, "published", "a", "serious", "reported", "2020", False, "2020-01-02", "t", "ML")
        for rid in (first, added)
    ]

    def read(unique: list[int]) -> tuple[list[object], list[object]]:
        return rows, [(first, "new tag"), (first, "common 1"), (added, "common 2")]

    patched = index.patched(2, read, [first, second, added])  # `second` has no row: it left
    assert set(patched._value_sets) == {"tag", "country"}  # carried over, not rebuilt
    tags[first], countries[first] = ["new tag", "common 1"], ["ML"]
    tags[added], countries[added] = ["common 2"], ["ML"]
    del tags[second], countries[second]
    chosen = sorted(tags)
    for part in (chosen, chosen[::3], [first, added]):
        counted = patched.counts(np.array(part, dtype=np.int64))
        assert counted["tag"] == _by_hand(part, tags)
        assert counted["country"] == _by_hand(part, countries)


def test_a_bitset_holds_record_id_i_at_bit_i() -> None:
    flags = np.zeros(130, dtype=np.bool_)
    flags[[0, 63, 64, 129]] = True
    words = bitset(flags)
    assert [int(w) for w in words] == [1 | 1 << 63, 1, 1 << 1]
    sets = ValueSets(130, np.array([63, 64, 129, 5]), np.array([0, 0, 0, 1]), 3)
    assert sets.count(flags, words).tolist() == [3, 0, 0]
