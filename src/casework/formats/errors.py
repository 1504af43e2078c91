"""Bad input as a type: `InvalidInput` names the file, the record and the field, on one line.

Every reader in `formats` reports problems with it, so that the CLI can print them the same
way whatever the input form was: `records.json: record some-slug: field sources.2.url: ...`.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

# Longest rendering of a bad value inside a message: enough to recognise it, not a whole body.
_VALUE_LIMIT = 60


class InvalidInput(Exception):
    """One problem with input data.

    `file` is the input path as given, `slug` the record's slug when known, `position` where
    the record sits when there is no slug to name it (`record 3`, `line 7`), `field` a dotted
    camelCase path (`timeline.3.date`) or None. `str()` is always a single line.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        slug: str | None = None,
        position: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.slug = slug
        self.position = position
        self.field = field
        super().__init__(str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only parts survive pickling (a bulk import reads in another process).
        return (_rebuild, (self.message, self.file, self.slug, self.position, self.field))

    @property
    def record(self) -> str | None:
        """The record's slug, or its position (`record 3`, `line 7`) when it has none."""
        return self.slug or self.position

    def located(
        self,
        *,
        file: str | None = None,
        slug: str | None = None,
        position: str | None = None,
    ) -> InvalidInput:
        """A copy with the location parts it lacks filled in."""
        return InvalidInput(
            self.message,
            file=self.file or file,
            slug=self.slug or slug,
            position=self.position or position,
            field=self.field,
        )

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.position and not self.slug:
            parts.append(self.position)
        if self.slug:
            parts.append(f"record {self.slug}")
        if self.field:
            parts.append(f"field {self.field}")
        parts.append(self.message)
        return one_line(": ".join(parts))


def _rebuild(
    message: str, file: str | None, slug: str | None, position: str | None, field: str | None
) -> InvalidInput:
    return InvalidInput(message, file=file, slug=slug, position=position, field=field)


def one_line(text: str) -> str:
    """`text` with every line break turned into a visible `\\n`, so a message stays one line."""
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")


def show_value(value: Any) -> str:
    """A short, one-line rendering of a bad input value for an error message."""
    if isinstance(value, str):
        shown = repr(value if len(value) <= _VALUE_LIMIT else value[:_VALUE_LIMIT] + "…")
    elif isinstance(value, bool) or value is None:
        shown = "true" if value is True else "false" if value is False else "null"
    elif isinstance(value, int | float):
        shown = repr(value)
    elif isinstance(value, dict):
        shown = "an object"
    elif isinstance(value, list):
        shown = "an array"
    else:
        shown = type(value).__name__
    return one_line(shown)


def _dotted(loc: tuple[int | str, ...]) -> str | None:
    parts = [str(part) for part in loc]
    return ".".join(parts) if parts else None


_TYPE_WORDS = {
    "string_type": "expected a string",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "list_type": "expected a list",
    "dict_type": "expected an object",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "missing": "missing: this key is required",
}


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _TYPE_WORDS["missing"]
    if kind in _TYPE_WORDS:
        return f"{_TYPE_WORDS[kind]}, got {show_value(error.get('input'))}"
    message = str(error.get("msg", "invalid value"))
    # pydantic prefixes the text of a ValueError raised in a validator; the text is ours.
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    message = message[:1].lower() + message[1:]
    if "input" in error and kind not in ("value_error",):
        message += f", got {show_value(error['input'])}"
    return message


def from_validation_error(
    error: ValidationError,
    *,
    file: str | None = None,
    slug: str | None = None,
    position: str | None = None,
    prefix: str | None = None,
) -> InvalidInput:
    """The first problem of a pydantic ValidationError as an InvalidInput naming its field
    (camelCase dotted path, under `prefix` if given); the count of further problems is added
    to the message so that nothing is hidden."""
    errors = error.errors(include_url=False)
    first = errors[0]
    loc = tuple(first.get("loc", ()))
    if prefix:
        loc = (prefix, *loc)
    message = _message(dict(first))
    more = len(errors) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''} in this record)"
    return InvalidInput(message, file=file, slug=slug, position=position, field=_dotted(loc))


def all_from_validation_error(
    error: ValidationError,
    *,
    file: str | None = None,
    slug: str | None = None,
    position: str | None = None,
) -> list[InvalidInput]:
    """Every problem of a pydantic ValidationError, one InvalidInput each."""
    return [
        InvalidInput(
            _message(dict(item)),
            file=file,
            slug=slug,
            position=position,
            field=_dotted(tuple(item.get("loc", ()))),
        )
        for item in error.errors(include_url=False)
    ]
