"""What every reader in `formats` shares: the `Item` it yields and the checks every incoming
record passes whatever its form (reserved keys, validation, warnings about unknown keys and
derived values)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from casework.formats.errors import InvalidInput, from_validation_error, show_value
from casework.model import Record, Site, derived_mismatches


@dataclass
class Item:
    """One record read from an input, or the error that kept it from being read.

    `location` says where it came from (`records.ndjson: line 7`); `warnings` are one-line
    notes (unknown keys kept, derived values that disagree, HTML that needed sanitizing) that
    do not stop the record from being imported.
    """

    location: str
    record: Record | None = None
    error: InvalidInput | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.record is not None and self.error is None


def location_of(file: str, position: str | None) -> str:
    return f"{file}: {position}" if position else file


def slug_in(data: dict[str, Any]) -> str | None:
    """The slug an input record claims, for naming it in messages (even if it is invalid)."""
    slug = data.get("slug")
    if isinstance(slug, str) and slug and len(slug) <= 200:
        return slug
    return None


def check_reserved_keys(data: dict[str, Any], *, file: str, position: str | None) -> None:
    """Refuse `$`-keys: they name casework's internal fields (`$body`, `$bodyHtml`,
    `$anchors`), and taking them from a file would let an input set stored HTML unsanitized."""
    for key in data:
        if isinstance(key, str) and key.startswith("$"):
            raise InvalidInput(
                "keys starting with '$' are reserved for casework's own use",
                file=file,
                slug=slug_in(data),
                position=position,
                field=key,
            )


def validate_record(data: dict[str, Any], site: Site, *, file: str, position: str | None) -> Record:
    """`data` (a camelCase record dict) as a Record, vocabulary keys checked against `site`;
    raises InvalidInput naming the first failing field."""
    check_reserved_keys(data, file=file, position=position)
    try:
        return Record.model_validate(data, context={"site": site})
    except ValidationError as error:
        raise from_validation_error(
            error, file=file, slug=slug_in(data), position=position
        ) from None
    except RecursionError:
        raise InvalidInput(
            "nested too deeply", file=file, slug=slug_in(data), position=position
        ) from None


def note(message: str, *, file: str, slug: str, field: str | None = None) -> str:
    """A one-line warning in the same shape as an InvalidInput."""
    return str(InvalidInput(message, file=file, slug=slug, field=field))


def unknown_key_warnings(record: Record, *, file: str) -> list[str]:
    if not record.has_unknown_keys():  # the common case, answered without building paths
        return []
    return [
        note("unknown key, kept as given", file=file, slug=record.slug, field=path)
        for path in record.unknown_key_paths()
    ]


def derived_warnings(
    record: Record, site: Site, *, file: str, skip: tuple[str, ...] = ()
) -> list[str]:
    """One warning per derived value given in the input that differs from what casework
    computes (docs/format.md: reported, never silently trusted)."""
    return [
        note(
            f"given {show_value(given)} differs from the computed {show_value(computed)}"
            " (derived: the computed value is what casework writes)",
            file=file,
            slug=record.slug,
            field=key,
        )
        for key, (given, computed) in derived_mismatches(record, site).items()
        if key not in skip
    ]


def check_plain_data(value: Any, *, file: str, slug: str | None, path: str) -> None:
    """Refuse values a JSON document could not hold (YAML can make sets, bytes, non-string
    keys, NaN): a record must survive storage and export as JSON."""
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(
                f"{value!r} is not a finite number", file=file, slug=slug, field=path
            )
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            check_plain_data(item, file=file, slug=slug, path=f"{path}.{index}")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidInput(
                    f"keys must be strings, got {show_value(key)}", file=file, slug=slug, field=path
                )
            check_plain_data(item, file=file, slug=slug, path=f"{path}.{key}" if path else key)
        return
    raise InvalidInput(
        f"a {type(value).__name__} is not a JSON value", file=file, slug=slug, field=path or None
    )


__all__ = [
    "Item",
    "check_plain_data",
    "check_reserved_keys",
    "derived_warnings",
    "location_of",
    "note",
    "slug_in",
    "unknown_key_warnings",
    "validate_record",
]
