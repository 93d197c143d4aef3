"""Decode errors for the wire codecs (PAXLST, PNRGOV, EDIFACT).

A small class tree in the aiokafka style: every error carries a short snake_case
``reason`` (stable, used as the DLQ ``error`` header and in metrics labels), a human
``detail``, and a ``retriable`` flag. Decoding the same bytes again never helps, so no
decode error is retriable.
"""

from __future__ import annotations


class DecodeError(Exception):
    """Raised when input bytes cannot be turned into any canonical record.

    Attributes:
        reason: short snake_case code, e.g. ``"not_edifact"``, ``"no_travellers"``,
            ``"not_paxlst"``, ``"undecodable_bytes"``.
        detail: human-readable explanation (never contains personal data).
        retriable: always ``False`` for decode errors (class attribute).
    """

    retriable = False
    default_reason = "decode_error"

    def __init__(self, reason: str | None = None, detail: str = "") -> None:
        self.reason: str = reason or self.default_reason
        self.detail: str = detail
        super().__init__(f"{self.reason}: {detail}" if detail else self.reason)


class NotEdifactError(DecodeError):
    """The bytes hold no UN/EDIFACT interchange (no ``UNA``/``UNB``/``UNH`` found)."""

    default_reason = "not_edifact"


class UndecodableBytesError(DecodeError):
    """The bytes are not text in any supported character set (e.g. binary, UTF-16)."""

    default_reason = "undecodable_bytes"


class NotPaxlstError(DecodeError):
    """The interchange holds EDIFACT messages, but none of type ``PAXLST`` (UNH S009 0065)."""

    default_reason = "not_paxlst"


class NoTravellersError(DecodeError):
    """A PAXLST message was found but no traveller (``NAD+FL``/``FM``/``DDT``/``DDU``
    group) could be recovered from it."""

    default_reason = "no_travellers"
