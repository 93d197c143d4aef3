"""JSON Schemas of the canonical records, published under ``schemas/json/`` for
downstream consumers (one file per record: ``traveller.schema.json``, ``alert.schema.json``…).

``python -m schemas.json_schema`` rewrites the files from the pydantic models; a unit test
checks that the published files match the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from schemas.records import SCHEMA_VERSION, Alert, Disposition, Hit, Traveller, WatchList, WatchlistEntry

RECORDS: dict[str, type[BaseModel]] = {
    "traveller": Traveller,
    "watchlist_entry": WatchlistEntry,
    "watchlist": WatchList,
    "hit": Hit,
    "alert": Alert,
    "disposition": Disposition,
}

JSON_DIR = Path(__file__).resolve().parent / "json"


def schema_of(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of record ``name`` in its wire form (aliases used).
    Raises KeyError for an unknown record name."""
    schema = RECORDS[name].model_json_schema(by_alias=True, mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:apis-matcher:schema:{name}:{SCHEMA_VERSION}",
        **schema,
    }


def render(name: str) -> str:
    """The published text of record ``name``'s schema (sorted keys, 2-space indent)."""
    return json.dumps(schema_of(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export(directory: Path = JSON_DIR) -> list[Path]:
    """Write every record's schema to ``directory``; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in RECORDS:
        path = directory / f"{name}.schema.json"
        path.write_text(render(name), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in export():
        print(p, file=sys.stderr)
