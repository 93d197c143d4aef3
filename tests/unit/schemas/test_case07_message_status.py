"""Field case 07: a message with findings is decoded and labelled
``parsed_with_warnings``, never rejected; a clean message is ``parsed``; in an
interchange of several messages each message gets its own status."""

from __future__ import annotations

from schemas.paxlst import decode_paxlst
from schemas.pnrgov import decode_pnrgov
from tests.unit.schemas.test_pnrgov import CASE07

UNB = "UNA:+.? 'UNB+UNOA:4+ZZAIR+ZZBORDER+261129:0800+R0707'"


def message(ref: str, body: str, count_offset: int = 0) -> str:
    text = f"UNH+{ref}+PAXLST:D:05B:UN:IATA'BGM+745'{body}"
    n = text.count("'") + 1 + count_offset
    return text + f"UNT+{n}+{ref}'"


def test_case07_pnr_reproducer_is_parsed_with_warnings() -> None:
    r = decode_pnrgov(CASE07)
    assert [m.status for m in r.messages] == ["parsed_with_warnings"]
    assert len(r.travellers) == 3


def test_each_message_gets_its_own_status() -> None:
    clean = message("M1", "NAD+FL+++MENSAH:KOFI'ATT+2++M'DTM+329:790821'")
    junk = message("M2", "NAD+FL+++OKAFOR:EMEKA'DOC++ZX0099887'L'", count_offset=2)  # stray L', UNT off by 2
    r = decode_paxlst((UNB + clean + junk + "UNZ+2+R0707'").encode("ascii"))
    assert [(m.message_ref, m.status) for m in r.messages] == [("M1", "parsed"), ("M2", "parsed_with_warnings")]
    assert [t.surname for t in r.travellers] == ["MENSAH", "OKAFOR"]


def test_interchange_level_finding_marks_every_message() -> None:
    body = message("M1", "NAD+FL+++MENSAH:KOFI'") + message("M2", "NAD+FL+++OKAFOR:EMEKA'")
    r = decode_paxlst((UNB + body + "UNZ+2+WRONG'").encode("ascii"))  # UNZ reference differs from UNB
    assert [w.code for w in r.warnings] == ["unz_reference_mismatch"]
    assert [m.status for m in r.messages] == ["parsed", "parsed"]  # the UNZ lies outside both messages
    r = decode_paxlst(" ".join([UNB, body, "UNZ+2+R0707'"]).encode("ascii"))  # stray blanks before tags
    assert {m.status for m in r.messages} == {"parsed_with_warnings"}


def test_missing_unt_is_parsed_with_warnings() -> None:
    text = UNB + "UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL+++MENSAH:KOFI'UNZ+1+R0707'"
    r = decode_paxlst(text.encode("ascii"))
    assert [m.status for m in r.messages] == ["parsed_with_warnings"]
