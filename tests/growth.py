"""Work counted, not timed: the lines of casework's own code a call runs, a measure of how its
cost grows with its input that a busy machine cannot blur.

Twice the input should cost about twice the lines: a loop over everything before each item
(quadratic) makes it four times. A regular expression's own work is not counted (it runs in
C): tests of catastrophic backtracking use the watchdog instead.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import casework

SOURCE = str(Path(casework.__file__).resolve().parent)


def lines_run(function: Callable[..., Any], *args: Any) -> int:
    """How many lines of casework's code `function(*args)` runs."""
    count = 0

    def in_casework(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return in_casework

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return in_casework if frame.f_code.co_filename.startswith(SOURCE) else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        function(*args)
    finally:
        sys.settrace(previous)
    return count


def growth(function: Callable[[str], Any], unit: str, times: int) -> float:
    """How much more work `function` does on `unit` repeated 2 × `times` than `times`."""
    return lines_run(function, unit * (2 * times)) / lines_run(function, unit * times)
