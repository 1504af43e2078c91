"""What a check rule reports: one finding per problem, printed one per line like a linter."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """How bad a finding is: errors make `casework check` exit 1, warnings do not."""

    error = "error"
    warning = "warning"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings: errors sort first."""
        return 0 if self is Level.error else 1


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one record.

    `field` is the camelCase, dot-separated path of the value at fault (`timeline.2.date`,
    `relatedIncidents.1`), or None when the finding is about the record as a whole.
    """

    rule: str
    level: Level
    slug: str
    field: str | None
    message: str

    def format(self) -> str:
        """One line: `error  related-missing  my-slug  relatedIncidents.1: no record ...`."""
        where = f"{self.field}: " if self.field else ""
        return f"{self.level.value}  {self.rule}  {self.slug}  {where}{self.message}"

    def __str__(self) -> str:
        return self.format()
