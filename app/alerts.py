"""Alerts: deterministic ids and the Alert record built from a traveller's hits."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from schemas.records import Alert, Hit, Traveller


def alert_id(traveller: Traveller) -> str:
    """A deterministic alert id, so a redelivered or resent message never makes a
    second alert: SHA-256 over the source message's identity and the traveller.

    PAXLST: sender (UNB 0004), interchange reference (UNB 0020), message reference (UNH
    0062), part number, traveller id. PNRGOV (a PNR is pushed several times, each push a
    new interchange): sender, record locator (RCI), the pushed flight (carrier, number,
    date) and the traveller's name, so every push of the same PNR for the same flight
    updates one alert per traveller. Returns ``"ALR-"`` + 32 hex digits.
    """
    src = traveller.source
    if src is not None and src.format == "PNRGOV" and src.record_locator:
        parts = ["PNRGOV", src.sender or "", src.record_locator, flight_key_of([traveller]) or "",
                 " ".join((traveller.surname or "", traveller.given_names or "", traveller.full_name or "")).upper(),
                 traveller.role]
    else:
        parts = [
            src.format if src else "",
            (src.sender or "") if src else "",
            (src.interchange_ref or "") if src else "",
            (src.message_ref or "") if src else "",
            str(src.part_number or "") if src else "",
            (src.record_locator or "") if src else "",
            traveller.traveller_id,
        ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"ALR-{digest[:32]}"


def flight_key_of(travellers: list[Traveller]) -> str | None:
    """The flight key of a message: ``{carrier}{number}/{YYYY-MM-DD}`` of the first
    traveller's flight (PAXLST ``TDT+20`` and ``DTM+189``), or None when unknown. Used as
    the raw topic's record key and to group the parts of a manifest."""
    for t in travellers:
        f = t.source.flight if t.source else None
        if f and (f.carrier or f.number):
            return f"{f.carrier or ''}{f.number or ''}/{(f.scheduled_departure or '')[:10]}"
    return None


def build_alert(traveller: Traveller, hits: list[Hit], *, originator: str, releasability: str,
                created_at: datetime | None = None) -> Alert:
    """The Alert for one traveller with at least one hit (hits best first).

    Raises ValueError when ``hits`` is empty.
    """
    if not hits:
        raise ValueError("an alert needs at least one hit")
    return Alert(
        alert_id=alert_id(traveller),
        created_at=created_at or datetime.now(UTC),
        traveller=traveller,
        hits=sorted(hits, key=lambda h: h.score, reverse=True),
        originator=originator,
        releasability=releasability,
    )
