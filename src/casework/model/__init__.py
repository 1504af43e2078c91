"""The record and its parts, the site and its vocabularies, the statute catalog, the derived
fields. Pure: no I/O."""

from casework.model.derived import (
    citation,
    derived_fields,
    derived_mismatches,
    display_date,
    record_url,
)
from casework.model.fields import SLUG_PATTERN, parse_iso_date, slugify, tag_slug
from casework.model.record import (
    CLAIM_LISTS,
    DERIVED_KEYS,
    OWN_KEYS,
    RECORD_KEYS,
    UNCLASSIFIED,
    Citation,
    Collection,
    Document,
    LegalAnalysis,
    LegalProvision,
    Party,
    PartyKind,
    Record,
    Source,
    TimelineEntry,
    TrackerModel,
    UpdateLogEntry,
    blank_record,
)
from casework.model.site import Site, Vocabularies
from casework.model.statutes import (
    Statute,
    StatuteCatalog,
    StatuteConflict,
    StatuteDefinition,
)
from casework.status import Status  # apart from the model: see casework/status.py

__all__ = [
    "CLAIM_LISTS",
    "DERIVED_KEYS",
    "OWN_KEYS",
    "RECORD_KEYS",
    "SLUG_PATTERN",
    "UNCLASSIFIED",
    "Citation",
    "Collection",
    "Document",
    "LegalAnalysis",
    "LegalProvision",
    "Party",
    "PartyKind",
    "Record",
    "Site",
    "Source",
    "Status",
    "Statute",
    "StatuteCatalog",
    "StatuteConflict",
    "StatuteDefinition",
    "TimelineEntry",
    "TrackerModel",
    "UpdateLogEntry",
    "Vocabularies",
    "blank_record",
    "citation",
    "derived_fields",
    "derived_mismatches",
    "display_date",
    "parse_iso_date",
    "record_url",
    "slugify",
    "tag_slug",
]
