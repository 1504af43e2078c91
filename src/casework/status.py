"""A record's editorial status, apart from the model (`casework.model` re-exports it): the
paths that only read the store, such as `casework search`, name it without loading pydantic
and the record model (~0.15 s of a command's start)."""

from enum import StrEnum


class Status(StrEnum):
    """Where a record stands in the editorial workflow; only `published` is public."""

    draft = "draft"
    review = "review"
    published = "published"
