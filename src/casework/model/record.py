"""The incident record and its parts, exactly as FORMAT.md specifies.

Field names are snake_case in Python and camelCase on the wire (aliases). Validation is by
alias only, so a stray `key_points` in an input file stays an unknown key instead of being
silently taken for `keyPoints`.

Unknown keys are kept (extra="allow") together with the position they had among the known
keys, so that writing a record back puts them where they were: import followed by export
gives back the same bytes.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

from casework.model.fields import IsoDate, Slug, Url
from casework.model.site import Site

# Keys of a record that casework computes; never trusted from input (FORMAT.md).
DERIVED_KEYS: tuple[str, ...] = (
    "url",
    "displayDate",
    "displayLastUpdated",
    "categoryLabel",
    "severityLabel",
    "postureLabel",
    "sourceCount",
    "documentCount",
    "updateCount",
    "contentHtml",
    "citation",
)

# Every record key in the order FORMAT.md fixes.
RECORD_KEYS: tuple[str, ...] = (
    "slug",
    "title",
    "url",
    "date",
    "lastUpdated",
    "displayDate",
    "displayLastUpdated",
    "summary",
    "category",
    "categoryLabel",
    "severity",
    "severityLabel",
    "posture",
    "postureLabel",
    "ongoing",
    "victims",
    "perpetrators",
    "structuredVictims",
    "structuredPerpetrators",
    "legalBasis",
    "tags",
    "keyPoints",
    "sourceCount",
    "documentCount",
    "updateCount",
    "warCrimeClassification",
    "internationalLaw",
    "iccRelevance",
    "legalAnalyses",
    "description",
    "relatedIncidents",
    "sources",
    "documents",
    "timeline",
    "updateLog",
    "contentHtml",
    "citation",
)


class TrackerModel(BaseModel):
    """Base of every part of a record: camelCase aliases, strict types, unknown keys kept."""

    model_config = ConfigDict(
        extra="allow",
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
        strict=True,
        str_strip_whitespace=False,
    )

    # The known key each unknown key followed in the input (None: it came first).
    _anchors: dict[str, str | None] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_unknown_key_positions(cls, data: Any, handler: Any) -> Any:
        obj = handler(data)
        if isinstance(data, dict) and obj.model_extra:
            obj._anchors = _anchors_in(data, obj)
        return obj

    @property
    def unknown_keys(self) -> list[str]:
        return list(self.model_extra or {})

    def place_unknown_keys(self, known: dict[str, Any]) -> dict[str, Any]:
        """`known` (an ordered dict of this object's known keys) with the unknown keys put
        back where they stood in the input."""
        extra = self.model_extra
        if not extra:
            return known
        anchors = self._anchors
        after: dict[str | None, list[str]] = {}
        for key in extra:
            anchor = anchors.get(key)
            if anchor is not None and anchor not in known:
                anchor = "\x00end"  # its neighbour is gone: keep it, at the end
            after.setdefault(anchor, []).append(key)
        out: dict[str, Any] = {}
        for key in after.get(None, []):
            out[key] = extra[key]
        for key, value in known.items():
            out[key] = value
            for unknown in after.get(key, []):
                out[unknown] = extra[unknown]
        for key in after.get("\x00end", []):
            out[key] = extra[key]
        return out

    def has_unknown_keys(self) -> bool:
        """Whether this part or any part inside it holds unknown keys."""
        if self.model_extra:
            return True
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, list) and value and isinstance(value[0], TrackerModel):
                if any(item.has_unknown_keys() for item in value):
                    return True
        return False

    def to_wire(self) -> dict[str, Any]:
        """This part as FORMAT.md writes it: known keys in declared order, optional keys
        omitted when empty, unknown keys in place."""
        if not self.has_unknown_keys():
            # pydantic's serializer (in Rust) gives the same dict several times faster: only
            # optional keys can be None, and declared order is FORMAT.md's order.
            wire: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
            return wire
        known: dict[str, Any] = {}
        for name, field in type(self).model_fields.items():
            if field.exclude:
                continue
            value = getattr(self, name)
            if value is None:
                continue
            known[field.alias or name] = _wire_value(value)
        return self.place_unknown_keys(known)


def _wire_value(value: Any) -> Any:
    if isinstance(value, TrackerModel):
        return value.to_wire()
    if isinstance(value, list):
        return [_wire_value(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


class PartyKind(StrEnum):
    person = "person"
    group = "group"
    organization = "organization"
    state = "state"
    population = "population"


class Party(TrackerModel):
    """A victim or perpetrator; `entity` names an entity page's slug."""

    name: str = Field(min_length=1)
    kind: PartyKind
    role: str | None = None
    count: int | None = Field(default=None, ge=0)
    entity: Slug | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_from_string(cls, value: Any) -> Any:
        # strict mode refuses plain strings for enums; the wire has nothing else.
        if isinstance(value, str) and value in PartyKind.__members__:
            return PartyKind(value)
        if isinstance(value, str):
            allowed = ", ".join(PartyKind.__members__)
            raise ValueError(f"kind {value!r} is not one of {allowed}")
        return value

    @field_validator("role")
    @classmethod
    def _empty_role_is_none(cls, value: str | None) -> str | None:
        return value or None


class LegalProvision(TrackerModel):
    statute: str = Field(min_length=1)
    article: str | None = None
    provision: str

    @field_validator("article")
    @classmethod
    def _empty_article_is_none(cls, value: str | None) -> str | None:
        return value or None


class LegalAnalysis(TrackerModel):
    title: str
    url: Url
    organization: str


class Source(TrackerModel):
    url: Url
    title: str
    publisher: str


class Document(TrackerModel):
    title: str
    url: Url
    kind: str
    date: IsoDate | None = None
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class TimelineEntry(TrackerModel):
    date: IsoDate
    title: str
    summary: str


class UpdateLogEntry(TrackerModel):
    date: IsoDate
    summary: str


class Status(StrEnum):
    """Where a record stands in the editorial workflow; only `published` is public."""

    draft = "draft"
    review = "review"
    published = "published"


class Record(TrackerModel):
    """One incident: the authored fields of FORMAT.md, plus its Markdown body and the
    stored, sanitized HTML of that body.

    `body` and `body_html` are not tracker-JSON keys: `body_html` is what `contentHtml`
    publishes, `body` is what an editor edits. When a record arrives as HTML only, `body` is
    empty until converted for editing, and `body_html` is kept as given (sanitized).
    """

    VOCABULARY_FIELDS: ClassVar[dict[str, str]] = {
        "category": "category",
        "severity": "severity",
        "posture": "posture",
        "war_crime_classification": "classification",
    }

    slug: Slug
    title: str = Field(min_length=1)
    date: IsoDate
    last_updated: IsoDate
    summary: str
    category: str
    severity: str
    posture: str
    ongoing: bool
    victims: str
    perpetrators: str
    structured_victims: list[Party]
    structured_perpetrators: list[Party]
    legal_basis: str
    tags: list[str]
    key_points: list[str]
    war_crime_classification: str
    international_law: list[LegalProvision]
    icc_relevance: bool
    legal_analyses: list[LegalAnalysis]
    description: str
    related_incidents: list[Slug]
    sources: list[Source]
    documents: list[Document]
    timeline: list[TimelineEntry]
    update_log: list[UpdateLogEntry]
    # Not tracker-JSON keys: the names below cannot collide with a camelCase key.
    body: str = Field(default="", alias="$body", exclude=True)
    body_html: str = Field(default="", alias="$bodyHtml", exclude=True)

    # Derived values that arrived with the record (for `check`); never trusted.
    _given_derived: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _set_derived_aside(cls, data: Any, handler: Any) -> Any:
        given: dict[str, Any] = {}
        if isinstance(data, dict) and "$anchors" in data:
            # The storage form (to_storage) carries unknown-key positions explicitly, since
            # derived keys, which they may have followed, are not stored.
            data = dict(data)
            anchors = data.pop("$anchors")
            obj = handler(data)
            if isinstance(anchors, dict):
                obj._anchors = {str(k): (None if v is None else str(v)) for k, v in anchors.items()}
            return obj
        if isinstance(data, dict):
            given = {key: data[key] for key in DERIVED_KEYS if key in data}
            if given:
                authored = {k: v for k, v in data.items() if k not in given}
                obj = handler(authored)
                # Positions are taken in the full input, where derived keys count as known:
                # an unknown key that followed `url` goes back after `url`.
                obj._anchors = _anchors_in(data, obj)
                obj._given_derived = given
                return obj
        return handler(data)

    @field_validator("category", "severity", "posture", "war_crime_classification")
    @classmethod
    def _key_in_vocabulary(cls, value: str, info: ValidationInfo) -> str:
        site = (info.context or {}).get("site")
        if isinstance(site, Site) and info.field_name is not None:
            vocabulary = site.vocabularies.get(cls.VOCABULARY_FIELDS[info.field_name])
            if value not in vocabulary:
                raise ValueError(
                    f"{value!r} is not a key of the site's vocabulary: " + ", ".join(vocabulary)
                )
        return value

    @field_validator("tags", "key_points")
    @classmethod
    def _no_blank_items(cls, value: list[str]) -> list[str]:
        for i, item in enumerate(value):
            if not item.strip():
                raise ValueError(f"item {i} is blank")
        return value

    def to_storage(self) -> dict[str, Any]:
        """Everything a store keeps of this record, as JSON-ready data; `Record.from_storage`
        reads it back to an equal record (unknown keys, their positions and the body kept)."""
        data = self.to_wire()
        data["$body"] = self.body
        data["$bodyHtml"] = self.body_html
        if self.model_extra:
            data["$anchors"] = dict(self._anchors)
        return data

    @classmethod
    def from_storage(cls, data: dict[str, Any]) -> Record:
        return cls.model_validate(data)

    def with_body(self, body: str, body_html: str) -> Record:
        """A copy with a new Markdown body and its rendered, sanitized HTML."""
        return self.model_copy(update={"body": body, "body_html": body_html})

    @property
    def given_derived(self) -> dict[str, Any]:
        """Derived values as they arrived in imported data (empty for records made here)."""
        return self._given_derived

    @property
    def year(self) -> int:
        return self.date.year


def _anchors_in(data: dict[str, Any], obj: TrackerModel) -> dict[str, str | None]:
    extra = obj.model_extra or {}
    anchors: dict[str, str | None] = {}
    previous: str | None = None
    for key in data:
        if key in extra:
            anchors[key] = previous
        else:
            previous = key
    return anchors


class Collection(BaseModel):
    """A curated, ordered set of records (FORMAT.md's collection document)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    slug: Slug
    title: str = Field(min_length=1)
    lede: str = ""
    description: str = ""
    records: list[Slug] = Field(default_factory=list)
