"""Work counted, not timed: the lines of code a call runs (casework's own, or the libraries'
named), a measure of how its cost grows with its input that a busy machine cannot blur.

Twice the input should cost about twice the lines: a loop over everything before each item
(quadratic) makes it four times. A regular expression's own work is not counted (it runs in
C): tests of catastrophic backtracking use the watchdog instead.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import casework


def lines_run(
    function: Callable[..., Any], *args: Any, packages: tuple[ModuleType, ...] = (casework,)
) -> int:
    """How many lines of `packages`' code (casework's by default) `function(*args)` runs."""
    sources = tuple(str(Path(str(package.__file__)).resolve().parent) for package in packages)
    count = 0

    def counted(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return counted

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return counted if frame.f_code.co_filename.startswith(sources) else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        function(*args)
    finally:
        sys.settrace(previous)
    return count


def growth(
    function: Callable[[str], Any],
    unit: str,
    times: int,
    packages: tuple[ModuleType, ...] = (casework,),
) -> float:
    """How much more work `function` does on `unit` repeated 2 × `times` than `times`."""
    twice = lines_run(function, unit * (2 * times), packages=packages)
    return twice / lines_run(function, unit * times, packages=packages)
