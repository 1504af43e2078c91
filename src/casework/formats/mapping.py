"""A spreadsheet mapping (docs/mapping.md): which column feeds which field of a record, read from
TOML, applied to the rows of a table (formats/sheets.py) to give records; and `suggest`, a
starting mapping made from a table's header and values.

A row that cannot make a valid record is refused with its row number, the field and the column
(`data.csv: row 7: field date: column 'When': '31/02/2025' matches none of ...`). A legal
classification is never defaulted: a record imports with the one its row maps to, or none
(a draft may lack one; publishing asks for it).
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from casework.formats.common import Item, validate_record
from casework.formats.errors import InvalidInput
from casework.formats.sheets import Table
from casework.model import Site, places, slugify
from casework.model.places import PRECISIONS, is_country, user_assigned_names

# Cells holding only one of these count as blank (case-insensitive), unless the mapping's
# [sheet] table states its own list. Not "none": it is a classification's key ("no crime").
DEFAULT_BLANKS = ("", "-", "--", "n/a", "na", "n.a.", "null", "unknown", "?", "tbd", "#n/a")
TEXT_FIELDS = ("title", "summary", "victims", "perpetrators", "legalBasis", "description", "body")
VOCABULARY_FIELDS = {
    "category": "category",
    "severity": "severity",
    "posture": "posture",
    "warCrimeClassification": "classification",
}
DATE_FIELDS = ("date", "lastUpdated")
LIST_FIELDS = ("tags", "keyPoints")
BOOL_FIELDS = ("ongoing",)
PARTY_LISTS = ("structuredVictims", "structuredPerpetrators")
PARTY_KEYS = ("name", "kind", "role", "count")
SOURCE_KEYS = ("url", "title", "publisher")
# A [[locations]] table: a location's keys, and whether a row must have one.
LOCATION_KEYS = (*places.LOCATION_KEYS, "required")
REQUIRED = ("title", "date", "category", "severity", "posture")
TRUE_WORDS = frozenset({"yes", "y", "true", "1", "ongoing", "x", "oui", "si", "sí", "ja"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "", "non", "nein"})
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_SPEC_KEYS = frozenset({"column", "template", "value", "map", "otherwise", "default", "split"})


class MappingError(ValueError):
    """The mapping itself is wrong (not a row): one line naming the mapping file and key."""


@dataclass
class Spec:
    """Where one value comes from: a column, templates (the first whose columns all hold
    something), or a constant; then `map` (raw value → value), `otherwise` for a value the
    map lacks, `default` for a blank."""

    key: str
    column: str | None = None
    templates: list[str] = field(default_factory=list)
    value: Any = None
    map: dict[str, Any] = field(default_factory=dict)
    otherwise: Any = None
    default: Any = None
    split: str | None = None
    formats: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        names = [self.column] if self.column else []
        for template in self.templates:
            names.extend(_PLACEHOLDER.findall(template))
        return names

    def where(self) -> str:
        return f"column {self.column!r}" if self.column else f"template {self.templates[0]!r}"


@dataclass
class Mapping:
    path: str
    external_id: str | None
    fields: dict[str, Spec]
    parties: dict[str, list[dict[str, Spec]]]
    sources: list[dict[str, Spec]]
    blanks: frozenset[str]
    locations: list[dict[str, Spec]] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    worksheet: str | None = None

    def columns(self) -> set[str]:
        names = {self.external_id} if self.external_id else set()
        for spec in self.fields.values():
            names.update(spec.columns)
        for group in [*self.parties.values(), self.sources, self.locations]:
            for part in group:
                for spec in part.values():
                    names.update(spec.columns)
        return names

    def check_header(self, table: Table) -> None:
        missing = sorted(self.columns() - set(table.header))
        if missing:
            raise InvalidInput(
                "the mapping names columns the header lacks: "
                + ", ".join(repr(m) for m in missing)
                + "; the header has "
                + ", ".join(repr(h) for h in table.header),
                file=str(table.path),
            )


def load_mapping(path: Path) -> Mapping:
    """The mapping in `path`; raises MappingError naming the key that is wrong."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError(f"{path}: cannot read the mapping: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError(f"{path}: not a TOML mapping: {error}") from None
    return parse_mapping(raw, str(path))


