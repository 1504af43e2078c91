"""How ingest's extractors and readers scale on hostile text: each one's time on an adversarial
corpus at 10 KB, 100 KB and 1 MB, and the growth ratio from one size to the next.

    .venv/bin/python benchmarks/extract_hostile.py [--all] [--only quotes,law] [--timeout 60]

Linear work grows ~10x per step (10 KB → 100 KB → 1 MB); quadratic work ~100x, and a
catastrophically backtracking regular expression far more. A ratio above 25 is marked "!" when
the larger time is over 0.25 s (below that, a shared machine's noise decides the ratio). Each
measurement runs in a forked process killed after --timeout seconds ("> 60 s"); once a size
times out the larger ones are not tried. Without --all, each extractor's line is its steepest
pattern. The corpus is one generator per kind of hostile text: runs of dots, ellipses, quotes
of every kind (and unclosed ones), spaces, digits with commas, capitalised words, "Article 1
of " repeated, nested brackets, "§", hyphens, "$", "%", one 1 MB sentence...
Its peer is the extraction budget (ingest/extract/budget.py, 10 s an article): a 1 MB text
that takes longer than that, linear as it is, is stopped by it.
"""

from __future__ import annotations

import argparse
import html
import itertools
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from multiprocessing.connection import Connection

from casework.ingest.article import Article, ReadError
from casework.ingest.extract.events import extract_events
from casework.ingest.extract.figures import extract_figures
from casework.ingest.extract.law import LawCatalog, extract_law
from casework.ingest.extract.names import KnownName, KnownNames, extract_mentions
from casework.ingest.extract.quotes import extract_quotes
from casework.ingest.extract.sentences import sentences
from casework.ingest.extract.tags import extract_tags
from casework.ingest.readers import read_bytes

SIZES = (10_000, 100_000, 1_000_000)
SUPERLINEAR = 25.0  # growth per 10x of text above which a step is marked
NOISE = 0.25  # seconds: below this, a machine shared with other work makes ratios meaningless


# --- the corpus -----------------------------------------------------------------------------


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _around(head: str, unit: str, tail: str) -> Callable[[int], str]:
    """`unit` repeated between a short head and tail (a run inside ordinary prose)."""
    return lambda size: head + _repeat(unit)(max(0, size - len(head) - len(tail))) + tail


