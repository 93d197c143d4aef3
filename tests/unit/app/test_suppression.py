"""Suppression of decided hits in the worker, the traveller identity, and the alert
store's idempotent rebuild."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from typer.testing import CliRunner

from app.alert_store import AlertFilter, AlertStore, Database
from app.cli import app as cli
from app.suppression import ClearedTraveller, SuppressionConsumer, SuppressionSet, traveller_identity
from app.worker import screen_travellers
from schemas.records import Disposition, Document

from .api_helpers import alert_for, make_service, make_settings, traveller

VOLKOVA = traveller("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", doc="P123")


def fp(identity: str, *keys: str, status: str = "false_positive", days_ago: float = 0) -> Disposition:
    return Disposition(alert_id="ALR-1", status=status, operator="key:abc", reason="r",  # type: ignore[arg-type]
                       decided_at=datetime.now(UTC) - timedelta(days=days_ago), traveller_identity=identity,
                       entry_keys=list(keys))


def test_identity_is_stable_across_spelling_order_and_visas() -> None:
    same = traveller("z9", "Volková", "Irina", "1975-03-14", "RUS", doc="p-123", ref="9")
    same.documents.append(Document(type="V", number="VISA999"))
    assert traveller_identity(same) == traveller_identity(VOLKOVA)
    swapped = traveller("x", "IRINA", "VOLKOVA", "1975-03-14", "RUS", doc="P123")
    assert traveller_identity(swapped) == traveller_identity(VOLKOVA)
    other_dob = traveller("a", "VOLKOVA", "IRINA", "1975-03-15", "RUS", doc="P123")
    other_doc = traveller("a", "VOLKOVA", "IRINA", "1975-03-14", "RUS", doc="P124")
    assert len({traveller_identity(t) for t in (VOLKOVA, other_dob, other_doc)}) == 3
    assert traveller_identity(VOLKOVA).startswith("TID-") and len(traveller_identity(VOLKOVA)) == 36


def test_worker_drops_suppressed_hits_and_explains_the_rest(tmp_path: Path) -> None:
    settings = make_settings(str(tmp_path / "w.db"))
    service, _ = make_service(settings)
    snapshot = service.store.snapshot
    assert snapshot is not None
    sup = SuppressionSet()
    [alert] = screen_travellers([VOLKOVA], snapshot, settings, suppress=sup.filter)
    assert [h.entry_id for h in alert.hits] == ["E-1"]

    sup.apply_disposition(fp(traveller_identity(VOLKOVA), "t-list:E-1"))
    assert screen_travellers([VOLKOVA], snapshot, settings, suppress=sup.filter) == []
    # A different traveller's hit on the same entry is not suppressed.
    sister = traveller("b", "VOLKOVA", "IRINA", "1975-03-14", "RUS", doc="P999")
    assert len(screen_travellers([sister], snapshot, settings, suppress=sup.filter)) == 1

    # With other hits remaining, the dropped one is listed in the best hit's explanation.
    hits = alert_for(VOLKOVA, ("E-1", 0.97), ("E-2", 0.8)).hits
    kept, notes = sup.filter(VOLKOVA, hits)
    assert [h.entry_id for h in kept] == ["E-2"]
    assert notes[0]["reason"] == "false_positive" and notes[0]["entry_id"] == "E-1"


def test_expiry_and_later_decisions() -> None:
    identity = traveller_identity(VOLKOVA)
    hits = alert_for(VOLKOVA, ("E-1", 0.97)).hits
    sup = SuppressionSet(expiry_days=30)
    sup.apply_disposition(fp(identity, "t-list:E-1", days_ago=31))
    assert sup.filter(VOLKOVA, hits)[0] == hits  # expired
    sup.apply_disposition(fp(identity, "t-list:E-1", days_ago=1))
    assert sup.filter(VOLKOVA, hits)[0] == []
    sup.apply_disposition(fp(identity, "t-list:E-1", status="true_match", days_ago=2))  # older: ignored
    assert sup.filter(VOLKOVA, hits)[0] == []
    sup.apply_disposition(fp(identity, "t-list:E-1", status="escalated"))
    assert sup.filter(VOLKOVA, hits)[0] == hits and sup.active() == []


def test_cleared_redress_number_from_the_topic(tmp_path: Path) -> None:
    settings = make_settings(str(tmp_path / "c.db"))
    sup = SuppressionSet()
    consumer = SuppressionConsumer(settings, sup)
    cleared = ClearedTraveller(redress_number="RN42", entry_keys=["t-list:E-1"], cleared_by="key:a",
                               cleared_at=datetime.now(UTC))
    consumer.apply(settings.topic_cleared_travellers, b"RN42", cleared.model_dump_json().encode())
    consumer.apply(settings.topic_cleared_travellers, b"RN43", b"{not json")  # skipped
    holder = traveller("r", "VOLKOVA", "IRINA", "1975-03-14", "RUS")
    holder.documents.append(Document(type="R", number="rn42"))
    hits = alert_for(holder, ("E-1", 0.97), ("E-2", 0.8)).hits
    kept, notes = sup.filter(holder, hits)
    assert [h.entry_id for h in kept] == ["E-2"] and notes[0]["reason"] == "cleared"
    consumer.apply(settings.topic_cleared_travellers, b"RN42", None)
    assert sup.filter(holder, hits)[0] == hits


def test_alert_store_rebuild_is_idempotent(tmp_path: Path) -> None:
    store = AlertStore(Database(str(tmp_path / "s.db")))
    alert = alert_for(VOLKOVA, ("E-1", 0.97))
    d = fp("TID-x", "t-list:E-1").model_copy(update={"alert_id": alert.alert_id})
    records: list[tuple[str, int, int, bytes | None]] = [
        ("alerts", 0, 5, alert.model_dump_json().encode()),
        ("disp", 1, 2, orjson.dumps(d.model_dump(mode="json"))),
        ("alerts", 0, 6, b"{broken"),
    ]
    assert store.apply_records(records, alerts_topic="alerts", dispositions_topic="disp") == 2
    assert store.apply_records(records, alerts_topic="alerts", dispositions_topic="disp") == 2
    total, rows = store.list_alerts(AlertFilter())
    assert total == 1 and rows[0].status == "false_positive"
    row = store.get(alert.alert_id)
    assert row is not None and len(row.history) == 1
    assert store.next_offsets() == {("alerts", 0): 7, ("disp", 1): 3}


def test_cli_keys_create_list_revoke(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    from app.settings import get_settings

    monkeypatch.setenv("APIS_MATCHER_DB_PATH", str(tmp_path / "k.db"))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        created = runner.invoke(cli, ["keys", "create", "--role", "operator", "--name", "analyst"])
        assert created.exit_code == 0, created.output
        record = orjson.loads(created.stdout)
        assert record["role"] == "operator" and record["key"].startswith(f"amk_{record['id']}_")
        listed = [orjson.loads(line) for line in runner.invoke(cli, ["keys", "list"]).stdout.splitlines()]
        assert [k["id"] for k in listed] == [record["id"]] and "key" not in listed[0]
        assert runner.invoke(cli, ["keys", "revoke", record["id"]]).exit_code == 0
        assert runner.invoke(cli, ["keys", "revoke", record["id"]]).exit_code == 1
        assert runner.invoke(cli, ["keys", "create", "--role", "root", "--name", "x"]).exit_code == 2
    finally:
        get_settings.cache_clear()
