"""What a record must have before the public may read it. Publishing, and every save of a
published record, is refused while any of these is missing; `check` reports the same
problems for records already published (rule `classification-unset`)."""

from __future__ import annotations

from casework.model import UNCLASSIFIED, Record
from casework.model.wording import N_
from casework.store.prepared import PreparedRecord

UNCLASSIFIED_PROBLEM = (
    "warCrimeClassification",
    N_(
        "no legal classification has been chosen: choose one before publishing "
        "(the vocabulary's value for none is a choice too)"
    ),
)


def publish_problems(record: Record | PreparedRecord) -> list[tuple[str, str]]:
    """(field, message) for each thing `record` lacks to be published; [] when it may be.
    A prepared record (a bulk import's) is judged by the fields it carries."""
    classification = (
        record.classification
        if isinstance(record, PreparedRecord)
        else record.war_crime_classification
    )
    problems: list[tuple[str, str]] = []
    if classification == UNCLASSIFIED:
        problems.append(UNCLASSIFIED_PROBLEM)
    return problems