def _halves(first: str, second: str) -> Callable[[int], str]:
    return lambda size: _repeat(first)(size // 2) + _repeat(second)(size - size // 2)


def _letters(n: int, width: int) -> str:
    return "".join(chr(ord("a") + (n // 26**i) % 26) for i in range(width))


def _distinct_names(size: int) -> str:
    """Sentences quoting ever new speakers ("“…,” said Baab Caabx."): no name repeats."""
    parts, total, n = [], 0, 0
    while total < size:
        part = f"“Words of the speaker here,” said B{_letters(n, 3)} C{_letters(n // 7, 3)}x. "
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)[:size]


CORPUS: dict[str, Callable[[int], str]] = {
    "prose": _repeat(
        "On Friday, at least 1,945 people were killed in Harwick, the ministry said. "
        "“We will not stop,” said Ana Lima of Harbour Watch, citing Article 8 of the Rome "
        "Statute. Prices rose by 9% to $2.5 million in 2024. "
    ),
    "dots": _around("It ended", ".", "x"),
    "dots+space": _repeat(". "),
    "ellipses": _around("It ended", "…", "x"),
    "dot-words": _repeat("a."),
    "initials": _repeat("U.S. "),
    "question-marks": _around("Why", "?!", "x"),
    "straight-quotes": _repeat('"'),
    "single-quotes": _repeat("'"),
    "curly-quotes": _repeat("“”"),
    "quote-kinds": _repeat("\"'“”‘’«»„‹›"),
    "unclosed-quote": _around("He said: “", "word ", ""),
    "open-quotes": _repeat("“a "),
    "short-quotes": _repeat('"a" '),
    "quoted-said": _repeat("“Words of the speaker here,” she said, "),
    "quoted-said-dot": _repeat("“Words of the speaker. Here,” she said, "),
    "quoted-names": _distinct_names,
    "speaker-run": _repeat("Ab " * 130 + "x said “a b c d.” "),
    "said-run": _repeat("“a b c d,” said " + "Ab " * 100 + ". "),
    "spaces": _around("It ended. ", " ", "x. Then"),
    "spaces-dates": _repeat("on Friday" + " " * 400),
    "tabs-newlines": _repeat("\t \n"),
    "newlines": _around("Title\n", "\n", "x"),
    "digits": _around("Some ", "1", " people"),
    "digits-commas": _around("Some ", "1,", "x"),
    "thousands": _repeat("1,000,"),
    "numbers": _repeat("1 2 3 4 5. "),
    "capitalised": _repeat("Word "),
    "capitalised-dot": _repeat("Word Word. "),
    "names": _repeat("Ben Linden of Amnesty International "),
    "article-of": _repeat("Article 1 of "),
    "article-of-law": _repeat("Article 1 of the Rome Statute "),
    "law-back-refs": _repeat("The Ottawa Convention and the convention "),
    "law-acronyms": _repeat("Court of Human Rights (ICC) "),
    "nested-parens": _halves("(", ")"),
    "open-parens": _repeat("(A "),
    "article-parens": _around("Article 8", "(2)", " of the Rome Statute"),
    "section-signs": _repeat("§"),
    "section-numbers": _repeat("§ 1, "),
    "hyphens": _around("A", "-", "x"),
    "word-hyphens": _repeat("a-"),
    "number-words": _around("", "one-", "onex"),
    "number-words-spaced": _repeat("twenty one "),
    "dollars": _repeat("$"),
    "money": _repeat("$1 "),
    "percent-signs": _repeat("%"),
    "percents": _repeat("1% "),
    "dates": _repeat("on 1 January 2020 and "),
    "months": _repeat("in June, "),
    "years": _repeat("in 2024 "),
    "weekdays": _repeat("Friday "),
    "datelines": _around("(Harwick", " on Friday", ""),
    "distinct-dates": lambda size: _repeat(
        "".join(
            f"on {d} {m} {y}" + " " * 400
            for y in range(1990, 2030)
            for m in ("January", "June")
            for d in range(1, 29)
        )
    )(size),
    "datelines-places": _repeat("WASHINGTON, New York, Sept 4 (Reuters) - "),
    "place-words": _repeat("Word, Word Word, "),
    "since-counts": _repeat("since 1986, 21 people since March "),
    "figure-periods": _repeat("in the period from August 7 to August 25 compared with "),
    "es-dates": _repeat("el pasado 10 de octubre de 2025 y desde el 1 y el 2 de julio "),
    "fr-dates": _repeat("entre le 10 et le 30 juillet et août 2024 de la mi-juillet "),
    "de-runs": _repeat("de la "),
    "es-weekdays": _repeat("este jueves pasado "),
    "indented-list": _halves(" ", "1. A "),
    "one-sentence": _repeat("word "),
    "one-long-word": _repeat("a"),
}

# A tracker's vocabulary and parties, for the tag and name extractors.
TAGS = (
    "landmines", "mine clearance", "ICE", "child soldiers", "detention", "press freedom",
    "civilians", "cluster munitions", "arbitrary detention", "refugees", "word", "a",
)  # fmt: skip
KNOWN = (
    ("Amnesty International", "organization"), ("Harbour Watch", "organization"),
    ("Ana Lima", "person"), ("Harwick", "place"),
)  # fmt: skip


def _article(text: str) -> Article:
    return Article(text=text, title="Hostile", published=date(2025, 6, 13), source="hostile")


def _known() -> KnownNames:
    known = KnownNames()
    for name, kind in KNOWN:
        known.add(name, KnownName(name, kind))  # type: ignore[arg-type]
    return known


def _read(content_type: str, suffix: str) -> Callable[[str], object]:
    def read(text: str) -> object:
        if content_type == "text/html":
            data = f"<html><body><article><p>{html.escape(text)}</p></article></body></html>"
        else:
            data = text
        try:
            return read_bytes(data.encode(), content_type, f"https://example.org/a{suffix}")
        except ReadError:
            return None  # refused (no article text): the time spent deciding is what counts

    return read


CATALOG = LawCatalog.default()
EXTRACTORS: dict[str, Callable[[str], object]] = {
    "sentences": sentences,
    "events": lambda text: extract_events(_article(text)),
    "events-es": lambda text: extract_events(replace(_article(text), language="es")),
    "events-fr": lambda text: extract_events(replace(_article(text), language="fr")),
    "figures": lambda text: extract_figures(_article(text)),
    "quotes": lambda text: extract_quotes(_article(text)),
    "names": lambda text: extract_mentions(_article(text), _known()),
    "law": lambda text: extract_law(_article(text), CATALOG),
    "tags": lambda text: extract_tags(_article(text), TAGS),
    "read-text": _read("text/plain", ".txt"),
    "read-markdown": _read("text/markdown", ".md"),
    "read-html": _read("text/html", ".html"),
}


# --- measuring ------------------------------------------------------------------------------


def _run(extractor: str, text: str, pipe: Connection) -> None:
    run = EXTRACTORS[extractor]
    best = float("inf")
    spent = 0.0
    for _ in range(3):  # the best of up to three runs, while they take under 0.2 s together
        began = time.perf_counter()
        run(text)
        took = time.perf_counter() - began
        best, spent = min(best, took), spent + took
        if spent > 0.2:
            break
    pipe.send(best)


def measure(extractor: str, text: str, timeout: float) -> float | None:
    """Seconds `extractor` takes on `text` (None: still running after `timeout`)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run, args=(extractor, text, send), daemon=True)
    process.start()
    try:
        if receive.poll(timeout):
            result: float = receive.recv()
            return result
        return None
    finally:
        process.kill()
        process.join()


def _seconds(value: float | None, timeout: float) -> str:
    if value is None:
        return f"> {timeout:.0f} s"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _ratio(before: float | None, after: float | None) -> tuple[str, float]:
    if before is None or after is None:
        return ("-", 0.0) if before is None else ("∞ !", float("inf"))
    ratio = after / max(before, 1e-6)
    if after < NOISE:
        return f"{ratio:.0f}", 0.0  # too short a time to tell growth from noise
    return f"{ratio:.0f}{' !' if ratio > SUPERLINEAR else ''}", ratio


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="extractors, comma-separated: " + ", ".join(EXTRACTORS))
    parser.add_argument("--patterns", help="corpus patterns, comma-separated")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="characters")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per measurement")
    parser.add_argument("--all", action="store_true", help="a line per extractor and pattern")
    args = parser.parse_args(argv)
    extractors = args.only.split(",") if args.only else list(EXTRACTORS)
    patterns = args.patterns.split(",") if args.patterns else list(CORPUS)
    sizes = [int(s) for s in args.sizes.split(",")]
    heading = "".join(f"{f'{s // 1000} KB':>12}" for s in sizes)
    growth = "".join(f"{'x' + str(i + 1):>7}" for i in range(len(sizes) - 1))
    print(f"{'extractor':<14}{'pattern':<22}{heading}{growth}")
    for extractor in extractors:
        worst: tuple[float, str, list[float | None], list[str]] | None = None
        for pattern in patterns:
            times: list[float | None] = []
            for size in sizes:
                if times and times[-1] is None:
                    times.append(None)  # the smaller text already timed out
                    continue
                times.append(measure(extractor, CORPUS[pattern](size), args.timeout))
            ratios = [_ratio(a, b) for a, b in itertools.pairwise(times)]
            steepest = max((r for _t, r in ratios), default=0.0)
            if args.all:
                _line(extractor, pattern, times, [t for t, _r in ratios], args.timeout)
            if worst is None or steepest > worst[0]:
                worst = (steepest, pattern, times, [t for t, _r in ratios])
        if worst is not None and not args.all:
            _line(extractor, worst[1], worst[2], worst[3], args.timeout)


def _line(
    extractor: str, pattern: str, times: list[float | None], ratios: list[str], timeout: float
) -> None:
    cells = "".join(
        f"{_seconds(t, timeout) if i == 0 or times[i - 1] is not None else 'skipped':>12}"
        for i, t in enumerate(times)
    )
    print(f"{extractor:<14}{pattern:<22}{cells}{''.join(f'{r:>7}' for r in ratios)}", flush=True)


if __name__ == "__main__":
    main()
