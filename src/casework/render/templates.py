"""The Jinja2 environment shared by the live site and the static build."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from casework.model import display_date


def human_date(value: date | str) -> str:
    """`2025-12-02` (a date or its ISO text) → `December 2, 2025`."""
    return display_date(date.fromisoformat(value) if isinstance(value, str) else value)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("casework.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["display_date"] = human_date
    return env
