"""The UN/EDIFACT interchange envelope shared by the PAXLST and PNRGOV decoders.

Both message types arrive in the same envelope (ISO 9735): ``UNB`` interchange header
(sender 0004, recipient 0010, date/time S004, control reference 0020), optional
``UNG``/``UNE`` functional group, ``UNH``/``UNT`` message header and trailer (0062
reference, S009 type/version, 0068 common access reference, S010 sequence 0070/0073),
``UNZ`` interchange trailer. :class:`EnvelopeDecoder` keeps the envelope state and reads
those segments; each decoder subclasses it, names its message type and supplies how a
message opens (:meth:`EnvelopeDecoder._open_message`) and ends
(:meth:`EnvelopeDecoder._finish_message`).

Findings (never raised): ``invalid_date`` (UNB date), ``unz_reference_mismatch``,
``missing_unt``, ``missing_message_type``, ``not_<type>`` (a message of another type,
an error: it is skipped), ``segment_count_mismatch``/``segment_count_missing`` and
``unt_reference_mismatch`` (UNT checks).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from schemas.edifact import Interchange, Segment, combine_iso, is_ascii_digits, parse_dtm, peek_header
from schemas.errors import DecodeError
from schemas.records import Traveller, Warning_

__all__ = [
    "ENVELOPE_TAGS",
    "EnvelopeDecoder",
    "MessageHeader",
    "header_names",
    "segment_warning",
]

ENVELOPE_TAGS = frozenset({"UNB", "UNG", "UNE", "UNZ", "UNH"})
"""Tags :meth:`EnvelopeDecoder._envelope` handles (``UNT`` closes a message and stays
with the decoder, which finishes the message right after the check)."""


@dataclass
class MessageHeader:
    """Identity of one PAXLST or PNRGOV message (``UNB``/``UNH``/``BGM``).

    Attributes:
        interchange_ref: UNB 0020. sender / recipient: UNB 0004 / 0010.
        syntax_id / syntax_version: UNB S001 (e.g. ``"UNOA"``, ``4``).
        prepared_at: UNB S004 as ISO ``YYYY-MM-DDTHH:MM`` (two-digit years expanded).
        message_ref: UNH 0062. message_type: S009 0065 (``"PAXLST"``, ``"PNRGOV"``).
        message_version: S009 0052:0054 (``"D:05B"``).
        document_code: BGM 1001 (``"745"`` passenger list, ``"250"`` crew list; PAXLST).
        document_id: BGM 1004. part_number: UNH 0070 (int). final_part: UNH 0073
        (``True`` for ``F``, ``False`` for ``C`` or an intermediate part, ``None`` when
        the message is not multi-part). common_access_ref: UNH 0068.
        status: ``parsed``, or ``parsed_with_warnings`` when a warning or error names a
        segment of the message (or the whole interchange) — field case 07: findings never
        reject a message; ``None`` until the decoder has finished.
    """

    interchange_ref: str | None = None
    sender: str | None = None
    recipient: str | None = None
    syntax_id: str | None = None
    syntax_version: int | None = None
    prepared_at: str | None = None
    message_ref: str | None = None
    message_type: str | None = None
    message_version: str | None = None
    document_code: str | None = None
    document_id: str | None = None
    part_number: int | None = None
    final_part: bool | None = None
    common_access_ref: str | None = None
    status: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of every field (``apis-matcher parse`` ``messages`` items)."""
        return asdict(self)


def segment_warning(code: str, message: str, seg: Segment | None) -> Warning_:
    """A :class:`~schemas.records.Warning_` naming ``seg`` (its ``label`` and 1-based
    ``position``), or no segment when ``seg`` is ``None``."""
    return Warning_(
        code=code,
        message=message,
        segment=seg.label if seg else None,
        position=seg.position if seg else None,
    )


def header_names(data: bytes, message_type: str) -> bool:
    """``True`` when the ``UNG`` (0038) or ``UNH`` (S009 0065) message type read by
    :func:`schemas.edifact.peek_header` from ``data`` is ``message_type`` (upper case,
    e.g. ``"PAXLST"``), case-insensitively. Never raises."""
    try:
        header = peek_header(data)
    except DecodeError:
        return False
    if header is None:
        return False
    return message_type in ((header.message_type or "").upper(), (header.group_message_type or "").upper())


class _Message(Protocol):
    """What the envelope needs of a decoder's open message (``readable``: ``False`` for
    a message of another type, which is skipped)."""

    header: MessageHeader
    start_position: int
    readable: bool


