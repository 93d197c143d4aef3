"""Canonical records exchanged on the wire (DESIGN.md, "Canonical records", stable).

Every record is a pydantic v2 model serialised as UTF-8 JSON with ISO-8601 dates and a
``schema_version``. Models are frozen where they are values (names, documents, dates) and
plain where services build them up. ``model_dump(mode="json", exclude_none=False)`` is the
wire form; :func:`schemas.json_schema.export` writes their JSON Schemas under ``schemas/json``.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Role = Literal["passenger", "crew", "in_transit_passenger", "in_transit_crew", "infant"]
Gender = Literal["M", "F", "X", "U"]
MessageFormat = Literal["PAXLST", "PNRGOV"]
DispositionStatus = Literal["true_match", "false_positive", "inconclusive", "escalated"]

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
"""``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: a full or partial calendar date."""


def _real_date(value: str | None) -> str | None:
    """Reject partial dates that name no calendar day or month (``1982-13-45``); the
    pattern has already checked the shape. Cheap on the common path (decoders call it
    for every traveller)."""
    if value is None or len(value) == 4:
        return value
    month = int(value[5:7])
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range in {value!r}")
    if len(value) == 10:
        day = int(value[8:10])
        if day < 1 or (day > 28 and day > calendar.monthrange(int(value[:4]), month)[1]):
            raise ValueError(f"day out of range in {value!r}")
    return value


UNKNOWN_VALUES = frozenset({"", "NONE", "NULL", "UNKNOWN", "UNK", "N/A", "NA", "XX", "00", "-"})
"""Values senders and lists use for "not known" (field case 13): read as absent."""


def _unknown_as_none(value: object) -> object:
    if isinstance(value, str) and value.strip().upper() in UNKNOWN_VALUES:
        return None
    return value


PartialDate = Annotated[str, Field(pattern=PARTIAL_DATE_PATTERN), AfterValidator(_real_date)]
"""A checked ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` string."""

OptionalDate = Annotated[PartialDate | None, BeforeValidator(_unknown_as_none)]
"""A :data:`PartialDate`, or None; blank and "unknown" markers (:data:`UNKNOWN_VALUES`) read as None."""
"""A checked ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` string."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Document(_Record):
    """A travel document: PAXLST ``DOC`` (+ ``DTM+36`` expiry, ``LOC+91`` issuer) or
    PNRGOV ``SSR DOCS``/``DOCO``; on watchlists the passport or ID numbers listed.

    ``type`` is the document name code as sent (``P`` passport, ``V`` visa, ``I``/``ID``
    identity card, ``A``/``C`` crew and other codes; ``None`` when not given).
    ``issuing_country`` is ISO 3166 alpha-3 (or an ICAO 9303 code), ``expiry_date`` ISO.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str | None = None
    number: str
    issuing_country: str | None = None
    expiry_date: OptionalDate = None


class Flight(_Record):
    """The flight a message reports (PAXLST ``TDT+20`` with ``LOC``/``DTM`` legs; PNRGOV
    level-0 ``TVL``). ``scheduled_departure`` is ISO-8601 local time as sent
    (``YYYY-MM-DDTHH:MM``) or a date alone."""

    carrier: str | None = None
    number: str | None = None
    departure_airport: str | None = None
    arrival_airport: str | None = None
    scheduled_departure: str | None = None
    scheduled_arrival: str | None = None


class Source(_Record):
    """Where a traveller came from: the message identity used for deterministic alert ids.

    ``interchange_ref`` is UNB data element 0020, ``message_ref`` UNH 0062, ``sender`` UNB
    0004; ``part_number`` from UNH 0070 (multi-part manifests) and ``final_part`` from UNH
    0073 (``F``); ``record_locator`` from PNRGOV ``RCI``.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    format: MessageFormat
    message_ref: str | None = None
    interchange_ref: str | None = None
    sender: str | None = None
    recipient: str | None = None
    document_code: str | None = None
    part_number: int | None = None
    final_part: bool | None = None
    common_access_ref: str | None = None
    flight: Flight | None = None
    legs: list[Flight] = Field(default_factory=list)
    record_locator: str | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None


