"""A watchdog for tests of catastrophic slowness: the call runs in a forked process that is
killed when it has not finished in time.

A thread cannot be stopped while it runs a regular expression, and a timed assertion ("took <
N s") fails on a busy machine; a generous watchdog does neither. Each test that uses it says
in a comment what the fixed code takes and what the old code took: the limit sits far above
the first and far below the second.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import pytest


def _call(function: Callable[..., Any], args: tuple[Any, ...], pipe: Connection) -> None:
    try:
        pipe.send(("done", function(*args)))
    except BaseException as error:  # handed back to the test as it was
        pipe.send(("raised", error))


def finishes(seconds: float, function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)`, or a failed test when it is still running after `seconds`."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_call, args=(function, args, send), daemon=True)
    process.start()
    try:
        if not receive.poll(seconds):
            pytest.fail(f"{getattr(function, '__name__', function)} still ran after {seconds} s")
        outcome, value = receive.recv()
    finally:
        process.kill()
        process.join()
    if outcome == "raised":
        raise value
    return value
