"""Multi-part PAXLST manifest tracking (UNH S010: 0070 sequence of transfers, 0073 first
and last transfer).

Large manifests are split by the sender into several PAXLST messages. Every part carries
the same common access reference (UNH 0068, usually the flight and date, e.g.
``ZZ0101/261129``) and a part number: ``01:C`` for the first part, bare ``02``, ``03``…
for the middle parts and ``NN:F`` for the final part (a one-part manifest may be sent as
``01:F``). The parts travel as separate Kafka records keyed by flight, so they can arrive
out of order, twice, or never. :class:`ManifestTracker` records which parts of each
manifest have arrived and reports manifests that are still incomplete after a wait, so
the service can count and log them (a lost part means travellers who were never screened).

The tracker is pure: no I/O, no clock reads (every call takes ``now``), no threads. It is
not thread-safe; one worker task owns one tracker.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from schemas.paxlst import MessageHeader

__all__ = ["ManifestKey", "ManifestStatus", "ManifestTracker"]

ManifestKey = tuple[str, str, str, str]
"""``(flight_key, common_access_ref, document_code, sender)``; empty strings for absent values."""


@dataclass(frozen=True)
class ManifestStatus:
    """The known state of one manifest after an :meth:`ManifestTracker.observe` or in an
    :meth:`ManifestTracker.overdue` report.

    Attributes:
        flight_key: the caller's flight key (Kafka record key: carrier, number, date).
        common_access_ref: UNH 0068 (``None`` when the sender gave none).
        document_code: BGM 1001 (``745`` passenger list, ``250`` crew list), so a
            passenger list and a crew list of the same flight are separate manifests.
        sender: UNB 0004.
        multipart: ``True`` when the message carried UNH S010 (0070 part number).
        parts_received: part numbers (UNH 0070, 1-based) received so far, ascending.
        final_part: the part number that carried 0073 ``F``; ``None`` until it arrives.
        missing_parts: part numbers known to be missing: ``1 .. final_part`` (or ``1 ..
            highest received`` before the final part arrived) minus ``parts_received``.
        complete: every part ``1 .. final_part`` has arrived (always ``True`` for a
            message without S010).
        duplicate: this observation repeated a part number already received (only set
            on the status :meth:`ManifestTracker.observe` returns).
        anomalies: snake_case findings on this manifest, e.g. ``"conflicting_final_part"``
            (two different parts claimed 0073 ``F``), ``"part_after_final"`` (a part
            number above the final one), ``"part_number_out_of_range"``.
        first_seen / last_seen: the ``now`` of the first and latest observation (the
            caller's clock, timezone as given).
        overdue_reported: the manifest has been returned by
            :meth:`ManifestTracker.overdue` (a later completion is then a late one).
    """

    flight_key: str
    common_access_ref: str | None
    document_code: str | None
    sender: str | None
    multipart: bool
    parts_received: tuple[int, ...]
    final_part: int | None
    missing_parts: tuple[int, ...]
    complete: bool
    duplicate: bool
    anomalies: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime
    overdue_reported: bool = False

    @property
    def manifest_id(self) -> str:
        """A log-safe identifier (no personal data): ``flight_key/CAR/BGM/sender``."""
        return "/".join(p or "-" for p in (self.flight_key, self.common_access_ref, self.document_code, self.sender))


@dataclass
class _State:
    flight_key: str
    common_access_ref: str | None
    document_code: str | None
    sender: str | None
    first_seen: datetime
    last_seen: datetime
    parts: set[int] = field(default_factory=set)
    final_part: int | None = None
    anomalies: list[str] = field(default_factory=list)
    overdue_reported: bool = False
    completed_at: datetime | None = None

    def missing(self) -> tuple[int, ...]:
        top = self.final_part if self.final_part is not None else max(self.parts, default=0)
        return tuple(n for n in range(1, top + 1) if n not in self.parts)

    def is_complete(self) -> bool:
        return self.final_part is not None and not self.missing()

    def note(self, anomaly: str) -> None:
        if anomaly not in self.anomalies:
            self.anomalies.append(anomaly)

    def status(self, *, duplicate: bool = False) -> ManifestStatus:
        return ManifestStatus(
            flight_key=self.flight_key,
            common_access_ref=self.common_access_ref,
            document_code=self.document_code,
            sender=self.sender,
            multipart=True,
            parts_received=tuple(sorted(self.parts)),
            final_part=self.final_part,
            missing_parts=self.missing(),
            complete=self.is_complete(),
            duplicate=duplicate,
            anomalies=tuple(self.anomalies),
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            overdue_reported=self.overdue_reported,
        )


class ManifestTracker:
    """Groups the parts of multi-part PAXLST manifests and reports the incomplete ones.

    A manifest is identified by the caller's flight key plus UNH 0068 (common access
    reference), BGM 1001 (document code) and UNB 0004 (sender). Parts are numbered from
    1 (UNH 0070); the manifest is complete when the part flagged ``F`` (UNH 0073) and
    every lower part number have arrived.

    Memory is bounded: a complete manifest is kept ``retain_complete_s`` seconds after
    its latest part (so a late duplicate is still recognised, not taken for a new
    incomplete manifest), an incomplete one that was
    reported overdue is dropped ``retain_incomplete_s`` seconds after its last part, and
    at most ``max_tracked`` manifests are held (the least recently updated is evicted
    first; :attr:`evicted` counts evictions for a metric).

    Args:
        max_tracked: cap on manifests held, ≥ 1.
        retain_complete_s: seconds a complete manifest is remembered after its latest
            part, ≥ 0.
        retain_incomplete_s: seconds an incomplete manifest is remembered after its last
            part, once reported overdue, ≥ 0.
        max_parts: highest accepted part number (UNH 0070 is ``an..2`` in the IATA
            profile, so 99 by default); higher numbers are not tracked.

    Raises:
        ValueError: a limit is out of range.
    """

    def __init__(
        self,
        *,
        max_tracked: int = 10_000,
        retain_complete_s: float = 3600.0,
        retain_incomplete_s: float = 86_400.0,
        max_parts: int = 99,
    ) -> None:
        if max_tracked < 1:
            raise ValueError("max_tracked must be >= 1")
        if retain_complete_s < 0 or retain_incomplete_s < 0:
            raise ValueError("retention times must be >= 0 seconds")
        if max_parts < 1:
            raise ValueError("max_parts must be >= 1")
        self.max_tracked = max_tracked
        self.retain_complete_s = retain_complete_s
        self.retain_incomplete_s = retain_incomplete_s
        self.max_parts = max_parts
        self.evicted = 0
        self._states: OrderedDict[ManifestKey, _State] = OrderedDict()

    def __len__(self) -> int:
        """Number of manifests currently held."""
        return len(self._states)

    def observe(self, header: MessageHeader, flight_key: str, now: datetime) -> ManifestStatus:
        """Record one decoded PAXLST message and return its manifest's state.

        Args:
            header: the message's header (:class:`schemas.paxlst.MessageHeader`:
                ``part_number`` UNH 0070, ``final_part`` UNH 0073, ``common_access_ref``
                UNH 0068, ``document_code`` BGM 1001, ``sender`` UNB 0004).
            flight_key: the raw-message record key (carrier, flight number, date).
            now: the caller's current time (aware or naive, but consistent).

        Returns:
            A :class:`ManifestStatus`. A message without S010 (``part_number`` ``None``)
            is a complete one-part manifest and is not stored; neither is a part number
            outside ``1..max_parts`` (status incomplete, anomaly
            ``part_number_out_of_range``).
        """
        self._prune(now)
        key: ManifestKey = (
            flight_key,
            header.common_access_ref or "",
            header.document_code or "",
            header.sender or "",
        )
        part = header.part_number
        if part is None:
            return ManifestStatus(
                flight_key=flight_key,
                common_access_ref=header.common_access_ref,
                document_code=header.document_code,
                sender=header.sender,
                multipart=False,
                parts_received=(1,),
                final_part=1,
                missing_parts=(),
                complete=True,
                duplicate=False,
                anomalies=(),
                first_seen=now,
                last_seen=now,
            )
        state = self._states.get(key)
        if state is None:
            state = _State(
                flight_key=flight_key,
                common_access_ref=header.common_access_ref,
                document_code=header.document_code,
                sender=header.sender,
                first_seen=now,
                last_seen=now,
            )
        if not 1 <= part <= self.max_parts:
            state.note("part_number_out_of_range")
            return state.status()
        duplicate = part in state.parts
        state.parts.add(part)
        state.last_seen = max(state.last_seen, now)
        if header.final_part:
            if state.final_part is not None and state.final_part != part:
                state.note("conflicting_final_part")
            state.final_part = part if state.final_part is None else max(state.final_part, part)
        if state.final_part is not None and any(p > state.final_part for p in state.parts):
            state.note("part_after_final")
        if state.completed_at is None and state.is_complete():
            state.completed_at = now
        self._states[key] = state
        self._states.move_to_end(key)
        while len(self._states) > self.max_tracked:
            self._states.popitem(last=False)
            self.evicted += 1
        return state.status(duplicate=duplicate)

    def overdue(self, now: datetime, wait_s: float) -> list[ManifestStatus]:
        """Manifests still missing parts ``wait_s`` seconds after their latest part.

        Each manifest is returned at most once (its ``overdue_reported`` is then set;
        a later completion shows on the :meth:`observe` status). A manifest whose final
        part never came counts as missing parts.

        Args:
            now: the caller's current time. wait_s: quiet period in seconds, ≥ 0.

        Returns:
            The newly overdue manifests, oldest first.

        Raises:
            ValueError: ``wait_s`` is negative.
        """
        if wait_s < 0:
            raise ValueError("wait_s must be >= 0")
        self._prune(now)
        report: list[ManifestStatus] = []
        for state in self._states.values():
            if state.overdue_reported or state.is_complete():
                continue
            if (now - state.last_seen).total_seconds() >= wait_s:
                state.overdue_reported = True
                report.append(state.status())
        report.sort(key=lambda s: s.first_seen)
        return report

    def _prune(self, now: datetime) -> None:
        # Entries are ordered by last update; completion and overdue marking never come
        # after the last update, so once an entry is younger than the shorter retention
        # time, every later one is too (for a clock that does not go backwards).
        horizon = min(self.retain_complete_s, self.retain_incomplete_s)
        stale: list[ManifestKey] = []
        for key, state in self._states.items():
            if (now - state.last_seen).total_seconds() <= horizon:
                break
            if state.completed_at is not None:
                if (now - state.last_seen).total_seconds() > self.retain_complete_s:
                    stale.append(key)
            elif state.overdue_reported and (now - state.last_seen).total_seconds() > self.retain_incomplete_s:
                stale.append(key)
        for key in stale:
            del self._states[key]