class Warning_(_Record):
    """A structured data-quality warning: ``code`` (machine-readable, snake_case), a
    human ``message``, and where known the ``segment`` (tag and 1-based position)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    message: str
    segment: str | None = None
    position: int | None = None


class Traveller(_Record):
    """One person on a PAXLST manifest (``NAD+FL``/``FM``/``DDT``/``DDU`` group) or a
    PNRGOV record (``TIF``). Names are as sent, uppercase not enforced; dates of birth
    ``YYYY-MM-DD`` or partial ``YYYY-MM`` / ``YYYY``; countries ISO 3166 alpha-3 or ICAO
    9303 codes (``XXA`` stateless, ``XXB``/``XXC`` refugees, ``XXX`` unspecified).

    ``date_of_birth_alternatives``: the other readings of a two-digit birth year whose
    century the message leaves open (field case 06: ``DTM+329:250901`` on a 2026 flight is
    2025-09-01 or 1925-09-01); ``date_of_birth`` holds the recent reading, the matcher
    accepts either and flags the comparison ``ambiguous_century``. Empty when the
    century is certain (four-digit year, one plausible reading, an infant marker)."""

    schema_version: str = SCHEMA_VERSION
    traveller_id: str
    role: Role = "passenger"
    surname: str | None = None
    given_names: str | None = None
    full_name: str | None = None
    gender: Gender | None = None
    date_of_birth: OptionalDate = None
    date_of_birth_alternatives: list[PartialDate] = Field(default_factory=list)
    nationality: str | None = None
    country_of_residence: str | None = None
    place_of_birth: str | None = None
    documents: list[Document] = Field(default_factory=list)
    source: Source | None = None
    warnings: list[Warning_] = Field(default_factory=list)

    def display_name(self) -> str:
        """``SURNAME, GIVEN NAMES`` or the free-form ``full_name``; ``""`` when nameless."""
        if self.surname or self.given_names:
            return ", ".join(p for p in (self.surname, self.given_names) if p)
        return self.full_name or ""


class EntryName(_Record):
    """One name of a watchlist entry: the primary name, an alias, or an original-script
    name. ``script`` is an ISO 15924 code when known (``Latn``, ``Arab``, ``Cyrl``…);
    ``quality`` is the list's own grading (UN ``good``/``low``; ``strong``/``weak`` AKA)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    full_name: str
    surname: str | None = None
    given_names: str | None = None
    script: str | None = None
    quality: str | None = None
    kind: Literal["primary", "alias", "original_script"] = "primary"


class EntryDate(_Record):
    """A listed date of birth: ``date`` exact or partial (``YYYY``/``YYYY-MM``), or a range
    ``from``–``to`` (inclusive, each full or partial); ``approximate`` where the list says
    circa/about; ``ambiguous_century`` on each reading of a two-digit year the list left
    open (field case 06: ``16-07-24`` loaded in 2026 → 2024-07-16 and 1924-07-16)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    date: OptionalDate = None
    from_: OptionalDate = Field(default=None, alias="from")
    to: OptionalDate = None
    approximate: bool = False
    ambiguous_century: bool = False


class WatchlistEntry(_Record):
    """One listed person. Key on ``watchlist.entries``: ``{list_id}:{entry_id}``."""

    schema_version: str = SCHEMA_VERSION
    list_id: str
    entry_id: str
    names: list[EntryName]
    dates_of_birth: list[EntryDate] = Field(default_factory=list)
    places_of_birth: list[str] = Field(default_factory=list)
    nationalities: list[str] = Field(default_factory=list)
    citizenships: list[str] = Field(default_factory=list)
    genders: list[Gender] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    category: str | None = None
    programme: str | None = None
    remarks: str | None = None
    list_version: str | None = None

    @property
    def key(self) -> str:
        """The Kafka record key ``{list_id}:{entry_id}``."""
        return f"{self.list_id}:{self.entry_id}"


class WatchList(_Record):
    """A list's current version on ``watchlist.lists``: written with ``status="importing"``
    before a new version's entries and with ``status="complete"`` after all of them, so a
    worker knows when a version is complete."""

    schema_version: str = SCHEMA_VERSION
    list_id: str
    version: str
    entry_count: int
    imported_at: datetime
    source: str | None = None
    format: str | None = None
    owner: str | None = None
    shareable: bool = True
    status: Literal["importing", "complete"] = "complete"


class Hit(_Record):
    """One traveller against one watchlist entry. ``score`` 0.0–1.0; ``explanation`` holds
    per-feature results (``match``/``partial``/``mismatch``/``unknown``) with the values
    compared."""

    list_id: str
    list_version: str | None = None
    list_owner: str | None = None
    entry_id: str
    score: float = Field(ge=0.0, le=1.0)
    matched_name: str
    explanation: dict[str, Any] = Field(default_factory=dict)


class Alert(_Record):
    """A traveller with at least one hit in one source message, published once.
    ``alert_id`` is deterministic (see :func:`app.alerts.alert_id`)."""

    schema_version: str = SCHEMA_VERSION
    alert_id: str
    created_at: datetime
    traveller: Traveller
    hits: list[Hit]
    originator: str
    releasability: str = "bilateral"
    signature: str | None = None


class Disposition(_Record):
    """An operator's decision on an alert (``alerts.dispositions``, one per decision).

    ``traveller_identity`` (a stable hash of the traveller's normalised names, date of
    birth and document numbers) and ``entry_keys`` (``list_id:entry_id`` of the hits
    decided on) let every worker suppress a ``false_positive`` pair without the alert.
    """

    schema_version: str = SCHEMA_VERSION
    alert_id: str
    status: DispositionStatus
    operator: str
    reason: str | None = None
    decided_at: datetime
    traveller_identity: str | None = None
    entry_keys: list[str] | None = None
