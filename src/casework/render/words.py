"""Words a page shows that are written outside the templates, for the catalog: the default
vocabularies' labels (model/site.py; a tracker's own labels are its words and stay as written)
and the data files' descriptions (publish/datafiles.py) that the /data/ page lists.

scripts/translations.sh extracts the `N_()` strings here; tests/render/test_translations.py
checks that these lists still hold every default label and description.
"""

from __future__ import annotations

from casework.render.templates import N_

VOCABULARY_LABELS = (
    N_("Foreign Policy & War"),
    N_("Rule of Law"),
    N_("Deportation & Detention"),
    N_("Civil Liberties"),
    N_("Domestic Use of the Military"),
    N_("Humanitarian Aid"),
    N_("Concerning"),
    N_("Serious"),
    N_("Serious Rights Violation"),
    N_("War Crime / Crime Against Humanity"),
    N_("Reported record"),
    N_("Official executive action"),
    N_("Active litigation"),
    N_("Judicial finding"),
    N_("Disputed"),
    N_("Direct"),
    N_("Enabling"),
    N_("Potential"),
    N_("None"),
)

DATA_FILE_DESCRIPTIONS = (
    N_("Every record in one JSON document (the archive form of the record format)."),
    N_("One record per line as compact JSON, for streaming and line-oriented tools."),
    N_("One row per record for spreadsheets; lists are joined into one cell."),
    N_(
        "Where incidents happened: a GeoJSON FeatureCollection, one Feature per location "
        "of a record, each at its published precision (coordinates in longitude, latitude"
        " order)."
    ),
    N_(
        "An SQLite database (tables incidents, sources, timeline, legal_provisions) for "
        "SQL queries and Datasette."
    ),
    N_(
        "The map page's points: incidents.geojson's points in columns (slug, title, date,"
        " category, severity, place; longitude and latitude at each place's published "
        "precision), small enough for a browser to load whole."
    ),
)
