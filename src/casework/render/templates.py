"""The Jinja2 environment shared by the live site and the static build."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

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
    env.filters["place"] = place_label
    env.filters["month_name"] = month_name
    env.filters["by_month"] = by_month
    return env


def month_name(month: str) -> str:
    """`2021-03` → `March 2021`."""
    return date.fromisoformat(month + "-01").strftime("%B %Y")


def by_month(records: list[dict[str, Any]]) -> list[list[Any]]:
    """[YYYY-MM, [records]] in the order the records come: a year's timeline by month."""
    grouped: list[list[Any]] = []
    for record in records:
        month = record["date"][:7]
        if not grouped or grouped[-1][0] != month:
            grouped.append([month, []])
        grouped[-1][1].append(record)
    return grouped


_PRECISION_WORDS = {
    "exact": "exact location",
    "town": "town or city",
    "region": "region",
    "country": "country",
}


def place_label(location: Any) -> str:
    """A location as a record's page shows it: "School annex, Saada, Yemen (exact location)".
    Pages get records in their public form (publish/public_view.py), so this is what may be
    published: a lowered location's name is already gone, its point already rounded."""
    from casework.model.places import country_name

    parts = [location.name, location.admin_area, country_name(location.country)]
    words = _PRECISION_WORDS[location.shown_precision.value]
    return ", ".join(p for p in parts if p) + f" ({words})"
