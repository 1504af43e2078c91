"""schemathesis drives every API operation with inputs generated from the OpenAPI description
and checks each answer: no server error, only documented status codes, bodies of the
documented shape. The app runs in process over a real SQLite file."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    negative_data_rejection,
    positive_data_acceptance,
)

from casework.examples import generate_records
from casework.model import Site, Status
from casework.store import open_store
from casework.store.accounts import Role, TokenScope
from casework.web.app import create_app

SITE = Site(url="https://m.example.org", title="Monitor")


def _schema() -> Any:
    # parametrize needs the schema when the module is collected, before any fixture runs.
    folder = Path(tempfile.mkdtemp(prefix="casework-schema-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    store = open_store(folder / "tracker.db")
    records = list(generate_records(8, seed=4, site=SITE))
    store.import_records(records[:6], author="t", message="m", status=Status.published)
    store.import_records(records[6:], author="t", message="m", status=Status.draft)
    atexit.register(store.close)
    # The editing operations (/api/records) are driven with an admin's API token, so that
    # they run past authentication into validation, the workflow and the store.
    store.accounts.add_user("schema", "a password for schemathesis", Role.admin)
    token, _ = store.accounts.create_token("schema", "schemathesis", scope=TokenScope.write)
    TOKEN.append(token)
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(store, SITE))


TOKEN: list[str] = []
EXCLUDED = [negative_data_rejection, allow_header_conformance]
schema = _schema()


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_generated_requests_as_documented(case: Any) -> None:
    # Negative-data rejection is left out: it takes `?posture=false` for a boolean where the
    # query string carries the text "false", a valid posture to look for (and none matches).
    # The Allow header of a 405 is Starlette's: GET and POST on /records are two routes, and
    # a 405 lists the methods of the first only.
    # A record's rules (the tracker's vocabularies, real dates, http(s) URLs) are more than
    # JSON Schema says, so a schema-valid record may rightly get 422 from /records.
    excluded = EXCLUDED + [positive_data_acceptance] * case.operation.path.startswith("/records")
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN[0]}"}, excluded_checks=excluded
    )


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_anonymous_requests_as_documented(case: Any) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED)


def test_the_openapi_document_is_valid_and_describes_records() -> None:
    from openapi_spec_validator import validate
    from starlette.testclient import TestClient

    folder = Path(tempfile.mkdtemp(prefix="casework-spec-"))
    store = open_store(folder / "tracker.db")
    try:
        client = TestClient(create_app(store, SITE))
        spec = client.get("/api/openapi.json").json()
        validate(spec)  # OpenAPI 3.1, JSON Schema 2020-12 inside
        schemas = spec["components"]["schemas"]
        one = spec["paths"]["/incidents/{slug}"]["get"]["responses"]["200"]["content"]
        assert one["application/json"]["schema"] == {"$ref": "#/components/schemas/RecordDocument"}
        assert schemas["RecordState"]["properties"]["record"]["$ref"].endswith("/Record")
        assert schemas["RecordCreate"]["properties"]["record"]["$ref"].endswith("/NewRecordInput")
        assert "slug" in schemas["NewRecordInput"]["required"]
        assert "baseRevision" in schemas["RecordSave"]["required"]
        assert set(spec["components"]["securitySchemes"]) == {"apiToken", "session"}
        assert spec["paths"]["/records"]["post"]["security"] == [
            {"apiToken": []},
            {"session": []},
        ]
        for bad in ("0", "1700000000", "2024-02-30", "2024-2-1"):
            answer = client.get(f"/api/incidents?to={bad}")
            assert answer.status_code == 422, bad
            assert "YYYY-MM-DD" in answer.text or "calendar" in answer.text
        assert client.get("/api/incidents?from=2024-02-29").status_code == 200
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
