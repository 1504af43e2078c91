"""Rendering one page: the templates applied to a page's context or to a record (shared by
the static build and the live site)."""

from __future__ import annotations

import html
import re
from base64 import b64encode
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import Any
from urllib.parse import urlsplit

import orjson
from jinja2.filters import do_truncate
from markupsafe import Markup

from casework.formats import dumps, record_document
from casework.formats.citations import bibtex, csl_json, ris
from casework.formats.jsonld import jsonld_script_body, record_jsonld
from casework.model import (
    Party,
    Record,
    Site,
    StatuteCatalog,
    derived_fields,
    slugify,
    tag_slug,
)
from casework.model.provenance import Footnote, footnotes
from casework.render import i18n
from casework.render.chart import monthly_chart_svg
from casework.render.templates import environment, escape, human_date, place_label


# Cached: a site plan asks for the same few thousand tags' and statutes' slugs ~100,000 times.
@lru_cache(maxsize=65_536)
@lru_cache(maxsize=65_536)  # per provision of every card, each plan (publish/plan.py)
def statute_slug(statute: str) -> str:
    return slugify(statute) or "statute"


def statute_page(statute: str, catalog: StatuteCatalog) -> tuple[str, str]:
    """(name, slug) of the /law/ page that lists a provision citing `statute`: its canonical
    name's when the catalog knows it (every spelling of a statute shares one page), its own
    otherwise."""
    found = catalog.resolve(statute)
    name = found.name if found is not None else statute.strip()
    return name, statute_slug(name)


def base_path(site: Site) -> str:
    """The URL path the site lives under ("/" or "/tracker/"): every link starts with it."""
    return urlsplit(site.url).path.rstrip("/") + "/"


def common(site: Site) -> dict[str, Any]:
    vocab = site.vocabularies
    language = site.language
    return {
        "site": site,
        "base": base_path(site),
        "labels": {
            name: vocabulary_labels(vocab.get(name), language)
            for name in ("category", "severity", "posture")
        },
        "classifications": vocabulary_labels(vocab.get("classification"), language),
        "severity_rank": {key: i for i, key in enumerate(vocab.get("severity"))},
        "tag_slug": tag_slug,
        "card": card_html if language == "en" else partial(card_html, language=language),
        "entity_cards": partial(entity_cards, language=language),
        "timeline_events": partial(timeline_events, language=language),
        "statute_slug": statute_slug,
        # A listing's form as the build renders it, by what it shows (`listing_form`).
        "listing_forms": {},
    }


def vocabulary_labels(labels: dict[str, str], language: str) -> dict[str, str]:
    """A vocabulary's labels in `language`: the default labels have translations
    (render/vocabulary_labels.py); a tracker's own labels are its own words, kept."""
    if language == "en":
        return labels
    return {key: i18n.gettext(language, label) for key, label in labels.items()}


def card_html(
    brief: dict[str, Any],
    base: str,
    labels: dict[str, dict[str, str]],
    level: int = 3,
    language: str = "en",
) -> Markup:
    """One record in a listing, its title a heading of `level` (2 right under a page's h1, 3
    under a section's h2: heading levels never skip). Written in Python, not a Jinja macro,
    and memoised: a record shows in eight or so listings per build, and the macro was most
    of a listing's time."""
    # The brief's items as they are (a brief in another order is a key missed, never a card
    # wrong: the card reads its fields by name).
    return _card_html(tuple(brief.items()), base, _labels_key(labels), level, language)


# The last labels given, a copy of them, and their key: a build passes the same labels
# (`common`'s) to each of its ~280,000 cards, and their key was most of a memoised card's time.
_last_labels: list[tuple[Any, Any, Any]] = [(None, None, ())]


