"""The pages' own words in the site's language (casework.toml's [site] language).

Templates mark their words with `_()`/`ngettext()` (Jinja2's i18n extension); Python that
writes words onto a page calls `gettext` here. The catalogs are casework/locale/LANG/
LC_MESSAGES/casework.mo, compiled from the .po beside them by scripts/translations.sh.
English is the templates' own text: no catalog, so an English site is what it always was.
Records' words (titles, summaries, accounts) are the researchers' and are never translated;
a vocabulary label is, when the tracker kept the default one (render/vocabulary_labels.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel.dates import format_date, format_skeleton
from babel.support import Translations

from casework.model import display_date
from casework.model.site import SITE_LANGUAGES

DOMAIN = "casework"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
RIGHT_TO_LEFT = frozenset({"ar"})


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of `language`; English (and only English) has none."""
    if language not in SITE_LANGUAGES:
        raise ValueError(f"no catalog for language {language!r}")
    if language == "en":
        return NullTranslations()
    found = Translations.load(str(LOCALE_DIR), [language], DOMAIN)
    if not isinstance(found, Translations):  # Babel returns NullTranslations when missing
        raise FileNotFoundError(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo")
    return found


def gettext(language: str, message: str) -> str:
    return translations(language).gettext(message)


def comma(language: str) -> str:
    """What separates the parts of a place's name: Arabic writes its own comma."""
    return "، " if language == "ar" else ", "


def direction(language: str) -> str:
    """`rtl` or `ltr`: the <html dir> of a page in `language`."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def day_in_words(value: date, language: str) -> str:
    """`2025-12-02` → `December 2, 2025`, `2 de diciembre de 2025`, `2 décembre 2025`…"""
    if language == "en":
        return display_date(value)
    return format_date(value, format="long", locale=language)


def month_in_words(value: date, language: str) -> str:
    """`2021-03-01` → `March 2021`, `marzo de 2021`, `mars 2021`…"""
    if language == "en":
        return value.strftime("%B %Y")
    return format_skeleton("yMMMM", value, locale=language)


@cache
def _country_names(language: str) -> NullTranslations:
    import gettext as stdlib_gettext

    import pycountry

    return stdlib_gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def country(name: str, language: str) -> str:
    """A country's English short name (model/places.py) in `language`: pycountry ships the
    ISO 3166 names' translations (iso-codes); a name it lacks stays English."""
    if language == "en":
        return name
    return _country_names(language).gettext(name)


def plural(language: str, singular: str, plural: str, n: int) -> str:
    """ngettext in `language` (named apart from the templates' ngettext, whose arguments
    scripts/translations.sh extracts from other positions)."""
    return translations(language).ngettext(singular, plural, n)


# search.js's plural table: every catalog's rule (es, fr, ar) looks at n itself below 3, at
# n % 100 and at whether n is a whole number of millions, so a table of the forms of n below
# PLURAL_TABLE and the form of a million give the form of any n (plural_form).
PLURAL_TABLE = 200
MILLION = 1_000_000


def plural_form(table: list[int], million: int, n: int) -> int:
    """What search.js does with script_words' `plural` and `million` (tests check it against
    the catalogs' rules)."""
    if n < len(table):
        return table[n]
    return million if n % MILLION == 0 else table[100 + n % 100]


@cache
def script_words(language: str, year: str | None = None) -> dict[str, object]:
    """The words search.js and listing.js write on the static site, in `language`: the pages
    give them as JSON (<script type="application/json" id="ui-words">). A count's line comes in
    every plural form of the catalog, indexed as its rule numbers them, with the table that
    gives the form of a count (plural_form): no rule to evaluate in the browser. For a year's
    listing (`year`), its twelve month headings as the built page words them. Cached (read
    it, never change it): every listing page of a build asks for the same words."""
    catalog = translations(language)
    # GNUTranslations.plural: the catalog's Plural-Forms rule; English's is n != 1.
    form_of: Callable[[int], int] = getattr(catalog, "plural", lambda n: int(n != 1))
    table = [form_of(n) for n in range(PLURAL_TABLE)]
    million = form_of(MILLION)
    example = {form: n for n in reversed([*range(PLURAL_TABLE), MILLION]) for form in [form_of(n)]}

    def every_form(singular: str, several: str) -> list[str]:
        return [catalog.ngettext(singular, several, example[form]) for form in range(len(example))]

    return {
        "language": language,
        "plural": table,
        "million": million,
        "unavailable": gettext(language, "Search is not available right now."),
        "noFilterMatch": gettext(language, "No record matches these filters"),
        "filterMatches": every_form(
            "%(num)s record matches these filters", "%(num)s records match these filters"
        ),
        "noMatch": gettext(language, "No record matches %(q)s"),
        "matches": every_form("%(num)s record matches %(q)s", "%(num)s records match %(q)s"),
        "noWords": gettext(
            language, "No searchable word in %(q)s: try a longer or less common word."
        ),
        "showing": gettext(language, "; showing %(first)s–%(last)s."),
        "facets": {
            "category": gettext(language, "Category"),
            "severity": gettext(language, "Severity"),
            "tag": gettext(language, "Tag"),
            "country": gettext(language, "Country"),
        },
        "ongoing": gettext(language, "Ongoing"),
        "previous": gettext(language, "Previous"),
        "next": gettext(language, "Next"),
        "page": gettext(language, "Page %(page)s of %(pages)s"),
        # listing.js: a listing narrowed on the static site (web/public.py listing_page's
        # status line, the table's column heads, its downloads).
        "listingMatches": every_form("%(num)s record matches.", "%(num)s records match."),
        "listingFilterMatches": every_form(
            "%(num)s record matches these filters.", "%(num)s records match these filters."
        ),
        "loading": gettext(language, "Loading…"),
        "downloadThese": gettext(language, "Download these records:"),
        "notLoaded": gettext(language, "The listing's data could not be loaded."),
        "columns": [
            gettext(language, "Date"),
            gettext(language, "Title"),
            gettext(language, "Category"),
            gettext(language, "Severity"),
            gettext(language, "Place"),
            gettext(language, "Evidentiary standing"),
        ],
        "months": [month_in_words(date(int(year), month, 1), language) for month in range(1, 13)]
        if year is not None and year.isdigit()
        else [],
    }
