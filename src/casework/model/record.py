"""The incident record and its parts, exactly as docs/format.md specifies.

Field names are snake_case in Python and camelCase on the wire (aliases). Validation is by
alias only, so a stray `key_points` in an input file stays an unknown key instead of being
silently taken for `keyPoints`.

Unknown keys are kept (extra="allow") together with the position they had among the known
keys, so that writing a record back puts them where they were: import followed by export
gives back the same bytes.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar, Literal

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
from casework.model.places import PRECISIONS, Precision, is_country
from casework.model.site import Site
from casework.model.wording import N_, Invalid

# Keys of a record that casework computes; never trusted from input (docs/format.md).
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

# Keys of casework's own (docs/format.md, last section): written after the format's keys and
# only when they hold something, so a record without them round-trips byte for byte; left out
# of the seed-compatible export unless asked (`casework export --extensions`).
OWN_KEYS: tuple[str, ...] = ("provenance", "externalId", "locations")

# Every record key in the order docs/format.md fixes.
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

    @property
    def unknown_keys(self) -> list[str]:
        return list(self.model_extra or {})

    def place_unknown_keys(
        self, known: dict[str, Any], anchors: dict[str, str | None] | None = None
    ) -> dict[str, Any]:
        """`known` (an ordered dict of this object's known keys) with the unknown keys put
        back after the key each followed in the input (`anchors`: unknown key → that key,
        None when it came first); without an anchor, at the end."""
        extra = self.model_extra
        if not extra:
            return known
        anchors = anchors or {}
        after: dict[str | None, list[str]] = {}
        for key in extra:
            anchor = anchors.get(key, "\x00end")
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

    @classmethod
    def part_lists(cls) -> tuple[tuple[str, str], ...]:
        """(field name, camelCase key) of this model's fields that hold lists of parts,
        computed once per class."""
        cached: tuple[tuple[str, str], ...] | None = cls.__dict__.get("_part_list_fields")
        if cached is None:
            cached = tuple(
                (name, field.alias or name)
                for name, field in cls.model_fields.items()
                if _holds_parts(field.annotation)
            )
            cls._part_list_fields = cached  # type: ignore[attr-defined]
        return cached

    def has_unknown_keys(self) -> bool:
        """Whether this part or any part inside it holds unknown keys."""
        if self.__pydantic_extra__:
            return True
        for name, _key in self.part_lists():
            for item in getattr(self, name):
                if item.__pydantic_extra__ or (item.part_lists() and item.has_unknown_keys()):
                    return True
        return False

    def unknown_key_paths(self, prefix: str = "") -> list[str]:
        """Dotted camelCase paths (`sources.0.archivedAt`) of every unknown key kept in this
        part and in the parts inside it."""
        paths = [f"{prefix}{key}" for key in self.__pydantic_extra__ or ()]
        for name, key in self.part_lists():
            for i, item in enumerate(getattr(self, name)):
                paths.extend(item.unknown_key_paths(f"{prefix}{key}.{i}."))
        return paths

    def to_wire(self, anchors: dict[str, dict[str, str | None]] | None = None) -> dict[str, Any]:
        """This part as docs/format.md writes it: known keys in declared order, optional keys
        omitted when empty, unknown keys in place (`anchors`: path → positions, as the
        record keeps them; "" is this part, "sources.2" a part inside it)."""
        if not self.has_unknown_keys():
            # pydantic's serializer (in Rust) gives the same dict several times faster: only
            # optional keys can be None, and declared order is docs/format.md's order.
            wire: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
            return wire
        anchors = anchors or {}
        known: dict[str, Any] = {}
        for name, field in type(self).model_fields.items():
            if field.exclude:
                continue
            value = getattr(self, name)
            if value is None:
                continue
            key = field.alias or name
            if isinstance(value, list) and value and isinstance(value[0], TrackerModel):
                known[key] = [
                    item.to_wire({"": anchors.get(f"{key}.{i}", {})})
                    for i, item in enumerate(value)
                ]
            elif isinstance(value, date):
                known[key] = value.isoformat()
            elif isinstance(value, StrEnum):
                known[key] = value.value
            else:
                known[key] = value
        return self.place_unknown_keys(known, anchors.get(""))


def _holds_parts(annotation: Any) -> bool:
    args = getattr(annotation, "__args__", ())
    return any(isinstance(a, type) and issubclass(a, TrackerModel) for a in args)


class PartyKind(StrEnum):
    person = "person"
    group = "group"
    organization = "organization"
    state = "state"
    population = "population"


class Party(TrackerModel):
    """A victim or perpetrator; `entity` names an entity page's slug."""

    name: str = Field(min_length=1)
    # Lax for this one field: the wire holds the kind as a plain string.
    kind: PartyKind = Field(strict=False)
    role: str | None = None
    count: int | None = Field(default=None, ge=0)
    entity: Slug | None = None


class LegalProvision(TrackerModel):
    statute: str = Field(min_length=1)
    article: str | None = None
    provision: str


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


class Location(TrackerModel):
    """One place an incident happened (docs/format.md, `locations`)."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    admin_area: str | None = Field(default=None, min_length=1, max_length=200)
    country: str
    latitude: float | None = Field(default=None, ge=-90, le=90, strict=False)
    longitude: float | None = Field(default=None, ge=-180, le=180, strict=False)
    precision: Precision = Field(strict=False)
    published_precision: Precision | None = Field(default=None, strict=False)

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        if not is_country(value):
            raise Invalid(
                N_("%(value)s is not an ISO 3166-1 alpha-2 country code (write e.g. PS, UA)"),
                value=repr(value[:20]),
            )
        return value

    @field_validator("latitude", "longitude", mode="before")
    @classmethod
    def _a_number(cls, value: Any) -> Any:
        if isinstance(value, bool) or not (value is None or isinstance(value, int | float)):
            raise Invalid(N_("a number in decimal degrees"))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Location:
        if (self.latitude is None) != (self.longitude is None):
            raise Invalid(N_("latitude and longitude come together (give both or neither)"))
        if self.published_precision is not None and PRECISIONS.index(
            self.published_precision
        ) < PRECISIONS.index(self.precision):
            raise Invalid(
                N_(
                    "publishedPrecision %(shown)s is finer than the stored precision "
                    "%(known)s: a location is never published more precisely than it is known"
                ),
                shown=repr(self.published_precision.value),
                known=repr(self.precision.value),
            )
        return self

    @property
    def shown_precision(self) -> Precision:
        return self.published_precision or self.precision

    @property
    def lowered(self) -> bool:
        return self.published_precision not in (None, self.precision)


# The lists of a record whose items can cite sources, as claim paths name them.
CLAIM_LISTS: tuple[str, ...] = ("keyPoints", "timeline")
ClaimList = Literal["keyPoints", "timeline"]
CLAIM_PATTERN = r"^(keyPoints|timeline)/(0|[1-9][0-9]{0,5})$"
_CLAIM = re.compile(CLAIM_PATTERN)
# A supporting sentence is a sentence, not an article.
MAX_SENTENCE_CHARS = 2000


def parse_claim(claim: str) -> tuple[ClaimList, int]:
    """("keyPoints", 2) for `keyPoints/2`; ValueError for anything else."""
    match = _CLAIM.match(claim)
    if match is None:
        raise Invalid(
            N_("%(claim)s is not a claim: write keyPoints/N or timeline/N"), claim=repr(claim[:80])
        )
    kind: ClaimList = "keyPoints" if match.group(1) == "keyPoints" else "timeline"
    return kind, int(match.group(2))


class Citation(TrackerModel):
    """One entry of `provenance` (casework.model.provenance): which claim (`keyPoints/2`,
    `timeline/0`), the URLs of the record's sources or documents that support it (at least
    one, no repeats) and, where known, the sentence of a source that says it."""

    claim: str
    sources: list[Url] = Field(min_length=1, max_length=100)
    sentence: str | None = Field(default=None, min_length=1, max_length=MAX_SENTENCE_CHARS)

    @field_validator("claim")
    @classmethod
    def _claim_path(cls, value: str) -> str:
        parse_claim(value)
        return value

    @field_validator("sources")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for url in value:
            if url in seen:
                raise Invalid(N_("%(url)s is cited twice"), url=repr(url[:80]))
            seen.add(url)
        return value

    @field_validator("sentence")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise Invalid(N_("a sentence, when given, is not blank (leave the key out)"))
        return value

    @property
    def kind(self) -> ClaimList:
        return parse_claim(self.claim)[0]

    @property
    def index(self) -> int:
        return parse_claim(self.claim)[1]


UNCLASSIFIED = ""
"""`warCrimeClassification` when nobody has chosen one yet. A legal classification is never
defaulted: a new record starts with this, a draft may keep it, and publishing refuses it
(casework.editing) until an editor picks a vocabulary key — a key meaning "none" is a choice."""


class Record(TrackerModel):
    """One incident: the authored fields of docs/format.md, plus its Markdown body and the
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
    # Casework's own keys (OWN_KEYS): optional, written only when non-empty.
    provenance: list[Citation] = Field(default_factory=list)
    # The id of the row a spreadsheet import made this record from (formats/mapping.py): a
    # re-import finds the record by it. At most 200 characters, no line breaks.
    external_id: str = Field(default="", max_length=200, pattern=r"^[^\r\n]*$")
    locations: list[Location] = Field(default_factory=list, max_length=100)
    # Not tracker-JSON keys: the names below cannot collide with a camelCase key.
    body: str = Field(default="", alias="$body", exclude=True)
    body_html: str = Field(default="", alias="$bodyHtml", exclude=True)

    # Derived values that arrived with the record (for `check`); never trusted.
    _given_derived: dict[str, Any] = PrivateAttr(default_factory=dict)
    # Where unknown keys stood: path ("" for the record, "sources.2" for a part) → unknown key
    # → the key it followed (None: it came first). Kept here, once per record, rather than on
    # every part: a validator on each part made validation twice as slow.
    _anchors: dict[str, dict[str, str | None]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _set_aside_derived_and_positions(cls, data: Any, handler: Any) -> Any:
        if not isinstance(data, dict):
            return handler(data)
        if "$anchors" in data:
            # The storage form carries positions explicitly: derived keys, which unknown
            # keys may have followed, are not stored.
            data = dict(data)
            stored = data.pop("$anchors")
            obj = handler(data)
            if isinstance(stored, dict):
                obj._anchors = {
                    str(path): {str(k): (None if v is None else str(v)) for k, v in m.items()}
                    for path, m in stored.items()
                    if isinstance(m, dict)
                }
            return obj
        given = {key: data[key] for key in DERIVED_KEYS if key in data}
        obj = handler({k: v for k, v in data.items() if k not in given} if given else data)
        obj._given_derived = given
        if obj.has_unknown_keys():
            # Positions are taken in the full input, where derived keys count as known: an
            # unknown key that followed `url` goes back after `url`.
            obj._anchors = _positions(data, obj)
        return obj

    @field_validator("category", "severity", "posture", "war_crime_classification")
    @classmethod
    def _key_in_vocabulary(cls, value: str, info: ValidationInfo) -> str:
        if value == UNCLASSIFIED and info.field_name == "war_crime_classification":
            return value  # not chosen yet: a draft may say so, publishing refuses it
        site = (info.context or {}).get("site")
        if isinstance(site, Site) and info.field_name is not None:
            vocabulary = site.vocabularies.get(cls.VOCABULARY_FIELDS[info.field_name])
            if value not in vocabulary:
                raise Invalid(
                    N_("%(value)s is not a key of the site's vocabulary: %(keys)s"),
                    value=repr(value),
                    keys=", ".join(vocabulary),
                )
        return value

    @field_validator("tags", "key_points")
    @classmethod
    def _no_blank_items(cls, value: list[str]) -> list[str]:
        for i, item in enumerate(value):
            if not item.strip():
                raise Invalid(N_("item %(i)s is blank"), i=i)
        return value

    @field_validator("provenance")
    @classmethod
    def _one_entry_per_claim(cls, value: list[Citation]) -> list[Citation]:
        seen: set[str] = set()
        for i, citation in enumerate(value):
            if citation.claim in seen:
                raise Invalid(
                    N_(
                        "item %(i)s cites %(claim)s again: list all of a claim's sources in one "
                        "entry"
                    ),
                    i=i,
                    claim=citation.claim,
                )
            seen.add(citation.claim)
        return value

    def to_wire(self, anchors: dict[str, dict[str, str | None]] | None = None) -> dict[str, Any]:
        wire = super().to_wire(self._anchors if anchors is None else anchors)
        for key in OWN_KEYS:
            if key in wire and not wire[key]:
                del wire[key]  # an own key is written only when it holds something
        return wire

    def place_unknown_keys(
        self, known: dict[str, Any], anchors: dict[str, str | None] | None = None
    ) -> dict[str, Any]:
        return super().place_unknown_keys(
            known, self._anchors.get("") if anchors is None else anchors
        )

    def to_storage(self) -> dict[str, Any]:
        """Everything a store keeps of this record, as JSON-ready data; `Record.from_storage`
        reads it back to an equal record (unknown keys, their positions and the body kept)."""
        data = self.to_wire()
        data["$body"] = self.body
        data["$bodyHtml"] = self.body_html
        if self._anchors:
            data["$anchors"] = {path: dict(m) for path, m in self._anchors.items()}
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


def blank_record(values: dict[str, Any], today: date, site: Site | None = None) -> Record:
    """A new record: `values` (its slug, title, date, summary, category, severity, posture and
    classification, as tracker JSON) with every other field empty, last updated `today`; its
    keys checked against `site`'s vocabularies when given. Every new record made from a few
    values (`casework new`, an accepted proposal's new draft) starts from this one."""
    data: dict[str, Any] = {
        "ongoing": False, "victims": "", "perpetrators": "", "structuredVictims": [],
        "structuredPerpetrators": [], "legalBasis": "", "tags": [], "keyPoints": [],
        "internationalLaw": [], "iccRelevance": False, "legalAnalyses": [], "description": "",
        "relatedIncidents": [], "sources": [], "documents": [], "timeline": [], "updateLog": [],
        "lastUpdated": today.isoformat(),
    }  # fmt: skip
    context = {"site": site} if site is not None else None
    return Record.model_validate(data | values, context=context)


def _anchors_in(data: dict[str, Any], extra: dict[str, Any]) -> dict[str, str | None]:
    anchors: dict[str, str | None] = {}
    previous: str | None = None
    for key in data:
        if key in extra:
            anchors[key] = previous
        else:
            previous = key
    return anchors


def _positions(data: dict[str, Any], record: Record) -> dict[str, dict[str, str | None]]:
    """Unknown-key positions of `record` and of each part inside it, read off the input."""
    positions: dict[str, dict[str, str | None]] = {}
    if record.model_extra:
        positions[""] = _anchors_in(data, record.model_extra)
    for name, key in record.part_lists():
        raw = data.get(key)
        for i, item in enumerate(getattr(record, name)):
            if item.model_extra and isinstance(raw, list) and isinstance(raw[i], dict):
                positions[f"{key}.{i}"] = _anchors_in(raw[i], item.model_extra)
    return positions


class Collection(BaseModel):
    """A curated, ordered set of records (docs/format.md's collection document)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    slug: Slug
    title: str = Field(min_length=1)
    lede: str = ""
    description: str = ""
    records: list[Slug] = Field(default_factory=list)