def _labels_key(
    labels: dict[str, dict[str, str]],
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """`labels` as a hashable key, made again only when the labels are other labels, or the
    same dict holding other labels (compared with its copy, in C, no tuple made)."""
    last, copy, key = _last_labels[0]
    if labels is not last or labels != copy:
        key = tuple((name, tuple(vocab.items())) for name, vocab in labels.items())
        _last_labels[0] = (labels, {name: dict(vocab) for name, vocab in labels.items()}, key)
    return key  # type: ignore[no-any-return]


@lru_cache(maxsize=65536)
def _card_html(
    items: tuple[tuple[str, Any], ...],
    base: str,
    labels: tuple[tuple[str, tuple[tuple[str, str], ...]], ...],
    level: int,
    language: str,
) -> Markup:
    r = dict(items)
    vocab = {name: dict(pairs) for name, pairs in labels}
    e = escape
    h = f"h{int(level)}"
    ongoing_word = e(i18n.gettext(language, "Ongoing"))
    ongoing = f' <span class="badge ongoing">{ongoing_word}</span>' if r["ongoing"] else ""
    # A search hit shows its snippet (search's own HTML: escaped text, matches in <mark>)
    # where a listing shows the summary; search.js makes the same paragraph.
    snippet = r.get("snippet")
    text = f'<p class="snippet">{snippet}</p>' if snippet else f"<p>{e(r['summary'])}</p>"
    # Severity (and "ongoing") are the badges that matter, drawn filled; category and
    # evidentiary standing are quieter labels after the date.
    # Every value is escaped above, so the markup is safe to mark as such.
    return Markup(  # noqa: S704
        f'<li class="card">\n  <{h}><a href="{e(base)}incident/{e(r["slug"])}/">{e(r["title"])}'
        f'</a></{h}>\n  <p class="meta"><span class="badge sev-{e(r["severity"])}">'
        f"{e(vocab['severity'].get(r['severity'], r['severity']))}</span>{ongoing} "
        f'<time datetime="{e(r["date"])}">{e(human_date(r["date"], language))}</time>'
        f' · <span class="label">{e(vocab["category"].get(r["category"], r["category"]))}</span>'
        f' · <span class="label posture">'
        f"{e(vocab['posture'].get(r['posture'], r['posture']))}</span></p>"
        f"\n  {text}\n</li>"
    )


def entity_cards(
    records: list[dict[str, Any]], base: str, labels: dict[str, dict[str, str]], language: str
) -> Markup:
    """entity.html's list of a party's records (a brief each, with the `sides` it is named
    on), in Python: per row, a date filter, two `_()` calls, a `map` and a `join` in the
    template were most of an entity page's time (4,780 such pages at 10,000 records). The
    words are as the template's: the catalog's text is markup, every value escaped."""
    e = escape
    words = _side_words(language)
    severities = labels["severity"]
    rows = []
    for r in records:
        sides = words[1].join(words[0].get(side, side) for side in r["sides"])
        severity = r["severity"]
        rows.append(
            f'<li class="card"><h2><a href="{e(base)}incident/{e(r["slug"])}/">{e(r["title"])}'
            f'</a></h2>\n<p class="meta"><time datetime="{e(r["date"])}">'
            f"{e(human_date(r['date'], language))}</time> · {words[2] % {'sides': sides}}"
            f' <span class="badge sev-{e(severity)}">{e(severities.get(severity, severity))}'
            f"</span></p></li>\n"
        )
    return _html(rows)


def timeline_events(events: list[list[str]], base: str, language: str) -> Markup:
    """timeline.html's events of a year ([day, title, summary, slug, record title] each), in
    Python: a year's page holds thousands, each a date filter and five escapes in the
    template (17 pages were a sixth of the listings' time at 10,000 records)."""
    e = escape
    href = f"{e(base)}incident/"
    return _html(
        f'<li><time datetime="{e(day)}">{e(human_date(day, language))}</time>\n'
        f"<div><strong>{e(title)}</strong>{f' — {e(summary)}' if summary else ''}"
        f'<br><a class="small" href="{href}{e(slug)}/">{e(record_title)}</a></div></li>\n'
        for day, title, summary, slug, record_title in events
    )


@cache
def _side_words(language: str) -> tuple[dict[str, Markup], Markup, Markup]:
    """_macros.html's party_words, its " and ", and "as %(sides)s", as `_()` gives them."""
    words = _party_words(language) | {
        side: _as_fixed(i18n.gettext(language, side)) for side in ("victim", "perpetrator")
    }
    # `_()` with arguments: the catalog's text as Markup, `%` the arguments (escaped).
    return (
        words,
        _as_fixed(i18n.gettext(language, " and ")),
        Markup(i18n.gettext(language, "as %(sides)s")),  # noqa: S704
    )


def render_page(template: str, path: str, context: dict[str, Any], shared: dict[str, Any]) -> str:
    """A planned page: `shared` is `common(site)`, `path` its output path."""
    extra: dict[str, Any] = {"path": path}
    language = shared["site"].language
    if "chart" in context:
        categories = shared["labels"]["category"]
        extra["chart_svg"] = monthly_chart_svg(context["chart"], categories, language=language)
        extra["chart_svg_narrow"] = monthly_chart_svg(
            context["chart"], categories, narrow=True, language=language
        )
    if template == "listing.html" and not context.get("live"):
        extra["listing_form"] = listing_form(shared, context)
    return environment(language).get_template(template).render(shared | context | extra)


def listing_form(shared: dict[str, Any], context: dict[str, Any]) -> Markup:
    """A built listing's form (_macros.html `listing_tools`), rendered once for all its pages:
    a listing's pages share its facets, and the form's options (every tag, year and country
    with its count) were most of each page's time (900 of a 3,000-record site's 1,660 listing
    pages are a tag listing's page 2 or later)."""
    kind = context["kind"]
    default_sort = "oldest" if kind == "year" else "newest"
    key = orjson.dumps([context["facets"], context["listing_path"], default_sort])
    forms: dict[bytes, Markup] = shared["listing_forms"]
    found = forms.get(key)
    if found is None:
        macros = environment(shared["site"].language).get_template("_macros.html").module
        found = forms[key] = macros.listing_tools(  # type: ignore[attr-defined]
            context["facets"], shared["labels"], None, default_sort, shared["base"],
            context["listing_path"], shared["severity_rank"],
        )  # fmt: skip
    return found


def data_uri(text: str, media_type: str) -> str:
    # base64 rather than percent-encoding: the same link, and encoded in C.
    return f"data:{media_type};charset=utf-8;base64,{b64encode(text.encode()).decode()}"


def record_page(
    record: Record,
    site: Site,
    shared: dict[str, Any],
    related: list[tuple[str, str, str]],
    version: int | None = None,
) -> str:
    """The record's page; `related` is (slug, title, date) of the published records it names;
    `version` its current public version, which the citation forms carry."""
    # Grouped as written (authored data is shown as authored), linked to the statute's page.
    catalog = site.statute_catalog()
    law: dict[str, list[Any]] = defaultdict(list)
    for provision in record.international_law:
        law[provision.statute].append(provision)
    csl = dumps([csl_json(record, site, version)])
    bib, ris_text = bibtex(record, site, version), ris(record, site, version)
    derived = derived_fields(record, site)
    download = partial(_download_label, site.language)
    citations = [
        (
            "BibTeX",
            bib,
            data_uri(bib, "application/x-bibtex"),
            f"{record.slug}.bib",
            download("BibTeX"),
        ),
        (
            "RIS",
            ris_text,
            data_uri(ris_text, "application/x-research-info-systems"),
            f"{record.slug}.ris",
            download("RIS"),
        ),
        (
            "CSL-JSON",
            csl,
            data_uri(csl, "application/vnd.citationstyles.csl+json"),
            # Not SLUG.json: that is the record's own JSON, which the page also offers.
            f"{record.slug}.csl.json",
            download("CSL-JSON"),
        ),
    ]
    return (
        environment(site.language)
        .get_template("record.html")
        .render(
            shared,
            path=f"incident/{record.slug}/index.html",
            record=record,
            d=derived,
            law=[
                (
                    statute,
                    statute_page(statute, catalog)[1],
                    _html(
                        f"<li>{f'<strong>{escape(p.article)}</strong>: ' if p.article else ''}"
                        f"{escape(p.provision)}</li>"
                        for p in items
                    ),
                )
                for statute, items in law.items()
            ],
            related=related,
            citations=citations,
            parts=record_parts(record, shared, related, derived["sourceCount"]),
            jsonld=jsonld_script_body(record_jsonld(record, site)),
        )
    )


@dataclass(frozen=True, slots=True)
class RecordParts:
    """What record.html shows of a record beyond its own fields, made in Python (a Jinja
    macro call, filter or method call per claim, party or place was most of the page's time:
    ~120 calls a page). Words in the site's language; Markup is HTML, every value escaped."""

    summary_short: str  # the summary cut to 300 characters (description, og:description)
    category: str
    severity: str
    posture: str
    classification: str
    date: str  # in words
    updated: str
    places: Markup  # the places, "; " between
    where: Markup  # the same with each point's coordinates
    map_points: list[list[Any]]  # [lat, lon, place] of the located places
    affected_names: Markup  # the parties, linked to their entity's page, or the text cut
    responsible_names: Markup
    affected: Markup  # <li> of each structured party
    responsible: Markup
    # The <li> of each list: the key points and timeline events followed by their citations'
    # marks, the sources and documents by their kept copy (`casework archive`).
    key_points: Markup
    timeline: Markup
    analyses: Markup
    sources: Markup
    documents: Markup
    related: Markup
    tags: Markup
    updates: Markup
    words: int  # of the account (body_html without its tags)
    # "7 sources", ", 2 documents" (at a glance); each folding list's opening (fold_open).
    source_count: Markup
    document_count: Markup
    timeline_fold: Markup
    account_fold: Markup
    sources_fold: Markup
    updates_fold: Markup
    map_assets: Markup  # _map.html's, when the record has a point to show
    map: Markup


def record_parts(
    record: Record,
    shared: dict[str, Any],
    related: list[tuple[str, str, str]],
    source_count: int = 0,
) -> RecordParts:
    site: Site = shared["site"]
    language = site.language
    env = environment(language)
    labels, classifications = shared["labels"], shared["classifications"]
    base = escape(shared["base"])
    e = escape
    cites = _citation_marks(footnotes(record), language)
    places = [(loc, place_label(loc, language)) for loc in record.locations]
    where = [
        f'{e(label)} <span class="small">{e(loc.latitude)}, {e(loc.longitude)}</span>'
        if loc.latitude is not None
        else e(label)
        for loc, label in places
    ]
    words = _party_words(language)
    victims, perpetrators = record.structured_victims, record.structured_perpetrators
    classification = record.war_crime_classification
    body = record.body_html
    kept = _kept_copies((record.model_extra or {}).get("captures") or [], base, language)
    map_points = [
        [loc.latitude, loc.longitude, label] for loc, label in places if loc.latitude is not None
    ]
    n_words = account_words(body) if body else 0
    documents = len(record.documents)
    document_count = (
        Markup(", ")
        + _counted(
            i18n.plural(language, "%(num)s document", "%(num)s documents", documents), documents
        )
        if documents
        else _NOTHING
    )
    fold = partial(fold_open, language=language)
    return RecordParts(
        summary_short=do_truncate(env, record.summary, 300),
        category=labels["category"].get(record.category, record.category),
        severity=labels["severity"].get(record.severity, record.severity),
        posture=labels["posture"].get(record.posture, record.posture),
        classification=classifications.get(classification, classification),
        date=human_date(record.date, language),
        updated=human_date(record.last_updated, language),
        places=Markup("; ".join(e(label) for _, label in places)),  # noqa: S704
        where=Markup("; ".join(where)),  # noqa: S704
        map_points=map_points,
        affected_names=_party_names(env, base, victims, record.victims),
        responsible_names=_party_names(env, base, perpetrators, record.perpetrators),
        affected=_party_items(base, victims, words),
        responsible=_party_items(base, perpetrators, words),
        key_points=_html(
            f"<li>{e(point)}{cites.get(f'keyPoints/{i}', '')}</li>"
            for i, point in enumerate(record.key_points)
        ),
        timeline=_html(
            f'<li><time datetime="{e(event.date)}">{e(human_date(event.date, language))}</time>'
            f"<div><strong>{e(event.title)}</strong>"
            f"{f' — {e(event.summary)}' if event.summary else ''}"
            f"{cites.get(f'timeline/{i}', '')}</div></li>"
            for i, event in enumerate(record.timeline)
        ),
        analyses=_html(
            f'<li><a href="{e(a.url)}" rel="noopener nofollow">{e(a.title)}</a>'
            f' <span class="small">{e(a.organization)}</span></li>'
            for a in record.legal_analyses
        ),
        sources=_html(
            f'<li id="source-{n}"><a href="{e(s.url)}" rel="noopener nofollow">{e(s.title)}</a>'
            f' <span class="small">{e(s.publisher)}</span>{kept(s.url)}</li>'
            for n, s in enumerate(record.sources, start=1)
        ),
        documents=_html(
            _document_item(n, doc, language, kept)
            for n, doc in enumerate(record.documents, start=len(record.sources) + 1)
        ),
        related=_html(
            f'<li><a href="{base}incident/{e(slug)}/">{e(title)}</a> <time class="small" '
            f'datetime="{e(day)}">{e(human_date(day, language))}</time></li>'
            for slug, title, day in related
        ),
        tags=_html(
            f'<li><a href="{base}tag/{e(tag_slug(tag))}/">{e(tag)}</a></li>' for tag in record.tags
        ),
        updates=_html(
            f'<li><time datetime="{e(u.date)}">{e(human_date(u.date, language))}</time>'
            f" {e(u.summary)}</li>"
            for u in record.update_log
        ),
        words=n_words,
        source_count=_counted(
            i18n.plural(language, "%(num)s source", "%(num)s sources", source_count), source_count
        ),
        document_count=document_count,
        timeline_fold=fold(
            len(record.timeline) > 6,
            _counted(
                i18n.plural(
                    language, "all %(num)s events", "all %(num)s events", len(record.timeline)
                ),
                len(record.timeline),
            ),
        ),
        account_fold=fold(
            n_words > 600,
            _counted(
                i18n.plural(
                    language,
                    "the full account (%(words)s word)",
                    "the full account (%(words)s words)",
                    n_words,
                ),
                n_words,
                words=f"{n_words:,}",
            ),
        ),
        sources_fold=fold(
            len(record.sources) > 12,
            _counted(
                i18n.plural(
                    language, "all %(num)s sources", "all %(num)s sources", len(record.sources)
                ),
                len(record.sources),
            ),
        ),
        updates_fold=fold(
            len(record.update_log) > 4,
            _counted(
                i18n.plural(
                    language, "all %(num)s updates", "all %(num)s updates", len(record.update_log)
                ),
                len(record.update_log),
            ),
        ),
        map_assets=_map_assets(language, str(base)) if map_points else _NOTHING,
        map=_map_element(site, str(base), map_points) if map_points else _NOTHING,
    )


@cache
def _map_module(language: str) -> Any:
    return environment(language).get_template("_map.html").module


@cache
def _map_assets(language: str, base: str) -> Markup:
    return Markup(_map_module(language).map_assets(base))  # noqa: S704  (a macro's output)


def _map_element(site: Site, base: str, points: list[list[Any]]) -> Markup:
    label = _as_fixed(i18n.gettext(site.language, "Map of where this happened"))
    return Markup(_map_module(site.language).map_element("record-map", base, site, label, points))  # noqa: S704


def _counted(text: str, n: int, **more: Any) -> Markup:
    """The template's `ngettext(singular, plural, n, **more)`: `text` is the catalog's
    (i18n.plural), markup, given its numbers."""
    more.setdefault("num", n)
    return Markup(text) % more  # noqa: S704


def _html(items: Iterable[str]) -> Markup:
    return Markup("".join(items))  # noqa: S704  (each item's values escaped)


def _document_item(n: int, doc: Any, language: str, kept: Callable[[str], str]) -> str:
    e = escape
    day = f", {e(human_date(doc.date, language))}" if doc.date else ""
    digest = f'<br><code class="hash">SHA-256 {e(doc.sha256)}</code>' if doc.sha256 else ""
    return (
        f'<li id="source-{n}"><a href="{e(doc.url)}" rel="noopener nofollow">{e(doc.title)}</a>'
        f' <span class="small">{e(doc.kind)}{day}</span>{digest}{kept(doc.url)}</li>'
    )


def _kept_copies(
    captures: list[dict[str, Any]], base: Markup, language: str
) -> Callable[[str], str]:
    """A source's or document's kept copy (`casework archive`): the newest, with its readable
    text and the original WARC, served by content address from this site; "" for none."""
    if not captures:
        return lambda url: ""
    newest: dict[Any, dict[str, Any]] = {}
    for c in captures:
        newest.setdefault(c.get("url"), c)
    archived = _as_fixed(i18n.gettext(language, "archived"))
    view = _as_fixed(i18n.gettext(language, "view the capture"))
    e = escape

    def kept(url: str) -> str:
        c = newest.get(url)
        if not c:
            return ""
        at, digest = c["capturedAt"], c["sha256"]
        return (
            f'<br><span class="small archived">{archived} <time datetime="{e(at)}">'
            f'{e(at[:10])}</time> · SHA-256 <code class="hash" title="{e(digest)}">'
            f'{e(digest[:12])}…</code> · <a href="{base}{e(c["text"])}" rel="nofollow">{view}'
            f'</a> · <a href="{base}{e(c["warc"])}" rel="nofollow" download>WARC</a></span>'
        )

    return kept


_NOTHING = Markup()
_TAG = re.compile(r"<[^>]*>")
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")
# Each byte that is not an ASCII word character (\w: letters, digits, _) → a space.
_WORD_BYTES = bytes(b if b < 128 and (chr(b).isalnum() or b == 95) else 32 for b in range(256))


def account_words(body: str) -> int:
    """The words of an account: what Jinja's `body|striptags|wordcount` counts (the \\w+ runs of
    its text, tags and comments removed, entities read), in a third of its time (it was a
    sixth of a record page's). Tags are removed by one regex when that is what striptags
    does (no comment, no unclosed tag); the words are then counted in C, as runs of ASCII
    letters once every other character is a space."""
    if "<!--" in body or body.rfind("<") > body.rfind(">"):
        text = Markup(body).striptags()  # noqa: S704  (counted, never shown)
    else:
        text = html.unescape(_TAG.sub("", body))
    data = text.encode()
    if not data.isascii():
        # Each character beyond ASCII (a few kinds a text: quotes, dashes, accented letters)
        # as one ASCII byte: a letter when \\w matches it (str.isalnum is its test), else a
        # space. UTF-8 finds a character's bytes only where it is.
        for char in set(_BEYOND_ASCII.findall(text)):
            data = data.replace(char.encode(), b"a" if char.isalnum() else b" ")
    return len(data.translate(_WORD_BYTES).split())


def _citation_marks(notes: dict[str, Footnote], language: str) -> dict[str, Markup]:
    """Claim path → what follows the claim: a link to each source it cites ([n]), then the
    sentence the source says it in (when given), folded."""
    e = escape
    label = partial(_source_label, language)
    says = _as_fixed(i18n.gettext(language, "What the source says"))
    marks = {}
    for claim, note in notes.items():
        sentence = note.sentence
        title = f' title="{e(sentence)}"' if sentence else ""
        links = "".join(
            f'<a href="#source-{n}" aria-label="{label(n)}"{title}>[{n}]</a>' for n in note.numbers
        )
        html = f'<sup class="cites">{links}</sup>'
        if sentence:
            html += (
                f'<details class="said"><summary>{says}</summary>'
                f'<blockquote cite="{e(note.urls[0])}">{e(sentence)}</blockquote></details>'
            )
        marks[claim] = Markup(html)  # noqa: S704  (every value escaped above)
    return marks


@lru_cache(maxsize=64)
def _download_label(language: str, name: str) -> Markup:
    return Markup(i18n.gettext(language, "Download %(format)s")) % {"format": name}  # noqa: S704


@lru_cache(maxsize=4096)
def _source_label(language: str, n: int) -> str:
    """A citation mark's label, "source 3" (escaped)."""
    return str(Markup(i18n.gettext(language, "source %(n)s")) % {"n": n})  # noqa: S704


@cache
def _party_words(language: str) -> dict[str, Markup]:
    """The words of a party's kind (model PartyKind) as _macros.html's party_words has them."""
    kinds = (
        i18n.gettext(language, "person"),
        i18n.gettext(language, "group"),
        i18n.gettext(language, "organization"),
        i18n.gettext(language, "state"),
        i18n.gettext(language, "population"),
    )
    keys = ("person", "group", "organization", "state", "population")
    return {key: _as_fixed(text) for key, text in zip(keys, kinds, strict=True)}


def _party_name(base: Markup, party: Party) -> str:
    name = escape(party.name)
    if party.entity:
        return f'<a href="{base}entity/{escape(party.entity)}/">{name}</a>'
    return name


def _party_names(env: Any, base: Markup, structured: list[Party], text: str) -> Markup:
    """A side's parties in a line: each linked to its entity's page; the authored text (cut)
    when the record names none."""
    if structured:
        return Markup("; ".join(_party_name(base, p) for p in structured))  # noqa: S704
    return escape(do_truncate(env, text, 140))


def _party_items(base: Markup, structured: list[Party], words: dict[str, Markup]) -> Markup:
    items = []
    for p in structured:
        more = [escape(words.get(p.kind, p.kind))]
        if p.role:
            more.append(escape(p.role))
        if p.count is not None:
            more.append(escape(f"{p.count:,}"))
        shown = ", ".join(more)
        items.append(f'<li>{_party_name(base, p)} <span class="small">{shown}</span></li>')
    return Markup("".join(items))  # noqa: S704  (every value escaped)


def _as_fixed(translated: str) -> Markup:
    """A catalog's text as the template's `{{ _("...") }}` gives it (templates.FixedWords)."""
    return Markup(translated) % {}  # noqa: S704  (the catalog's text is markup)


@cache
def _fold_words(language: str) -> tuple[Markup, Markup]:
    return _as_fixed(i18n.gettext(language, "Show")), _as_fixed(i18n.gettext(language, "Hide"))


def fold_open(is_long: bool, what: str, language: str = "en") -> Markup:
    """A section that folds (record.html): a long one closed, a short one open; what its
    summary offers to show. Closed by a </details>."""
    show, hide = _fold_words(language)
    shown = "" if is_long else " open"
    return Markup(  # noqa: S704  (`what` escaped)
        f'<details class="fold"{shown}><summary><span class="fold-show">{show}</span>'
        f'<span class="fold-hide">{hide}</span> {escape(what)}</summary>'
    )


def record_json(record: Record, site: Site, generated_at: str) -> str:
    return dumps(record_document(record, site, generated_at))
