"""A real store that notes every read of records made from anywhere but the public view.

What the public sees is made from records read through `casework.publish.public_view`; a
public module that read the store itself (as the build, the live site and the API all did
before issue 12) would bypass it. Wrapped around a real store, a ReadGuard answers as the
store does and notes each record read whose caller is not the public view's module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import casework.publish

# The Store protocol's reads of records and collections (not generation(): it reads none).
READS = frozenset(
    {
        "get",
        "exists",
        "iter_records",
        "count",
        "slugs",
        "versions",
        "history",
        "revision",
        "search",
        "get_collection",
        "collections",
    }
)
VIEW = str(Path(casework.publish.__file__).parent / "public_view.py")


class ReadGuard:
    def __init__(self, store: Any) -> None:
        self._store = store
        self.bypasses: list[str] = []  # "method from file:line"
        self.reads = 0

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
        if name not in READS:
            return found

        def read(*args: Any, **kwargs: Any) -> Any:
            caller = sys._getframe(1)
            self.reads += 1
            if caller.f_code.co_filename != VIEW:
                self.bypasses.append(f"{name} from {caller.f_code.co_filename}:{caller.f_lineno}")
            method: Callable[..., Any] = found
            return method(*args, **kwargs)

        return read
