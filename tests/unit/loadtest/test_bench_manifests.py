"""The manifest benchmark (loadtest.bench_manifests): its arguments and a small run on
the accuracy suite's lists."""

from __future__ import annotations

import re

import pytest

import matchers.screener
from loadtest import bench_manifests
from tests.unit.matchers.helpers import require_suite_data


@pytest.mark.parametrize("bad", [["--manifest", "0"], ["--negatives", "0"], ["--rounds", "0"]])
def test_bench_manifests_refuses_empty_settings(bad: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        bench_manifests.main(bad)
    assert stop.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


@pytest.mark.contract
def test_bench_manifests_small_run(capsys: pytest.CaptureFixture[str]) -> None:
    require_suite_data()
    bounds = (matchers.screener._MEMO_ENTRIES, matchers.screener._MEMO_IDS)
    assert bench_manifests.main(["--negatives", "60", "--manifest", "25", "--rounds", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 rounds of 60 negatives in manifests of 25" in out
    kept = re.search(r"memo kept over manifests:\s+([\d.]+)", out)
    fresh = re.search(r"fresh memo per manifest:\s+([\d.]+)", out)
    assert kept and fresh and float(kept.group(1)) > 0 and float(fresh.group(1)) > 0
    assert "same hits: yes" in out
    assert bounds == (matchers.screener._MEMO_ENTRIES, matchers.screener._MEMO_IDS)  # restored
