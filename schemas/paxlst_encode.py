"""Writes canonical Travellers as a UN/EDIFACT PAXLST interchange (D:05B, WCO/IATA API
guideline layout): the reverse of :mod:`schemas.paxlst`, used for generated test traffic,
the load generator and sample manifests.

Segments written: UNA, UNB, UNG, UNH, BGM+745 (passengers) or 250 (crew), NAD+MS,
TDT+20 with LOC+125/87 and DTM+189/232 (format 201), one traveller group per traveller
(NAD+FL/FM/DDT/DDU, ATT+2, DTM+329 format 102, LOC+178/179/174/180, NAT+2, DOC with
DTM+36 and LOC+91), CNT+42 (or 41 for crew), UNT, UNE, UNZ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemas.records import Flight, Traveller

_ROLE_QUALIFIER = {"passenger": "FL", "crew": "FM", "in_transit_passenger": "DDT", "in_transit_crew": "DDU",
                   "infant": "FL"}


@dataclass(frozen=True)
class ServiceChars:
    """UNA service string advice: component, element, decimal, release, repetition, terminator."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = " "
    terminator: str = "'"

    def una(self) -> str:
        return (f"UNA{self.component}{self.element}{self.decimal}{self.release}"
                f"{self.repetition}{self.terminator}")

    def escape(self, value: str) -> str:
        """Release every service character in a data value."""
        specials = {self.component, self.element, self.release, self.terminator}
        if self.repetition.strip():
            specials.add(self.repetition)
        return "".join(self.release + ch if ch in specials else ch for ch in value)


def _yymmddhhmm(iso: str | None) -> str:
    # "2026-11-29T09:00" -> "2611290900"
    if not iso:
        return ""
    digits = iso.replace("-", "").replace("T", "").replace(":", "")
    return digits[2:12].ljust(10, "0")


def encode_paxlst(
    travellers: Sequence[Traveller],
    *,
    flight: Flight,
    interchange_ref: str,
    message_ref: str,
    sender: str = "ZZAIR",
    recipient: str = "ZZBORDER",
    prepared: str = "261129:0800",
    chars: ServiceChars | None = None,
    newline: str = "\n",
) -> bytes:
    """Encode ``travellers`` on ``flight`` as one PAXLST interchange (ASCII/UTF-8 bytes).

    Dates of birth must be full ``YYYY-MM-DD`` (partial ones are written as ``DTM+329``
    with what is known is not possible, so they are left out). Raises ValueError when a
    traveller has neither a surname nor a full name.
    """
    c = chars or ServiceChars()
    e, co, t = c.element, c.component, c.terminator
    esc = c.escape
    crew = bool(travellers) and all(tr.role in ("crew", "in_transit_crew") for tr in travellers)
    body: list[str] = [
        f"BGM{e}{'250' if crew else '745'}",
        f"NAD{e}MS{e}{e}{e}{esc(sender)} OPERATIONS",
    ]
    carrier = flight.carrier or ""
    number = f"{carrier}{flight.number or ''}"
    body += [
        f"TDT{e}20{e}{esc(number)}{e}{e}{e}{esc(carrier)}",
        f"LOC{e}125{e}{esc(flight.departure_airport or '')}",
        f"DTM{e}189{co}{_yymmddhhmm(flight.scheduled_departure)}{co}201",
        f"LOC{e}87{e}{esc(flight.arrival_airport or '')}",
        f"DTM{e}232{co}{_yymmddhhmm(flight.scheduled_arrival or flight.scheduled_departure)}{co}201",
    ]
    for tr in travellers:
        surname = tr.surname or tr.full_name
        if not surname:
            raise ValueError(f"traveller {tr.traveller_id} has no name")
        name = esc(surname) + (co + esc(tr.given_names) if tr.given_names else "")
        body.append(f"NAD{e}{_ROLE_QUALIFIER[tr.role]}{e}{e}{e}{name}")
        if tr.gender:
            body.append(f"ATT{e}2{e}{e}{tr.gender}")
        if tr.date_of_birth and len(tr.date_of_birth) == 10:
            body.append(f"DTM{e}329{co}{tr.date_of_birth.replace('-', '')}{co}102")
        if flight.departure_airport:
            body.append(f"LOC{e}178{e}{esc(flight.departure_airport)}")
        if flight.arrival_airport:
            body.append(f"LOC{e}179{e}{esc(flight.arrival_airport)}")
        if tr.country_of_residence:
            body.append(f"LOC{e}174{e}{esc(tr.country_of_residence)}")
        if tr.place_of_birth:
            body.append(f"LOC{e}180{e}{co}{co}{co}{esc(tr.place_of_birth)}")
        if tr.nationality:
            body.append(f"NAT{e}2{e}{esc(tr.nationality)}")
        for doc in tr.documents:
            body.append(f"DOC{e}{esc(doc.type or 'P')}{co}110{co}111{e}{esc(doc.number)}")
            if doc.expiry_date and len(doc.expiry_date) == 10:
                body.append(f"DTM{e}36{co}{doc.expiry_date[2:].replace('-', '')}")
            if doc.issuing_country:
                body.append(f"LOC{e}91{e}{esc(doc.issuing_country)}")
    body.append(f"CNT{e}{'41' if crew else '42'}{co}{len(travellers)}")
    message = [f"UNH{e}{esc(message_ref)}{e}PAXLST{co}D{co}05B{co}UN{co}IATA", *body]
    message.append(f"UNT{e}{len(message) + 1}{e}{esc(message_ref)}")
    segments = [
        c.una(),
        f"UNB{e}UNOA{co}4{e}{esc(sender)}{e}{esc(recipient)}{e}{prepared}{e}{esc(interchange_ref)}",
        f"UNG{e}PAXLST{e}{esc(sender)}{e}{esc(recipient)}{e}{prepared}{e}1{e}UN{e}D{co}05B",
        *message,
        f"UNE{e}1{e}1",
        f"UNZ{e}1{e}{esc(interchange_ref)}",
    ]
    # UNA carries its own terminator as its last character; every other segment gets one.
    text = segments[0] + newline + "".join(seg + t + newline for seg in segments[1:])
    return text.encode("utf-8")
