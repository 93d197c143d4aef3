"""Country-code normalisation to ISO 3166-1 alpha-3 (plus ICAO Doc 9303 codes).

Used for PAXLST ``NAT+2`` (nationality), ``LOC+174`` (country of residence) and
``LOC+91`` (document issuing country), PNRGOV ``SSR DOCS`` and watchlist nationality
fields. Lookups use :mod:`pycountry`; results are cached.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry


def _digits(value: str) -> bool:
    """``True`` for a non-empty string of ASCII digits (``str.isdigit`` also accepts ``²``)."""
    return value.isascii() and value.isdigit()


ICAO_NON_ISO_CODES: dict[str, str] = {
    "XXA": "stateless person (1954 Convention)",
    "XXB": "refugee (1951 Convention)",
    "XXC": "refugee (other than 1951 Convention)",
    "XXX": "unspecified nationality",
    "EUE": "European Union",
    "GBD": "British Overseas Territories citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas citizen",
    "GBP": "British protected person",
    "GBS": "British subject",
    "RKS": "Kosovo",
    "UNA": "United Nations specialised agency",
    "UNK": "Kosovo (UNMIK)",
    "UNO": "United Nations",
    "XBA": "African Development Bank",
    "XCC": "Caribbean Community",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa",
    "XEC": "Economic Community of West African States",
    "XIM": "African Export-Import Bank",
    "XOM": "Sovereign Military Order of Malta",
    "XPO": "Interpol",
}
"""Three-letter codes ICAO Doc 9303 allows in nationality/issuer fields that are not ISO 3166."""

_ALPHA2_ALIASES: dict[str, str] = {
    "D": "DEU",  # ICAO MRZ code for Germany
    "UK": "GBR",  # common non-ISO abbreviation
    "EL": "GRC",  # EU abbreviation for Greece
}


@lru_cache(maxsize=4096)
def to_alpha3(value: str | None) -> str | None:
    """Normalise a country code or name to ISO 3166-1 alpha-3.

    Accepts alpha-3 (``"USA"``), alpha-2 (``"US"``), numeric (``"840"``), ICAO 9303
    codes (``"D"`` → ``"DEU"``, ``"XXA"`` kept), withdrawn ISO codes still printed on
    documents (``"YUG"`` kept) and English country names (``"Germany"``), case- and
    whitespace-insensitive.

    Returns:
        The alpha-3 (or ICAO) code in upper case, or ``None`` when the value is empty or
        not recognised. Never raises.
    """
    if value is None:
        return None
    code = value.strip().upper()
    if not code:
        return None
    if code in _ALPHA2_ALIASES:
        return _ALPHA2_ALIASES[code]
    if code in ICAO_NON_ISO_CODES:
        return code
    if len(code) == 3 and code.isalpha():
        if pycountry.countries.get(alpha_3=code) is not None:
            return code
        if pycountry.historic_countries.get(alpha_3=code) is not None:
            return code
        return None
    if len(code) == 2 and code.isalpha():
        country = pycountry.countries.get(alpha_2=code)
        return str(country.alpha_3) if country is not None else None
    if _digits(code):
        country = pycountry.countries.get(numeric=code.zfill(3))
        return str(country.alpha_3) if country is not None else None
    try:
        return str(pycountry.countries.lookup(code).alpha_3)
    except LookupError:
        return None


def is_known_country(value: str | None) -> bool:
    """``True`` when :func:`to_alpha3` recognises ``value``."""
    return to_alpha3(value) is not None
