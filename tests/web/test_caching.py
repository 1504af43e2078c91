"""The API's cache of rendered answers: kept per store generation, dropped least recently
used past its byte budget, and never answering for an older generation."""

from __future__ import annotations

from casework.web.caching import ResponseCache, etag_of


def test_an_answer_is_kept_for_its_generation_only() -> None:
    cache = ResponseCache(budget=1_000)
    etag = cache.put("a", 7, b"alpha")
    assert etag == etag_of(b"alpha")
    assert cache.get("a", 7) == (b"alpha", etag)
    assert cache.get("a", 8) is None  # the store changed since: made again
    assert (cache.hits, cache.misses) == (1, 1)


def test_least_recently_used_answers_go_first_past_the_budget() -> None:
    cache = ResponseCache(budget=10)
    cache.put("a", 1, b"aaaa")
    cache.put("b", 1, b"bbbb")
    assert cache.get("a", 1) is not None  # "a" is now the most recently used
    cache.put("c", 1, b"cccc")  # 12 bytes > 10: "b" goes
    assert cache.get("b", 1) is None
    assert cache.get("a", 1) is not None and cache.get("c", 1) is not None


def test_a_zero_budget_keeps_nothing() -> None:
    cache = ResponseCache(budget=0)
    cache.put("a", 1, b"x")
    assert cache.get("a", 1) is None


def test_if_none_match_compares_weakly_and_if_match_strongly() -> None:
    from casework.web.caching import strong_match, weak_form, weak_match

    assert weak_form('"a"') == 'W/"a"' and weak_form('W/"a"') == 'W/"a"'
    for header in ('"a"', 'W/"a"', ' "b" , W/"a"', "*"):
        assert weak_match(header, '"a"') and weak_match(header, 'W/"a"'), header
    for header in ('"b"', 'W/"b", "c"', "", '"A"', "a"):
        assert not weak_match(header, '"a"'), header
    assert strong_match('"a"', '"a"') and strong_match('"b", "a"', '"a"')
    assert strong_match("*", '"a"')
    for header, etag in (('W/"a"', '"a"'), ('"a"', 'W/"a"'), ('W/"a"', 'W/"a"'), ('"b"', '"a"')):
        assert not strong_match(header, etag), (header, etag)