def parse_mapping(raw: dict[str, Any], name: str) -> Mapping:
    def fail(key: str, problem: str) -> MappingError:
        return MappingError(f"{name}: {key}: {problem}")

    unknown = set(raw) - {"sheet", "record", "fields", *PARTY_LISTS, "sources", "locations"}
    if unknown:
        raise fail(sorted(unknown)[0], "not a table of a mapping (docs/mapping.md)")
    sheet = raw.get("sheet", {})
    record = raw.get("record", {})
    if not isinstance(sheet, dict) or not isinstance(record, dict):
        raise fail("sheet", "must be a table")
    blanks = sheet.get("blank", list(DEFAULT_BLANKS))
    if not isinstance(blanks, list) or not all(isinstance(b, str) for b in blanks):
        raise fail("sheet.blank", "must be a list of strings")
    external_id = record.get("external_id")
    if external_id is not None and not isinstance(external_id, str):
        raise fail("record.external_id", "must name a column")
    fields_raw = raw.get("fields", {})
    if not isinstance(fields_raw, dict):
        raise fail("fields", "must be a table")
    known = {*TEXT_FIELDS, *VOCABULARY_FIELDS, *DATE_FIELDS, *LIST_FIELDS, *BOOL_FIELDS}
    fields: dict[str, Spec] = {}
    for key, value in fields_raw.items():
        if key not in known:
            raise fail(
                f"fields.{key}", "not a field a mapping can fill: " + ", ".join(sorted(known))
            )
        fields[key] = _spec(value, f"fields.{key}", fail)
    for key in REQUIRED:
        if key not in fields:
            raise fail(f"fields.{key}", "missing: every record needs it")
    classification = fields.get("warCrimeClassification")
    if classification is not None and (
        classification.value is not None
        or classification.default is not None
        or classification.otherwise is not None
    ):
        raise fail(
            "fields.warCrimeClassification",
            "a legal classification is never defaulted: map it from a column, or leave it out",
        )
    parties: dict[str, list[dict[str, Spec]]] = {}
    for list_key in PARTY_LISTS:
        parties[list_key] = _parts(raw.get(list_key, []), list_key, PARTY_KEYS, "name", fail)
    sources = _parts(raw.get("sources", []), "sources", SOURCE_KEYS, "url", fail)
    locations = _parts(raw.get("locations", []), "locations", LOCATION_KEYS, "country", fail)
    for i, part in enumerate(locations):
        required = part.get("required")
        if required is not None and not (
            required.value is not None and isinstance(required.value, bool)
        ):
            raise fail(f"locations.{i}.required", "must be true or false")
    return Mapping(
        path=name,
        external_id=external_id,
        fields=fields,
        parties=parties,
        sources=sources,
        locations=locations,
        blanks=frozenset(b.strip().lower() for b in blanks),
        encoding=sheet.get("encoding"),
        delimiter=sheet.get("delimiter"),
        worksheet=sheet.get("worksheet"),
    )


def _parts(
    raw: Any, list_key: str, keys: tuple[str, ...], needed: str, fail: Any
) -> list[dict[str, Spec]]:
    if not isinstance(raw, list):
        raise fail(list_key, "must be an array of tables ([[...]])")
    parts: list[dict[str, Spec]] = []
    for i, part in enumerate(raw):
        if not isinstance(part, dict):
            raise fail(f"{list_key}.{i}", "must be a table")
        extra = set(part) - set(keys)
        if extra:
            raise fail(f"{list_key}.{i}.{sorted(extra)[0]}", "unknown key: " + ", ".join(keys))
        if needed not in part:
            raise fail(f"{list_key}.{i}.{needed}", "missing")
        parts.append({k: _spec(v, f"{list_key}.{i}.{k}", fail) for k, v in part.items()})
    return parts


def _spec(value: Any, key: str, fail: Any) -> Spec:
    if isinstance(value, str):
        # A string is a template; one without {placeholders} is a constant.
        return (
            Spec(key, templates=[value]) if _PLACEHOLDER.search(value) else Spec(key, value=value)
        )
    if isinstance(value, bool | int):
        return Spec(key, value=value)
    if not isinstance(value, dict):
        raise fail(key, "must be a string (a template) or a table (docs/mapping.md)")
    extra = set(value) - _SPEC_KEYS - {"formats"}
    if extra:
        raise fail(f"{key}.{sorted(extra)[0]}", "unknown key: " + ", ".join(sorted(_SPEC_KEYS)))
    sources = [k for k in ("column", "template", "value") if k in value]
    if len(sources) != 1:
        raise fail(key, "give exactly one of column, template, value")
    templates = value.get("template", [])
    if isinstance(templates, str):
        templates = [templates]
    if not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
        raise fail(f"{key}.template", "must be a string or a list of strings")
    mapped = value.get("map", {})
    if not isinstance(mapped, dict):
        raise fail(f"{key}.map", "must be a table of value = value")
    formats = value.get("formats", ["%Y-%m-%d"])
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise fail(f"{key}.formats", "must be a list of strptime formats")
    column = value.get("column")
    if column is not None and not isinstance(column, str):
        raise fail(f"{key}.column", "must be a column name")
    split = value.get("split")
    if split is not None and (not isinstance(split, str) or not split):
        raise fail(f"{key}.split", "must be a separator string")
    return Spec(
        key,
        column=column,
        templates=templates,
        value=value.get("value"),
        map={_norm(k): v for k, v in mapped.items()},
        otherwise=value.get("otherwise"),
        default=value.get("default"),
        split=split,
        formats=formats,
    )


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


_COORDINATE = re.compile(r"[+-]?\d{1,3}(?:[.,]\d+)?")


