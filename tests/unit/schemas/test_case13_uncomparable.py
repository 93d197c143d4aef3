"""Field case 13 at the decoders: a traveller name that has no comparable form is
flagged ``uncomparable_name`` for data-quality follow-up (counted per code by the
worker's decode-warning metric) and still decoded; a name with any comparable form is
not flagged."""

from __future__ import annotations

import pytest

from schemas.paxlst import decode_paxlst
from schemas.pnrgov import decode_pnrgov
from schemas.screening import name_is_uncomparable


def paxlst(name: str) -> bytes:
    body = (
        "UNA:+.? 'UNB+UNOY:4+ZZAIR+ZZBORDER+261129:0800+R13'UNH+1+PAXLST:D:05B:UN:IATA+ZZ13'BGM+745'"
        f"NAD+FL+++{name}'ATT+2++U'"
    )
    n = body[body.index("UNH") :].count("'") + 1
    return (body + f"UNT+{n}+1'UNZ+1+R13'").encode("utf-8")


def pnrgov(surname: str, given: str) -> bytes:
    lines = [
        "UNB+UNOY:1+ZZ+ZZBORDER+261129:1200+R13'",
        "UNH+1+PNRGOV:13:1:IA+ZZ13'",
        "MSG+:22'",
        "ORG+ZZ'",
        "TVL+291126:1015+AAA+BBB+ZZ+0421'",
        "EQN+1'",
        "SRC'",
        "RCI+ZZ:QX7P2L'",
        f"TIF+{surname}+{given}:A:1'",
    ]
    lines += [f"UNT+{len(lines)}+1'", "UNZ+1+R13'"]
    return ("UNA:+.? '" + "".join(lines)).encode("utf-8")


UNCOMPARABLE = [("\U00013002", "\U00013003"), ("NONE", "\U00013002"), ("\U00013002", "")]
COMPARABLE = [("نور", "الهدى"), ("ЛАПТЕВА", "ОЛЕСЯ"), ("GRØNVOLD", "BÅRD"), ("\U00013002", "ANNA")]


@pytest.mark.parametrize(("surname", "given"), UNCOMPARABLE)
def test_uncomparable_names_are_flagged(surname: str, given: str) -> None:
    assert name_is_uncomparable(None, surname, given or None)
    (t,) = decode_paxlst(paxlst(f"{surname}:{given}")).travellers
    assert [w.code for w in t.warnings] == ["uncomparable_name"]
    (p,) = decode_pnrgov(pnrgov(surname, given)).travellers
    assert "uncomparable_name" in [w.code for w in p.warnings]


@pytest.mark.parametrize(("surname", "given"), COMPARABLE)
def test_comparable_names_are_not_flagged(surname: str, given: str) -> None:
    assert not name_is_uncomparable(None, surname, given)
    (t,) = decode_paxlst(paxlst(f"{surname}:{given}")).travellers
    assert "uncomparable_name" not in [w.code for w in t.warnings]
    (p,) = decode_pnrgov(pnrgov(surname, given)).travellers
    assert "uncomparable_name" not in [w.code for w in p.warnings]


def test_nameless_traveller_is_not_called_uncomparable() -> None:
    assert not name_is_uncomparable(None, None, None)
    assert not name_is_uncomparable("", " ", "UNKNOWN")
