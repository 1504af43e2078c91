"""Places in the editor's record form: a row per location, saved through the editing service
with the same validation as an import; bad degrees and bad precisions come back beside their
field. Unit tests on the form code, then the real page through the app, on both engines."""

from __future__ import annotations

from casework.model import Record, Status
from tests.store.factories import make_record
from tests.web.editing import Team
from tests.web.test_forms import errors_of, form_of, replaced, save
from tests.web.test_provenance_form import page_form

SHELTER = {
    "name": "School annex used as a shelter",
    "adminArea": "Saada",
    "country": "YE",
    "latitude": 17.38291,
    "longitude": 43.90817,
    "precision": "exact",
    "publishedPrecision": "town",
}


def base_record() -> Record:
    return make_record("shelter-strike", locations=[SHELTER])


def test_an_untouched_form_saves_the_same_locations() -> None:
    base = base_record()
    assert save(form_of(base), base).locations == base.locations
    plain = make_record("pier-arrests")
    assert "locations" not in save(form_of(plain), plain).to_wire()


def test_a_new_row_is_a_new_location_typed_as_a_spreadsheet_would() -> None:
    base = base_record()
    fields = replaced(
        form_of(base),
        **{
            "locations.1.country": " ua ",
            "locations.1.adminArea": "Kharkiv Oblast",
            "locations.1.latitude": "49,99",
            "locations.1.longitude": "36.23",
            "locations.1.precision": "region",
        },
    )
    saved = save(fields, base)
    assert saved.to_wire()["locations"][1] == {
        "adminArea": "Kharkiv Oblast",
        "country": "UA",
        "latitude": 49.99,
        "longitude": 36.23,
        "precision": "region",
    }


def test_bad_places_are_errors_beside_their_field() -> None:
    base = base_record()
    errors = errors_of(replaced(form_of(base), **{"locations.0.latitude": "north"}), base)
    assert "decimal degrees" in errors["locations.0.latitude"]
    errors = errors_of(replaced(form_of(base), **{"locations.0.longitude": "190"}), base)
    assert "-180 to 180" in errors["locations.0.longitude"]
    errors = errors_of(replaced(form_of(base), **{"locations.0.country": "AB"}), base)
    assert "ISO 3166" in errors["locations.0.country"]
    errors = errors_of(
        replaced(
            form_of(base),
            **{"locations.0.precision": "region", "locations.0.publishedPrecision": "exact"},
        ),
        base,
    )
    assert errors["locations"].startswith("location 1: publishedPrecision 'exact' is finer")


def test_the_editor_page_shows_and_saves_places(team: Team) -> None:
    team.store.create(base_record(), author="seed", message="seed", status=Status.draft)
    eve = team.client("eve")
    page = eve.get("/edit/shelter-strike/").text
    form = page_form(page)
    assert form.labels["f-locations.0.latitude"] == "Latitude"
    assert form.labels["f-locations.1.country"].startswith("Country")
    assert form.labels["f-locations.0.publishedPrecision"].startswith("Publish at")
    assert 'value="17.38291"' in page and '<option value="town" selected>' in page
    fields = [(n, v) for n, v in form.fields if n not in ("csrf", "base_revision")]
    fields = replaced(
        fields,
        **{
            "locations.0.publishedPrecision": "region",
            "locations.1.name": "Dahyan market",
            "locations.1.country": "YE",
            "locations.1.latitude": "17.0542",
            "locations.1.longitude": "43.6012",
            "locations.1.precision": "exact",  # a browser sends a select's first option
        },
    )
    token, revision = eve.form("/edit/shelter-strike/")
    answer = eve.post(
        "/edit/shelter-strike/",
        [*fields, ("csrf", token), ("base_revision", str(revision)), ("message", "places")],
    )
    assert answer.status_code == 303, answer.text
    saved = team.store.get("shelter-strike")
    assert saved.revision == 2
    first, second = saved.record.locations
    assert first.published_precision == "region" and first.latitude == 17.38291
    assert (second.name, second.precision, second.latitude) == ("Dahyan market", "exact", 17.0542)
    # A bad latitude changes nothing and says why beside the field.
    token, revision = eve.form("/edit/shelter-strike/")
    bad = replaced(fields, **{"locations.0.latitude": "95"})
    answer = eve.post("/edit/shelter-strike/", [*bad, ("csrf", token), ("base_revision", "2")])
    assert answer.status_code == 422
    assert 'id="err-locations-0-latitude"' in answer.text
    assert team.store.get("shelter-strike").revision == 2
