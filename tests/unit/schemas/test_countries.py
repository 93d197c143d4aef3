"""Country-code normalisation (NAT+2, LOC+174, LOC+91, watchlist nationalities)."""

from __future__ import annotations

import pytest

from schemas.countries import is_known_country, to_alpha3


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("USA", "USA"),
        ("us", "USA"),
        (" GB ", "GBR"),
        ("UK", "GBR"),
        ("D", "DEU"),
        ("XXA", "XXA"),
        ("XXX", "XXX"),
        ("GBN", "GBN"),
        ("RKS", "RKS"),
        ("YUG", "YUG"),
        ("840", "USA"),
        ("Germany", "DEU"),
        ("ABC", None),
        ("LIM", None),
        ("", None),
        (None, None),
        ("ZZ", None),
    ],
)
def test_to_alpha3(raw: str | None, expected: str | None) -> None:
    assert to_alpha3(raw) == expected


def test_is_known_country() -> None:
    assert is_known_country("FRA")
    assert not is_known_country("ABC")
