"""The published JSON Schemas match the record models (regenerate: python -m schemas.json_schema)."""

import json

import pytest

from schemas.json_schema import JSON_DIR, RECORDS, render


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_published_schema_is_current(name: str) -> None:
    path = JSON_DIR / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == render(name), f"{path} is stale: run python -m schemas.json_schema"


def test_alert_schema_names_the_contract_fields() -> None:
    schema = json.loads((JSON_DIR / "alert.schema.json").read_text())
    assert {"alert_id", "created_at", "traveller", "hits", "originator"} <= set(schema["required"])
    assert schema["properties"]["schema_version"]["default"] == "1.0"