def parse_coordinate(value: Any) -> float | None:
    """Decimal degrees from a cell: `31.5`, `31,5` (a decimal comma), `-0.25`; None when it is
    not one number (degrees-minutes-seconds, two numbers, words)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u2212", "-")  # a typographic minus
    if not _COORDINATE.fullmatch(text):
        return None
    return float(text.replace(",", "."))


@cache
def _country_names() -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    """Every country's names (name, official and common name; accents folded) → its code; the
    part before a comma → codes ("Palestine, State of" is found as "Palestine"; "Congo, The
    Democratic Republic of the" makes a bare "Congo" ambiguous); and each name's leading
    words → codes."""
    import pycountry

    exact: dict[str, str] = {}
    commas: dict[str, set[str]] = {}
    heads: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if not name:
                continue
            folded = _fold(name)
            exact.setdefault(folded, country.alpha_2)
            if "," in folded:
                commas.setdefault(folded.split(",")[0].strip(), set()).add(country.alpha_2)
            words = folded.replace(",", " ").split()
            for n in range(1, len(words)):
                heads.setdefault(" ".join(words[:n]), set()).add(country.alpha_2)
    return exact, commas, heads


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("\u2019", "'").split()).lower()


def resolve_country(text: str) -> tuple[str | None, str]:
    """`_resolve_country`, after the names of user-assigned codes (Kosovo, or a name the
    tracker's casework.toml gives): they are no ISO names, and hold only in the tracker at
    hand, so they are not part of the cache."""
    code = _folded_names(tuple(user_assigned_names().items())).get(_fold(text))
    return (code, "") if code else _resolve_country(text)


@lru_cache(maxsize=16)  # one entry per tracker's names: a sheet asks once per cell
def _folded_names(names: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {_fold(name): code for code, name in names}


@lru_cache(maxsize=4096)  # a sheet repeats a few dozen spellings over many rows
def _resolve_country(text: str) -> tuple[str | None, str]:
    """An ISO 3166-1 alpha-2 code for a cell: the code itself (`ps`), an alpha-3 code (`UKR`),
    a country's name, official or common name (`Yemen `, `Türkiye`), or the head of exactly one
    country's name (`Palestine` → `Palestine, State of`; `Syria` → `Syrian Arab Republic`).
    Anything else — a name two countries share a head with (`Congo`, `Korea`), a misspelling —
    is (None, why): pycountry's search_fuzzy is not used, it matches subdivisions too and would
    turn a province into a country."""
    import pycountry

    folded = _fold(text)
    if not folded:
        return None, "is blank"
    if re.fullmatch(r"[a-z]{2}", folded):
        # Assigned or left to users (XK, a code casework.toml names): what a record accepts.
        code = folded.upper()
        return (code, "") if is_country(code) else (None, "is not an ISO 3166-1 country code")
    if re.fullmatch(r"[a-z]{3}", folded):
        found = pycountry.countries.get(alpha_3=folded.upper())
        if found:
            return found.alpha_2, ""
    exact, commas, heads = _country_names()
    if folded in exact:
        code = exact[folded]
        others = commas.get(folded, set()) - {code}
        if others:
            return None, "names more than one country (" + ", ".join(sorted({code, *others})) + ")"
        return code, ""
    shared = commas.get(folded, set()) | heads.get(folded, set())
    if len(shared) == 1:
        return next(iter(shared)), ""
    if len(shared) > 1:
        return None, "names more than one country (" + ", ".join(sorted(shared)) + ")"
    return None, "is not a country pycountry knows"


class RowRefused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class Applier:
    """Turns rows into records for one site and tracker: `known` maps external ids already
    in the tracker to their slugs, `taken` is every slug in use there."""

    def __init__(
        self,
        mapping: Mapping,
        site: Site,
        *,
        known: dict[str, str] | None = None,
        taken: set[str] | None = None,
    ) -> None:
        self.mapping = mapping
        self.site = site
        self.known = known or {}
        self.taken = set(taken or ())
        self.seen_ids: dict[str, int] = {}
        self.suffixes: dict[str, int] = {}

    def cell(self, row: dict[str, str], column: str) -> str:
        text = row.get(column, "")
        return "" if text.strip().lower() in self.mapping.blanks else text

    def raw(self, spec: Spec, row: dict[str, str]) -> Any:
        """The spec's value in `row` after the map, or None when blank."""
        if spec.value is not None:
            return spec.value
        if spec.column is not None:
            text: str = self.cell(row, spec.column)
        else:
            text = ""
            for template in spec.templates:
                names = _PLACEHOLDER.findall(template)
                if all(self.cell(row, n) for n in names):
                    text = _PLACEHOLDER.sub(lambda m: self.cell(row, m.group(1)), template)
                    break
        text = text.strip()
        if not text:
            return spec.default
        if spec.map:
            hit = spec.map.get(_norm(text))
            if hit is not None:
                return hit
        return text

    def vocabulary(self, key: str, spec: Spec, row: dict[str, str]) -> str:
        value = self.raw(spec, row)
        if value is None:
            if key == "warCrimeClassification":
                return ""
            raise RowRefused(key, f"{spec.where()} is blank and the mapping gives no default")
        vocabulary = self.site.vocabularies.get(VOCABULARY_FIELDS[key])
        if value in vocabulary:
            return str(value)
        by_label = {_norm(label): k for k, label in vocabulary.items()}
        by_key = {_norm(k): k for k in vocabulary}
        text = _norm(str(value))
        if text in by_key or text in by_label:
            return by_key.get(text) or by_label[text]
        if spec.otherwise is not None:
            return str(spec.otherwise)
        raise RowRefused(
            key,
            f"{spec.where()}: {str(value)[:60]!r} is not a key of the {VOCABULARY_FIELDS[key]} "
            "vocabulary and the mapping does not map it (add it to map, or set otherwise)",
        )

    def date(self, key: str, spec: Spec, row: dict[str, str]) -> str | None:
        value = self.raw(spec, row)
        if value is None:
            return None
        if isinstance(value, date):
            return value.isoformat()
        text = " ".join(str(value).split())
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?", text) and (
            "%Y-%m-%d" in spec.formats
        ):
            text = text[:10]  # an XLSX date cell reads as YYYY-MM-DD
        for fmt in spec.formats:
            try:
                return datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        raise RowRefused(
            key,
            f"{spec.where()}: {text[:60]!r} matches none of the formats " + ", ".join(spec.formats),
        )

    def text(self, spec: Spec, row: dict[str, str]) -> str:
        value = self.raw(spec, row)
        return "" if value is None else str(value)

    def items(self, table: Table) -> Iterator[Item]:
        """An Item per row: the record, or the InvalidInput that refused the row."""
        self.mapping.check_header(table)
        file = str(table.path)
        for number, row in table.rows:
            position = f"row {number}"
            try:
                record_data, body = self.record_data(row, number)
            except RowRefused as refused:
                yield Item(
                    f"{file}: {position}",
                    error=InvalidInput(
                        refused.message, file=file, position=position, field=refused.field
                    ),
                )
                continue
            try:
                record = validate_record(record_data, self.site, file=file, position=position)
            except InvalidInput as error:
                # The slug was made here: name the row, which the researcher can find.
                error.slug, error.position = None, position
                yield Item(
                    f"{file}: {position}",
                    error=InvalidInput(
                        error.message, file=file, position=position, field=error.field
                    ),
                )
                continue
            if body:
                from casework.render.html import render_markdown

                record = record.with_body(body, render_markdown(body))
            self.claim(record.slug, record.external_id)
            yield Item(f"{file}: {position}", record=record)

    def claim(self, slug: str, external_id: str) -> None:
        self.taken.add(slug)
        if external_id:
            self.known[external_id] = slug

    def record_data(self, row: dict[str, str], number: int) -> tuple[dict[str, Any], str]:
        fields = self.mapping.fields
        external_id = ""
        if self.mapping.external_id:
            external_id = self.cell(row, self.mapping.external_id).strip()
            if not external_id:
                raise RowRefused("externalId", f"column {self.mapping.external_id!r} is blank")
            if external_id in self.seen_ids:
                raise RowRefused(
                    "externalId",
                    f"column {self.mapping.external_id!r}: {external_id!r} is also row "
                    f"{self.seen_ids[external_id]}'s id",
                )
            self.seen_ids[external_id] = number
        title = " ".join(self.text(fields["title"], row).split())
        if not title:
            raise RowRefused("title", f"{fields['title'].where()} is blank")
        incident = self.date("date", fields["date"], row)
        if incident is None:
            raise RowRefused("date", f"{fields['date'].where()} is blank")
        updated = incident
        if "lastUpdated" in fields:
            updated = self.date("lastUpdated", fields["lastUpdated"], row) or incident
        data: dict[str, Any] = {
            "slug": "",
            "title": title,
            "date": incident,
            "lastUpdated": updated,
        }
        for key in ("summary", "victims", "perpetrators", "legalBasis", "description"):
            data[key] = self.text(fields[key], row) if key in fields else ""
        for key in VOCABULARY_FIELDS:
            if key in fields:
                data[key] = self.vocabulary(key, fields[key], row)
            else:
                data[key] = ""
        ongoing = False
        if "ongoing" in fields:
            value = self.raw(fields["ongoing"], row)
            if isinstance(value, bool):
                ongoing = value
            elif value is not None:
                word = _norm(str(value))
                if word not in TRUE_WORDS | FALSE_WORDS:
                    raise RowRefused(
                        "ongoing", f"{fields['ongoing'].where()}: {word[:40]!r} is not yes or no"
                    )
                ongoing = word in TRUE_WORDS
        data["ongoing"] = ongoing
        for key in LIST_FIELDS:
            data[key] = []
            if key in fields:
                spec = fields[key]
                value = self.text(spec, row)
                items = value.split(spec.split or ";") if value else []
                data[key] = list(dict.fromkeys(i.strip() for i in items if i.strip()))
        for list_key, parts in self.mapping.parties.items():
            data[list_key] = [
                p for p in (self.party(list_key, i, part, row) for i, part in enumerate(parts)) if p
            ]
        data["sources"] = [
            s
            for s in (self.source(i, part, row) for i, part in enumerate(self.mapping.sources))
            if s
        ]
        places = [
            p
            for p in (self.location(i, part, row) for i, part in enumerate(self.mapping.locations))
            if p
        ]
        if places:
            data["locations"] = places  # a key of casework's own: written only when it holds some
        for key in (
            "internationalLaw",
            "legalAnalyses",
            "relatedIncidents",
            "documents",
            "timeline",
            "updateLog",
        ):
            data[key] = []
        data["iccRelevance"] = False
        if external_id:
            data["externalId"] = external_id
        data["slug"] = self.slug_for(title, external_id)
        body = self.text(fields["body"], row) if "body" in fields else ""
        return data, body

    def party(
        self, list_key: str, i: int, part: dict[str, Spec], row: dict[str, str]
    ) -> dict[str, Any] | None:
        name = " ".join(self.text(part["name"], row).split())
        if not name:
            return None
        party: dict[str, Any] = {"name": name, "kind": "person"}
        if "kind" in part:
            kind = _norm(self.text(part["kind"], row)) or "person"
            if kind not in ("person", "group", "organization", "state", "population"):
                raise RowRefused(
                    f"{list_key}.{i}.kind",
                    f"{part['kind'].where()}: {kind[:40]!r} is not person, group, organization, "
                    "state or population (map it)",
                )
            party["kind"] = kind
        if "role" in part:
            role = self.text(part["role"], row).strip()
            if role:
                party["role"] = role
        if "count" in part:
            count = self.text(part["count"], row).replace(",", "").strip()
            if count:
                if not count.isdigit():
                    raise RowRefused(
                        f"{list_key}.{i}.count",
                        f"{part['count'].where()}: {count[:40]!r} is not a whole number",
                    )
                party["count"] = int(count)
        return party

    def source(self, i: int, part: dict[str, Spec], row: dict[str, str]) -> dict[str, Any] | None:
        url = self.text(part["url"], row).strip()
        if not url:
            return None
        return {
            "url": url,
            "title": self.text(part["title"], row) if "title" in part else "",
            "publisher": self.text(part["publisher"], row) if "publisher" in part else "",
        }

    def location(self, i: int, part: dict[str, Spec], row: dict[str, str]) -> dict[str, Any] | None:
        """The row's place for one [[locations]] table, or None when it names no country
        (refused instead when the table says `required = true`). A country that is there but
        cannot be read as exactly one ISO code refuses the row: a wrong country is worse."""
        key = f"locations.{i}"
        spec = part["country"]
        value = self.raw(spec, row)
        required = part.get("required")
        if value is None or not str(value).strip():
            if required is not None and required.value is True:
                raise RowRefused(
                    f"{key}.country", f"{spec.where()} is blank (the place is required)"
                )
            return None
        code, problem = resolve_country(str(value))
        if code is None:
            cell = self.cell(row, spec.column).strip() if spec.column else ""
            shown = repr(str(value).strip()[:60])
            if cell and _norm(cell) != _norm(str(value)):
                shown += f" (mapped from {cell[:60]!r})"
                hint = "correct the map"
            else:
                hint = f'add it to the map: map = {{ "{_norm(str(value))[:40]}" = "??" }}'
            raise RowRefused(f"{key}.country", f"{spec.where()}: {shown} {problem} ({hint})")
        place: dict[str, Any] = {}
        for name in ("name", "adminArea"):
            if name in part:
                text = " ".join(self.text(part[name], row).split())
                if text:
                    place[name] = text
        place["country"] = code
        point = [self.coordinate(f"{key}.{k}", part, k, row) for k in ("latitude", "longitude")]
        if point[0] is not None and point[1] is not None:
            # One of the two blank: no point (the model takes both or neither).
            place["latitude"], place["longitude"] = point
        precision = self.grade(f"{key}.precision", part.get("precision"), row)
        if precision is None:
            # Unstated: the coarsest the row supports, never "exact" (that must be said).
            if "latitude" in place or "name" in place:
                precision = "town"
            elif "adminArea" in place:
                precision = "region"
            else:
                precision = "country"
        place["precision"] = precision
        public = self.grade(f"{key}.publishedPrecision", part.get("publishedPrecision"), row)
        # "Publish no finer than": a row already known only as coarsely (a region when the
        # mapping says town) is published as known, so one stated value fits every row.
        if public is not None and PRECISIONS.index(public) > PRECISIONS.index(precision):
            place["publishedPrecision"] = public
        return place

    def coordinate(
        self, key: str, part: dict[str, Spec], name: str, row: dict[str, str]
    ) -> float | None:
        spec = part.get(name)
        if spec is None:
            return None
        value = self.raw(spec, row)
        if value is None:
            return None
        limit = 90 if name == "latitude" else 180
        number = parse_coordinate(value)
        if number is None or not -limit <= number <= limit:
            raise RowRefused(
                key,
                f"{spec.where()}: {str(value).strip()[:40]!r} is not a {name} "
                f"(decimal degrees, -{limit} to {limit})",
            )
        return number

    def grade(self, key: str, spec: Spec | None, row: dict[str, str]) -> str | None:
        if spec is None:
            return None
        value = self.raw(spec, row)
        if value is None:
            return None
        text = _norm(str(value))
        if text not in PRECISIONS:
            raise RowRefused(
                key,
                f"{spec.where()}: {text[:40]!r} is not exact, town, region or country (map it: "
                'ACLED\'s geo_precision is map = { "1" = "town", "2" = "region", "3" = "region" })',
            )
        return text

    def slug_for(self, title: str, external_id: str) -> str:
        """The slug a row's record has: the one it already has in the tracker (found by its
        external id), else one made from the title, `-2`, `-3`, ... on a collision (in row
        order, so the same sheet gives the same slugs)."""
        if external_id and external_id in self.known:
            return self.known[external_id]
        base = slugify(title, max_words=8) or slugify(external_id) or "incident"
        # Counting on from the last suffix this base was given: a sheet of 100,000 rows with
        # twenty titles stays linear.
        n = self.suffixes.get(base, 1)
        slug = base if n == 1 else f"{base}-{n}"
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.suffixes[base] = n
        return slug


# --- suggest -----------------------------------------------------------------------------

_ID_NAMES = re.compile(
    r"(^|[\s_-])(id|ids|code|ref|reference|key|uid|uuid|number|no)$|^(id|event_?id)", re.I
)
_DATE_NAMES = re.compile(r"date|day|when|fecha|datum", re.I)
_PLACE_NAMES = re.compile(
    r"location|place|city|town|village|region|province|district|country|admin|area|site|governorate|municipality",
    re.I,
)
_COUNTRY_NAMES = re.compile(r"^(country|cnty|nation|pays|pa[ií]s|land)$|country", re.I)
_ADMIN_NAMES = re.compile(
    r"admin ?1|admin[ _-]?area|governorate|province|oblast|state|region|district|admin", re.I
)
_SPOT_NAMES = re.compile(r"location|place|town|city|village|site|locality|settlement", re.I)
_LAT_NAMES = re.compile(r"^(lat|latitude|y)$|latitude|(^|[\s_])lat($|[\s_])", re.I)
_LON_NAMES = re.compile(r"^(lon|lng|long|longitude|x)$|longitude|(^|[\s_])(lon|lng)($|[\s_])", re.I)
_PRECISION_NAMES = re.compile(r"geo_?precision|precision|accuracy", re.I)
_VICTIM_NAMES = re.compile(r"victim|name|person|people|injured|killed|target|affected", re.I)
_ACTOR_NAMES = re.compile(r"perpetrator|actor|responsible|unit|force|attacker|suspect", re.I)
_TYPE_NAMES = re.compile(r"type|category|kind|event|violation|incident", re.I)
_TITLE_NAMES = re.compile(r"title|headline|subject|heading", re.I)
_TEXT_NAMES = re.compile(r"note|description|summary|detail|narrative|comment|account", re.I)
_SOURCE_NAMES = re.compile(r"source|url|link", re.I)
_COUNT_NAMES = re.compile(r"fatalit|count|number of|killed|deaths|casualt", re.I)
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%Y/%m/%d",
    "%d/%m/%y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)


def suggest(table: Table, site: Site, *, sample: int = 5000) -> str:
    """A starting mapping (TOML) for `table`, from its header and its first `sample` rows."""
    rows = [row for _, row in _take(table.rows, sample)]
    blanks = frozenset(DEFAULT_BLANKS)
    values = {
        name: [r[name] for r in rows if r.get(name, "").strip().lower() not in blanks]
        for name in table.header
    }
    used: set[str] = set()

    def pick(pattern: re.Pattern[str], test: Any = None) -> str | None:
        for name in table.header:
            if (
                name not in used
                and pattern.search(name)
                and values[name]
                and (test is None or test(name))
            ):
                used.add(name)
                return name
        return None

    def unique(name: str) -> bool:
        return len(values[name]) == len(rows) and len(set(values[name])) == len(rows)

    external = pick(_ID_NAMES, unique)
    if external is None:
        for name in table.header:
            vals = values[name]
            if unique(name) and all(len(v) <= 40 and " " not in v for v in vals):
                external = name
                used.add(name)
                break
    date_column, formats = None, []
    for name in sorted(table.header, key=lambda n: not _DATE_NAMES.search(n)):
        if name in used or not values[name]:
            continue
        found = _date_formats(values[name])
        if found:
            date_column, formats = name, found
            used.add(name)
            break
    title = pick(_TITLE_NAMES)
    kind = pick(_TYPE_NAMES)
    place = _place_columns(table.header, values, used)
    # The place columns first, finest first (the title says "... in {location}"), then any other
    # column named like a place.
    places = [place[k] for k in ("name", "adminArea", "country") if k in place]
    places += [n for n in table.header if n not in used and _PLACE_NAMES.search(n) and values[n]]
    used.update(places)
    actor = pick(_ACTOR_NAMES)
    count = pick(_COUNT_NAMES, lambda n: all(v.replace(",", "").isdigit() for v in values[n]))
    victim = pick(_VICTIM_NAMES)
    source = pick(
        _SOURCE_NAMES,
        lambda n: (
            sum(v.startswith(("http://", "https://")) for v in values[n]) >= len(values[n]) * 0.9
        ),
    )
    text_columns = [
        n for n in table.header if n not in used and _TEXT_NAMES.search(n) and values[n]
    ]
    used.update(text_columns)

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    def ph(name: str) -> str:
        return "{" + name + "}"

    lines = [
        f"# A starting mapping for {table.path.name}, made by `casework mapping suggest`.",
        "# Lines marked REVIEW are stated defaults, not read from the sheet: check them before",
        "# importing. Records import as drafts; a legal classification is never defaulted.",
        "# The schema: docs/mapping.md.",
        "",
        "[sheet]",
    ]
    if table.encoding:
        lines.append(f"encoding = {q(table.encoding)}")
    if table.delimiter:
        lines.append(f"delimiter = {q(table.delimiter)}")
    lines.append("blank = [" + ", ".join(q(b) for b in DEFAULT_BLANKS) + "]")
    lines += ["", "[record]"]
    if external:
        lines.append(f"external_id = {q(external)}  # unique in every row: re-import updates")
    else:
        lines.append(
            "# no column holds a unique id in every row: name one to make re-import update"
        )
        lines.append('# external_id = "..."')
    lines += ["", "[fields]"]
    # The title: a title column, else the kind of event and its place, else the id.
    templates: list[str] = []
    if title:
        templates.append(ph(title))
    if kind and places:
        templates.extend(f"{ph(kind)} in {ph(p)}" for p in places[:2])
    if kind:
        templates.append(ph(kind))
    if places:
        templates.append(f"Incident in {ph(places[0])}")
    if external:
        templates.append(f"Incident {ph(external)}")
    templates.append(f"Incident of {ph(date_column)}" if date_column else "Incident")
    lines.append("title = { template = [" + ", ".join(q(t) for t in templates) + "] }")
    if date_column:
        lines.append(
            f"date = {{ column = {q(date_column)}, formats = ["
            + ", ".join(q(f) for f in formats)
            + "] }"
        )
        if "%d/%m/%Y" in formats and "%m/%d/%Y" in formats:
            lines.append("# REVIEW: day/month order: the first format that fits a date wins")
    else:
        lines.append("# REVIEW: no column holds dates in a known format; name it and its formats")
        lines.append('date = { column = "?", formats = ["%Y-%m-%d"] }')
    summary_parts = [ph(n) for n in text_columns[:1]]
    if summary_parts:
        lines.append(f"summary = {q(summary_parts[0])}")
    if len(text_columns) > 1:
        lines.append(
            "body = { template = "
            + q("\n\n".join(f"**{n}:** {ph(n)}" for n in text_columns[1:]))
            + " }"
        )
    if places:
        lines.append(f'tags = {{ column = {q(places[0])}, split = ";" }}')
    if victim:
        lines.append(f"victims = {q(ph(victim))}")
    if actor:
        lines.append(f"perpetrators = {q(ph(actor))}")
    for key, vocab in (("category", "category"), ("severity", "severity"), ("posture", "posture")):
        first = next(iter(site.vocabularies.get(vocab)))
        if key == "category" and kind:
            distinct = sorted(set(values[kind]))[:12]
            lines.append(
                f"# REVIEW: map the values of {kind!r} (" + ", ".join(distinct) + ") to categories"
            )
            lines.append(
                f"category = {{ column = {q(kind)}, map = {{}}, "
                f"otherwise = {q(first)}, default = {q(first)} }}"
            )
            continue
        lines.append(f"{key} = {{ value = {q(first)} }}  # REVIEW: a stated default")
    lines.append("# warCrimeClassification: never defaulted; map it from a column if you keep one")
    if victim or count:
        lines += ["", "[[structuredVictims]]"]
        lines.append(f"name = {q(ph(victim))}" if victim else 'name = "Unnamed"')
        lines.append('kind = "person"  # REVIEW')
        if count:
            lines.append(f"count = {{ column = {q(count)} }}")
    if actor:
        lines += [
            "",
            "[[structuredPerpetrators]]",
            f"name = {q(ph(actor))}",
            'kind = "group"  # REVIEW',
        ]
    if source:
        lines += ["", "[[sources]]", f"url = {{ column = {q(source)} }}"]
    if "country" in place:
        lines += ["", *_location_lines(place, values, q)]
    return "\n".join(lines) + "\n"


def _place_columns(
    header: list[str], values: dict[str, list[str]], used: set[str]
) -> dict[str, str]:
    """The columns a [[locations]] table is made from, by header name and values: `country`
    (named like one with most values read as one country each, or any column whose values all
    are), `adminArea`, `name`, `latitude`/`longitude` (named like them, every value a number in
    range), `precision` (geo_precision). Marks them used."""
    found: dict[str, str] = {}

    def free(name: str) -> bool:
        return name not in used and name not in found.values() and bool(values[name])

    def countries(name: str) -> float:
        vals = values[name][:500]
        if all(re.fullmatch(r"[\d.,\s-]*", v) for v in vals):
            return 0.0  # codes like ACLED's numeric iso are not what a record holds
        return sum(resolve_country(v)[0] is not None for v in vals) / len(vals)

    named = [n for n in header if free(n) and _COUNTRY_NAMES.search(n) and countries(n) >= 0.5]
    by_values = [n for n in header if free(n) and n not in named and countries(n) == 1.0]
    if named or by_values:
        found["country"] = (named or by_values)[0]
    # ACLED's "region" is a world region ("Middle East"): an admin1 column goes first.
    for pattern in (re.compile(r"admin ?1", re.I), _ADMIN_NAMES):
        hit = next((n for n in header if free(n) and pattern.search(n)), None)
        if hit and "adminArea" not in found:
            found["adminArea"] = hit
    hit = next((n for n in header if free(n) and _SPOT_NAMES.search(n)), None)
    if hit:
        found["name"] = hit
    for key, pattern, limit in (
        ("latitude", _LAT_NAMES, 90),
        ("longitude", _LON_NAMES, 180),
    ):
        for n in header:
            if free(n) and pattern.search(n):
                # Most values in range: a mistyped one is the import's to refuse, by row.
                numbers = [parse_coordinate(v) for v in values[n]]
                fit = sum(x is not None and -limit <= x <= limit for x in numbers)
                if fit >= 0.8 * len(numbers):
                    found[key] = n
                    break
    if ("latitude" in found) != ("longitude" in found):
        found.pop("latitude", None)
        found.pop("longitude", None)
    hit = next((n for n in header if free(n) and _PRECISION_NAMES.search(n)), None)
    if hit:
        found["precision"] = hit
    if "country" in found:
        used.update(found.values())
    return found


def _location_lines(place: dict[str, str], values: dict[str, list[str]], q: Any) -> list[str]:
    lines = ["[[locations]]"]
    if "name" in place:
        lines.append(f"name = {{ column = {q(place['name'])} }}")
    if "adminArea" in place:
        lines.append(f"adminArea = {{ column = {q(place['adminArea'])} }}")
    column = place["country"]
    unread = sorted({v.strip() for v in values[column] if resolve_country(v)[0] is None})
    if unread:
        example = ", ".join(f'{q(_norm(v))} = "??"' for v in unread[:3])
        lines.append(
            "# REVIEW: these values name no single country: "
            + ", ".join(unread[:12])
            + f"; give each its ISO code in the map (map = {{ {example} }}), or their rows are"
            + " refused"
        )
    lines.append(f"country = {{ column = {q(column)}, map = {{}} }}")
    if "latitude" in place:
        lines.append(f"latitude = {{ column = {q(place['latitude'])} }}")
        lines.append(f"longitude = {{ column = {q(place['longitude'])} }}")
    if "precision" in place:
        codes = sorted({_norm(v) for v in values[place["precision"]]})
        if set(codes) <= {"1", "2", "3"}:
            # ACLED's geo_precision: 1 the town's own coordinates, 2 a part of a region (the
            # nearest town's), 3 a larger region (its capital's): never the exact spot.
            lines.append("# REVIEW: read as ACLED's geo_precision: 1 a town, 2 and 3 a region")
            lines.append(
                f"precision = {{ column = {q(place['precision'])}, "
                'map = { "1" = "town", "2" = "region", "3" = "region" } }'
            )
        else:
            lines.append(
                f"# REVIEW: map the values of {place['precision']!r} ("
                + ", ".join(codes[:12])
                + ") to exact, town, region or country"
            )
            lines.append(f"precision = {{ column = {q(place['precision'])}, map = {{}} }}")
    else:
        grade = (
            "town"
            if "latitude" in place or "name" in place
            else "region"
            if "adminArea" in place
            else "country"
        )
        lines.append(
            f'precision = "{grade}"  # REVIEW: no precision column; a point or a place name is '
            "read as a town, never the exact spot"
        )
    lines.append(
        '# publishedPrecision = "town"  # REVIEW: publish sensitive places (a shelter, a '
        "witness's home, a clinic) more coarsely than they are known"
    )
    return lines


def _take(rows: Iterator[tuple[int, dict[str, str]]], n: int) -> list[tuple[int, dict[str, str]]]:
    taken = []
    for row in rows:
        taken.append(row)
        if len(taken) >= n:
            break
    return taken


def _date_formats(values: list[str]) -> list[str]:
    """The formats (of DATE_FORMATS) that together read every value, in a stated order; empty
    when some value fits none or most values are not dates."""
    needed: list[str] = []
    for value in values:
        text = " ".join(value.split())
        fits = [f for f in DATE_FORMATS if _parses(text, f)]
        if not fits:
            return []
        if not any(f in needed for f in fits):
            needed.append(fits[0])
            if fits[0] == "%d/%m/%Y" and "%m/%d/%Y" in fits:
                needed.append("%m/%d/%Y")  # ambiguous: both listed, day first
    return sorted(needed, key=DATE_FORMATS.index)


def _parses(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True
