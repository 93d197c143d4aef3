"""encode_paxlst writes what decode_paxlst reads back, whatever the delimiters."""

import pytest

from schemas.edifact import Delimiters
from schemas.paxlst import decode_paxlst
from schemas.paxlst_encode import encode_paxlst
from schemas.records import Document, Flight, Traveller

FLIGHT = Flight(carrier="ZZ", number="0421", departure_airport="AAA", arrival_airport="BBB",
                scheduled_departure="2026-11-29T09:00")
TRAVELLERS = [
    Traveller(traveller_id="1", surname="O'DWYER", given_names="NIAMH", gender="F", date_of_birth="1990-03-11",
              nationality="IRL", documents=[Document(type="P", number="PX+1:2", issuing_country="IRL",
                                                     expiry_date="2030-01-31")]),
    Traveller(traveller_id="2", surname="SMITH?JONES", given_names="ANNA MARIA", gender="X",
              date_of_birth="1985-12-01", nationality="GBR"),
]


@pytest.mark.parametrize("delims", [
    Delimiters(),
    Delimiters(element="*", terminator="$"),
    Delimiters(component="-", element="+", release="\\", terminator="~"),
])
def test_round_trip(delims: Delimiters) -> None:
    raw = encode_paxlst(TRAVELLERS, flight=FLIGHT, interchange_ref="IC1", message_ref="M1", delimiters=delims)
    result = decode_paxlst(raw)
    got = [(t.surname, t.given_names, t.gender, t.date_of_birth, t.nationality,
            [(d.number, d.issuing_country, d.expiry_date) for d in t.documents]) for t in result.travellers]
    assert got == [
        ("O'DWYER", "NIAMH", "F", "1990-03-11", "IRL", [("PX+1:2", "IRL", "2030-01-31")]),
        ("SMITH?JONES", "ANNA MARIA", "X", "1985-12-01", "GBR", []),
    ]
    flight = result.travellers[0].source.flight
    assert (flight.carrier, flight.number, flight.departure_airport, flight.arrival_airport) == \
        ("ZZ", "0421", "AAA", "BBB")
    assert result.errors == []
    assert not [w for w in result.warnings if w.code.endswith("count_mismatch")]


def test_nameless_traveller_is_refused() -> None:
    with pytest.raises(ValueError):
        encode_paxlst([Traveller(traveller_id="x")], flight=FLIGHT, interchange_ref="I", message_ref="M")
