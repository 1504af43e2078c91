"""Validated scalar types shared by the record's parts."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, PlainSerializer, WithJsonSchema

from casework.model.wording import N_, Invalid

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f<>\"]")
# Scheme and a non-empty host; a regex, since urlsplit was the costliest step of validation.
_ABSOLUTE_HTTP = re.compile(r"^https?://[^/?#@\s]*@?[^/?#@\s:]+", re.IGNORECASE)


def parse_iso_date(value: Any) -> date:
    """Accept exactly `YYYY-MM-DD` (a string) or a `date`; anything else is an error."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise Invalid(
            N_("expected a date as YYYY-MM-DD, got %(value)s"), value=type(value).__name__
        )
    if not _ISO_DATE.match(value):
        raise Invalid(N_("expected a date as YYYY-MM-DD, got %(value)s"), value=repr(value))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(N_("%(value)s is not a real calendar date"), value=repr(value)) from None


def slugify(text: str, *, drop: frozenset[str] = frozenset(), max_words: int | None = None) -> str:
    """A slug made from `text`: ASCII letters and digits (accents folded, other characters
    dropped) joined by hyphens, words in `drop` left out unless nothing else is left, at most
    `max_words` words and 80 characters. Empty when `text` has no letter or digit."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    kept = [word for word in words if word not in drop] or words
    return "-".join(kept[:max_words])[:80].strip("-")


@lru_cache(maxsize=65_536)
def tag_slug(tag: str) -> str:
    """The slug of a tag's page (a tag with no letter or digit: "tag"). Here, beside
    `slugify`, for the store's page index (store/prepared.py) as for the pages."""
    return slugify(tag) or "tag"


def check_slug(value: str) -> str:
    if not SLUG_PATTERN.match(value):
        raise Invalid(
            N_(
                "%(value)s is not a slug: lower-case ASCII letters and digits joined by single "
                "hyphens"
            ),
            value=repr(value),
        )
    return value


def check_url(value: str) -> str:
    """An absolute http(s) URL, kept exactly as written (no normalisation: round trips)."""
    if _URL_FORBIDDEN.search(value):
        raise Invalid(
            N_("%(value)s is not a URL: it holds spaces or control characters"),
            value=repr(value[:80]),
        )
    if not _ABSOLUTE_HTTP.match(value):
        raise Invalid(N_("%(value)s is not an absolute http(s) URL"), value=repr(value[:80]))
    return value


# Each type's JSON Schema says what its validator checks (formats/schema.py publishes it).
IsoDate = Annotated[
    date,
    BeforeValidator(parse_iso_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _ISO_DATE.pattern}),
]
Slug = Annotated[
    str,
    AfterValidator(check_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN.pattern}),
]
Url = Annotated[
    str,
    AfterValidator(check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}),
]