class _Owner(Protocol):
    """A draft (traveller, passenger) that keeps its own findings."""

    warnings: list[Warning_]


M = TypeVar("M", bound=_Message)


class EnvelopeDecoder(Generic[M]):
    """Envelope state and segment handlers of one interchange, for a decoder of
    ``MESSAGE_TYPE`` messages whose open-message draft is ``M``.

    Attributes:
        inter: the tokenised interchange. reference_date: the caller's fallback date.
        warnings / errors: findings so far (``warnings`` starts with the tokeniser's).
        messages: headers of the finished messages. travellers: decoded travellers.
        env: the interchange-level header (UNB fields) every message header copies.
        env_date: reference for two-digit years: ``reference_date``, else the UNB date,
            else today (UTC).
        type_seen: messages of ``MESSAGE_TYPE`` (or without a type) opened.
        other_types: message types of the skipped messages.
    """

    MESSAGE_TYPE: ClassVar[str]
    """UNH S009 0065 this decoder reads (``"PAXLST"``, ``"PNRGOV"``)."""
    SHOWN_TYPE_LENGTH: ClassVar[int | None] = None
    """How much of another message type is kept in ``other_types`` and the ``not_…``
    error (``None``: all of it)."""

    def __init__(self, inter: Interchange, reference_date: date | None) -> None:
        self.inter = inter
        self.reference_date = reference_date
        self.warnings: list[Warning_] = list(inter.warnings)
        self.errors: list[Warning_] = []
        self.messages: list[MessageHeader] = []
        self.travellers: list[Traveller] = []
        self.env = MessageHeader(syntax_id=inter.syntax_id, syntax_version=inter.syntax_version)
        self.env_date: date = reference_date or datetime.now(UTC).date()
        self.type_seen = 0
        self.other_types: set[str] = set()
        self.spans: list[tuple[MessageHeader, int, int]] = []
        """Each finished message's header with its first and last segment position."""

    # -- findings
    def warn(self, code: str, message: str, seg: Segment | None = None) -> Warning_:
        """Record a data-quality finding (nothing lost) and return it."""
        w = segment_warning(code, message, seg)
        self.warnings.append(w)
        return w

    def error(self, code: str, message: str, seg: Segment | None = None) -> Warning_:
        """Record a finding about data that could not be used and return it."""
        w = segment_warning(code, message, seg)
        self.errors.append(w)
        return w

    def tw(self, owner: _Owner, code: str, message: str, seg: Segment | None, *, is_error: bool = False) -> None:
        """A warning (or, with ``is_error``, an error) also kept on ``owner.warnings``."""
        w = (self.error if is_error else self.warn)(code, message, seg)
        owner.warnings.append(w)

    # -- hooks
    def _open_message(self, seg: Segment) -> M:
        """The draft for the message a ``UNH`` opens."""
        raise NotImplementedError

    def _finish_message(self, msg: M) -> None:
        """Turn a finished message draft into results."""
        raise NotImplementedError

    # -- envelope
    def _envelope(self, seg: Segment, msg: M | None) -> M | None:
        """Handle one ``UNB``/``UNG``/``UNE``/``UNZ``/``UNH`` (:data:`ENVELOPE_TAGS`) given
        the open message (``None`` outside one); returns the message open after it. A
        ``UNZ`` or ``UNH`` inside a message ends it (warned ``missing_unt``)."""
        tag = seg.tag
        if tag == "UNB":
            self._unb(seg)
        elif tag == "UNZ":
            if msg is not None:
                self._missing_unt(msg, seg)
            self._unz(seg)
            return None
        elif tag == "UNH":
            if msg is not None:
                self._missing_unt(msg, seg)
            return self._open_message(seg)
        return msg  # UNG/UNE: nothing to read

    def _missing_unt(self, msg: M, seg: Segment | None = None) -> None:
        """End a message that has no ``UNT`` (at ``seg``, or at the end of the input)."""
        self.warn("missing_unt", "message has no UNT trailer", seg)
        self._finish_message(msg)
        if msg.readable:
            last = self.inter.segments[-1].position if self.inter.segments else msg.start_position
            self.spans.append((msg.header, msg.start_position, seg.position if seg else last))

    def set_statuses(self) -> None:
        """Set :attr:`MessageHeader.status` of every finished message (field case 07):
        ``parsed_with_warnings`` when a warning or error lies within its segments or
        names no segment (an interchange-level finding), else ``parsed``."""
        findings = [w.position for w in (*self.warnings, *self.errors)]
        for header, first, last in self.spans:
            hit = any(p is None or first <= p <= last for p in findings)
            header.status = "parsed_with_warnings" if hit else "parsed"

    def _header_copy(self) -> MessageHeader:
        """A new message header with the interchange (UNB) fields filled in."""
        e = self.env
        return MessageHeader(
            interchange_ref=e.interchange_ref,
            sender=e.sender,
            recipient=e.recipient,
            syntax_id=e.syntax_id,
            syntax_version=e.syntax_version,
            prepared_at=e.prepared_at,
        )

    def _unb(self, seg: Segment) -> None:
        """``UNB`` 0004 sender, 0010 recipient, S004 date (``YYMMDD``/``CCYYMMDD``) and
        time (``HHMM``), 0020 control reference."""
        e = self.env
        e.interchange_ref = seg.value(4) or None
        e.sender = seg.value(1) or None
        e.recipient = seg.value(2) or None
        raw_date, raw_time = seg.value(3, 0), seg.value(3, 1)
        if raw_date:
            try:
                ref = self.reference_date or datetime.now(UTC).date()
                d, _ = parse_dtm(raw_date, None, reference=ref, kind="event")
                t = None
                if len(raw_time) == 4 and is_ascii_digits(raw_time):
                    t = time(int(raw_time[:2]), int(raw_time[2:]))
                e.prepared_at = combine_iso(d, t)
                self.env_date = self.reference_date or d
            except ValueError:
                self.warn("invalid_date", "UNB preparation date is not a valid date", seg)

    def _unz(self, seg: Segment) -> None:
        """``UNZ`` 0020 must repeat the UNB control reference."""
        ref = seg.value(1)
        unb_ref = self.env.interchange_ref
        if unb_ref and ref and ref != unb_ref:
            self.warn("unz_reference_mismatch", "UNZ control reference differs from UNB", seg)

    def _unh_header(self, seg: Segment) -> tuple[MessageHeader, bool]:
        """``UNH`` 0062 reference, S009 type:version:release, 0068 common access
        reference, S010 0070 part number:0073 first/last (``F`` final).

        Returns ``(header, readable)``: ``readable`` is ``False`` for a message of another
        type (an error, the message is skipped); a message without a type is read as
        ``MESSAGE_TYPE`` (warned; ``header.message_type`` stays ``None``)."""
        h = self._header_copy()
        h.message_ref = seg.value(0) or None
        h.message_type = seg.value(1, 0).upper() or None
        version = ":".join(p for p in (seg.value(1, 1), seg.value(1, 2)) if p)
        h.message_version = version or None
        h.common_access_ref = seg.value(2) or None
        part = seg.value(3, 0)
        if part:
            h.part_number = int(part) if is_ascii_digits(part) else None
            h.final_part = seg.value(3, 1).upper() == "F"
        expected = self.MESSAGE_TYPE
        if h.message_type == expected:
            self.type_seen += 1
            return h, True
        if h.message_type:
            shown = h.message_type[: self.SHOWN_TYPE_LENGTH]
            self.other_types.add(shown)
            self.error(f"not_{expected.lower()}", f"{shown} message skipped", seg)
            return h, False
        self.warn("missing_message_type", f"UNH has no message type; read as {expected}", seg)
        self.type_seen += 1
        return h, True

    def _end_message(self, seg: Segment, msg: M) -> None:
        """``UNT``: check it and finish the message; a skipped message (``readable``
        ``False``) is only closed."""
        if msg.readable:
            self._unt(seg, msg)
            self._finish_message(msg)
            self.spans.append((msg.header, msg.start_position, seg.position))

    def _unt(self, seg: Segment, msg: M) -> None:
        """``UNT`` 0074 segment count (UNH to UNT, both included) and 0062 reference
        (must repeat the UNH one)."""
        raw = seg.value(0)
        if is_ascii_digits(raw):
            count = seg.position - msg.start_position + 1
            if int(raw) != count:
                self.warn("segment_count_mismatch", f"UNT says {int(raw)} segments, message has {count}", seg)
        else:
            self.warn("segment_count_missing", "UNT segment count absent or not numeric", seg)
        ref = seg.value(1)
        if msg.header.message_ref and ref != msg.header.message_ref:
            self.warn("unt_reference_mismatch", "UNT message reference differs from UNH", seg)

    def _other_types_detail(self) -> str:
        """``"message type(s) A, B"`` for a ``not_…`` decode error."""
        return "message type(s) " + ", ".join(sorted(self.other_types))
