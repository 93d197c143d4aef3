"""The command line: exit codes, output shapes, pairing of --watchlist-format."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from app.cli import _pair_watchlists, app
from app.demo import sample_dir

runner = CliRunner()
SAMPLES = sample_dir()


def lines(output: str) -> list[dict]:
    return [orjson.loads(line) for line in output.splitlines() if line.strip()]


def test_parse_sample_manifest() -> None:
    result = runner.invoke(app, ["parse", str(SAMPLES / "paxlst" / "manifest_ZZ0421_AMM_FRA.edi")])
    assert result.exit_code == 0, result.output
    [record] = lines(result.stdout)
    assert record["format"] == "PAXLST"
    assert [t["surname"] for t in record["travellers"]][:2] == ["MUELLER", "ALHADDAWI"]
    assert set(record) == {"file", "format", "messages", "travellers", "warnings", "errors"}


def test_parse_sample_pnr_push() -> None:
    result = runner.invoke(app, ["parse", str(SAMPLES / "pnrgov" / "push_ZZ0650_NBO_AMS.edi")])
    assert result.exit_code == 0, result.output
    [record] = lines(result.stdout)
    assert record["format"] == "PNRGOV"
    assert [p["record_locator"] for p in record["pnrs"]] == ["KQ7W2D", "M3XT8P", "R8LN5C"]
    assert [t["surname"] for t in record["travellers"]] == ["WARSAME", "HASSANI", "DE VRIES", "KAMAU", "KAMAU"]
    assert "WHEELCHAIR" not in result.stdout  # IFT free text never leaves the decoder


def test_parse_rejected_file_exits_1_and_missing_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.edi"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    result = runner.invoke(app, ["parse", str(bad)])
    assert result.exit_code == 1
    [record] = lines(result.stdout)
    assert record["travellers"] == [] and record["errors"]
    assert runner.invoke(app, ["parse", str(tmp_path / "nope.edi")]).exit_code == 2
    assert runner.invoke(app, ["parse", "--format", "xml", str(bad)]).exit_code == 2


def test_watchlist_inspect_sample() -> None:
    result = runner.invoke(app, ["watchlist", "inspect", str(SAMPLES / "watchlist.jsonl"), "--list-id", "demo"])
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.stdout)
    assert summary["list_id"] == "demo" and summary["entries"] == 25 and summary["errors"] == []


def test_screen_offline(tmp_path: Path) -> None:
    travellers = tmp_path / "t.jsonl"
    travellers.write_bytes(b"\n".join([
        orjson.dumps({"traveller_id": "1", "surname": "ZHOU", "given_names": "MINGHAO", "date_of_birth": "1982-06-14"}),
        orjson.dumps({"traveller_id": "2", "full_name": "Harriet Quill"}),
        orjson.dumps({"traveller_id": "3", "full_name": "JUERGEN SCHOENBERGER"}),
    ]))
    result = runner.invoke(app, ["screen", "--watchlist", str(SAMPLES / "watchlist.csv"), "--watchlist-format", "csv",
                                 "--travellers", str(travellers)])
    assert result.exit_code == 0, result.output
    out = {r["traveller_id"]: r["hits"] for r in lines(result.stdout)}
    assert [h["entry_id"] for h in out["1"]][:1] == ["DEMO-007"]
    assert out["2"] == []
    assert [h["entry_id"] for h in out["3"]][:1] == ["DEMO-009"]
    strict = runner.invoke(app, ["screen", "--watchlist", str(SAMPLES / "watchlist.csv"), "--travellers",
                                 str(travellers), "--threshold", "1.0"])
    assert all(h["score"] >= 1.0 for r in lines(strict.stdout) for h in r["hits"])


def test_screen_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    travellers = tmp_path / "t.jsonl"
    travellers.write_text("")
    result = runner.invoke(app, ["screen", "--watchlist", str(SAMPLES / "watchlist.csv"), "--watchlist-format", "pdf",
                                 "--travellers", str(travellers)])
    assert result.exit_code == 2


@pytest.mark.parametrize(("argv", "expected"), [
    (["--watchlist", "a", "--watchlist-format", "csv", "--watchlist", "b"], [("a", "csv"), ("b", "auto")]),
    (["--watchlist", "a", "--watchlist", "b", "--watchlist-format", "un-xml"], [("a", "auto"), ("b", "un-xml")]),
    (["--watchlist=a", "--watchlist-format=jsonl"], [("a", "jsonl")]),
])
def test_watchlist_format_applies_to_the_watchlist_before_it(argv: list[str], expected: list[tuple[str, str]]) -> None:
    assert [(str(p), f) for p, f in _pair_watchlists(argv)] == expected


def test_parse_auto_falls_back_to_the_decoder_that_recovers_travellers(tmp_path: Path) -> None:
    raw = (SAMPLES / "pnrgov" / "push_ZZ0650_NBO_AMS.edi").read_bytes()
    start, end = raw.index(b"UNH+"), raw.index(b"MSG+")
    headless = tmp_path / "no_unh.edi"
    headless.write_bytes(raw[:start] + raw[end:])
    result = runner.invoke(app, ["parse", str(headless)])
    assert result.exit_code == 0, result.output
    [record] = lines(result.stdout)
    assert record["format"] == "PNRGOV" and len(record["travellers"]) == 5


def test_parse_splits_repetitions_only_for_the_configured_senders(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from app.settings import get_settings

    from .test_worker import repeating_manifest

    path = tmp_path / "rep.edi"
    path.write_bytes(repeating_manifest())

    def given_names(senders: str | None) -> list[str]:
        if senders is None:
            monkeypatch.delenv("APIS_MATCHER_EDIFACT_REPETITION_SENDERS", raising=False)
        else:
            monkeypatch.setenv("APIS_MATCHER_EDIFACT_REPETITION_SENDERS", senders)
        get_settings.cache_clear()
        try:
            result = runner.invoke(app, ["parse", str(path)])
        finally:
            get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        return [t["given_names"] for t in lines(result.stdout)[0]["travellers"]]

    assert given_names(None) == ["JANE*DOE JAYNE"]
    assert given_names('["ZZAIR"]') == ["JANE"]
    assert given_names('["ZZOTHER"]') == ["JANE*DOE JAYNE"]
