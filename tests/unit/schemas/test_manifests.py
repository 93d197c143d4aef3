"""ManifestTracker: multi-part PAXLST manifests (UNH 0068 / 0070 / 0073), table-driven."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.manifests import ManifestStatus, ManifestTracker
from schemas.paxlst import MessageHeader, decode_paxlst

T0 = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
FLIGHT = "ZZ0101/2026-11-29"


def part(
    number: int | None, final: bool | None = None, *, car: str = "ZZ0101/261129", code: str = "745"
) -> MessageHeader:
    return MessageHeader(
        message_ref=f"M{number}",
        message_type="PAXLST",
        document_code=code,
        sender="ZZAIR",
        part_number=number,
        final_part=final,
        common_access_ref=car,
    )


# (name, [(part number, final flag)], parts received, final part, missing, complete, duplicates seen)
SCENARIOS = [
    ("in order", [(1, False), (2, False), (3, True)], (1, 2, 3), 3, (), True, 0),
    ("out of order", [(3, True), (1, False), (2, False)], (1, 2, 3), 3, (), True, 0),
    ("duplicate part", [(1, False), (2, False), (2, False), (3, True)], (1, 2, 3), 3, (), True, 1),
    ("missing middle part", [(1, False), (3, True)], (1, 3), 3, (2,), False, 0),
    ("no final part", [(1, False), (2, False)], (1, 2), None, (), False, 0),
    ("one part sent as 01:F", [(1, True)], (1,), 1, (), True, 0),
    ("final part first, then gap", [(4, True), (2, False)], (2, 4), 4, (1, 3), False, 0),
]


@pytest.mark.parametrize(
    ("name", "arrivals", "received", "final", "missing", "complete", "duplicates"),
    SCENARIOS,
    ids=[s[0] for s in SCENARIOS],
)
def test_scenarios(
    name: str,
    arrivals: list[tuple[int, bool]],
    received: tuple[int, ...],
    final: int | None,
    missing: tuple[int, ...],
    complete: bool,
    duplicates: int,
) -> None:
    tracker = ManifestTracker()
    statuses = [tracker.observe(part(n, f), FLIGHT, T0 + timedelta(seconds=i)) for i, (n, f) in enumerate(arrivals)]
    last = statuses[-1]
    assert last.parts_received == received
    assert last.final_part == final
    assert last.missing_parts == missing
    assert last.complete is complete
    assert last.multipart is True
    assert sum(s.duplicate for s in statuses) == duplicates
    overdue = tracker.overdue(T0 + timedelta(minutes=30), wait_s=600)
    assert [s.missing_parts for s in overdue] == ([] if complete else [missing])


def test_single_part_message_is_complete_and_not_stored() -> None:
    tracker = ManifestTracker()
    status = tracker.observe(part(None), FLIGHT, T0)
    assert (status.multipart, status.complete, status.parts_received, status.missing_parts) == (False, True, (1,), ())
    assert len(tracker) == 0
    assert tracker.overdue(T0 + timedelta(hours=1), wait_s=0) == []


def test_overdue_waits_then_reports_once() -> None:
    tracker = ManifestTracker()
    tracker.observe(part(1, False), FLIGHT, T0)
    assert tracker.overdue(T0 + timedelta(seconds=599), wait_s=600) == []
    (late,) = tracker.overdue(T0 + timedelta(seconds=600), wait_s=600)
    assert (late.manifest_id, late.parts_received, late.overdue_reported) == (
        "ZZ0101/2026-11-29/ZZ0101/261129/745/ZZAIR",
        (1,),
        True,
    )
    assert tracker.overdue(T0 + timedelta(hours=2), wait_s=600) == []
    # the final part arrives late: complete, and flagged as reported overdue before
    status = tracker.observe(part(2, True), FLIGHT, T0 + timedelta(hours=3))
    assert (status.complete, status.overdue_reported) == (True, True)


def test_wait_counts_from_the_latest_part() -> None:
    tracker = ManifestTracker()
    tracker.observe(part(1, False), FLIGHT, T0)
    tracker.observe(part(2, False), FLIGHT, T0 + timedelta(seconds=500))
    assert tracker.overdue(T0 + timedelta(seconds=700), wait_s=600) == []
    assert len(tracker.overdue(T0 + timedelta(seconds=1100), wait_s=600)) == 1


def test_manifests_are_separated_by_car_document_code_and_flight() -> None:
    tracker = ManifestTracker()
    tracker.observe(part(1, False), FLIGHT, T0)
    other_code = tracker.observe(part(2, True, code="250"), FLIGHT, T0)  # crew list of the same flight
    other_car = tracker.observe(part(2, True, car="ZZ0101/261130"), FLIGHT, T0)
    other_flight = tracker.observe(part(2, True), "ZZ0102/2026-11-29", T0)
    assert len(tracker) == 4
    assert [s.missing_parts for s in (other_code, other_car, other_flight)] == [(1,), (1,), (1,)]


def test_anomalies() -> None:
    tracker = ManifestTracker(max_parts=10)
    tracker.observe(part(1, False), FLIGHT, T0)
    tracker.observe(part(3, True), FLIGHT, T0)
    status = tracker.observe(part(4, False), FLIGHT, T0)
    assert (status.anomalies, status.final_part) == (("part_after_final",), 3)
    status = tracker.observe(part(5, True), FLIGHT, T0)
    assert (status.anomalies, status.final_part) == (("part_after_final", "conflicting_final_part"), 5)
    out_of_range = tracker.observe(part(11, False), "other", T0)
    assert out_of_range.anomalies == ("part_number_out_of_range",)
    assert out_of_range.complete is False


def test_complete_manifests_are_dropped_after_retention() -> None:
    tracker = ManifestTracker(retain_complete_s=60)
    tracker.observe(part(1, True), FLIGHT, T0)
    assert len(tracker) == 1
    again = tracker.observe(part(1, True), FLIGHT, T0 + timedelta(seconds=30))
    assert again.duplicate is True
    tracker.overdue(T0 + timedelta(seconds=91), wait_s=0)
    assert len(tracker) == 0


def test_reported_incomplete_manifests_are_dropped_after_retention() -> None:
    tracker = ManifestTracker(retain_incomplete_s=3600)
    tracker.observe(part(1, False), FLIGHT, T0)
    assert len(tracker.overdue(T0 + timedelta(seconds=10), wait_s=5)) == 1
    tracker.overdue(T0 + timedelta(seconds=3599), wait_s=5)
    assert len(tracker) == 1
    tracker.overdue(T0 + timedelta(seconds=3601), wait_s=5)
    assert len(tracker) == 0


def test_cap_evicts_least_recently_updated() -> None:
    tracker = ManifestTracker(max_tracked=2)
    tracker.observe(part(1, False), "F1", T0)
    tracker.observe(part(1, False), "F2", T0 + timedelta(seconds=1))
    tracker.observe(part(2, False), "F1", T0 + timedelta(seconds=2))  # F1 refreshed
    tracker.observe(part(1, False), "F3", T0 + timedelta(seconds=3))  # evicts F2
    assert (len(tracker), tracker.evicted) == (2, 1)
    reported = tracker.overdue(T0 + timedelta(hours=1), wait_s=60)
    assert sorted(s.flight_key for s in reported) == ["F1", "F3"]


@pytest.mark.parametrize(
    "kwargs",
    [{"max_tracked": 0}, {"retain_complete_s": -1}, {"retain_incomplete_s": -1}, {"max_parts": 0}],
)
def test_invalid_limits(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ManifestTracker(**kwargs)  # type: ignore[arg-type]


def test_negative_wait_rejected() -> None:
    with pytest.raises(ValueError):
        ManifestTracker().overdue(T0, wait_s=-1)


def test_headers_from_the_decoder() -> None:
    """UNH ``+ZZ0101/261129+01:C``, bare ``+02`` and ``+03:F`` as the decoder reads them."""
    tracker = ManifestTracker()
    statuses: list[ManifestStatus] = []
    for number, s010 in ((1, "01:C"), (2, "02"), (3, "03:F")):
        data = (
            "UNB+UNOA:4+ZZAIR+ZZBORDER+261129:0800+R1'"
            f"UNH+M{number}+PAXLST:D:05B:UN:IATA+ZZ0101/261129+{s010}'BGM+745'"
            f"NAD+FL+++DOE{number}:JANE'UNT+4+M{number}'UNZ+1+R1'"
        ).encode("ascii")
        (header,) = decode_paxlst(data).messages
        statuses.append(tracker.observe(header, FLIGHT, T0))
    assert [s.complete for s in statuses] == [False, False, True]
    assert statuses[1].parts_received == (1, 2)
    assert statuses[-1].final_part == 3
