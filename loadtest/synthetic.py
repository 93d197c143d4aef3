"""A large, realistic synthetic watchlist for speed and recall measurements (issue 7).

:func:`synthetic_watchlist` returns listed persons (:class:`matchers.Person`) holding
about ``n_names`` names in all (primary names plus aliases): first the individuals of the
real sample lists (UN SC, OFAC SDN, OFAC non-SDN, UK HMT, EU FSF, read with
:func:`schemas.watchlists.read_watchlist` from ``../shared/data/watchlists``), then
generated persons from many naming cultures (Arabic, Persian, Turkish, Russian and
Ukrainian, Chinese, Korean, Japanese, Vietnamese, South Asian, West and East African,
Hispanic and Lusophone, Anglo, French, German) until the count is reached. Token pools mix
common names of each culture, tokens taken from the real lists, and rare names built from
syllables, so the vocabulary grows with the list as a real consolidated list does.

Generated persons get 0–4 aliases (romanisation variants, surname/given order swapped,
another given name with the same surname, middle names dropped or added, a second
romanisation of the whole name), dates of birth that are often partial (year only,
year-month, ranges, circa), nationalities, genders and sometimes a passport number.

Everything is seeded: the same ``(n_names, seed)`` always yields the same list.
Persons are plain matcher values (no pydantic records), so a million names fit in a few
hundred MiB; :func:`person_to_entry` turns a sample back into ``WatchlistEntry`` records
for :mod:`loadtest.noise`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from loadtest.noise import TRANSLITERATION_RULES
from matchers import DateSpec, DocumentKey, Person, PersonName
from schemas.records import Document, EntryDate, EntryName, WatchlistEntry
from schemas.screening import entry_to_person
from schemas.watchlists import read_watchlist

WATCHLISTS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "watchlists"
REAL_LISTS: tuple[tuple[str, str], ...] = (
    ("un-sc", "un_sc_consolidated_2026-02-27.xml"),
    ("ofac-sdn", "ofac_sdn_2021-07-07"),
    ("ofac-cons", "ofac_consolidated_nonsdn_2025-12-19"),
    ("uk-hmt", "uk_hmt_conlist_2014-04-02.csv"),
    ("eu-fsf", "eu_fsf_consolidated_2018-07-04_first999rows.csv"),
)
"""``(list_id, file name under ../shared/data/watchlists)`` of the real lists used."""

SYNTHETIC_LIST_ID = "synthetic"
"""``list_id`` of the generated persons."""


@dataclass(frozen=True)
class Culture:
    """One naming culture: pools of common given names and surnames (most frequent
    first, drawn with Zipf-like weights), a generator of rare names from syllables, the
    written order (``surname_first``), how many given names a person usually has, its
    nationalities (ISO 3166 alpha-3) and its share of the generated persons."""

    name: str
    given: tuple[str, ...]
    surnames: tuple[str, ...]
    rare: Callable[[random.Random], str]
    nationalities: tuple[str, ...]
    share: float
    max_given: int = 2
    surname_first: bool = False


def _syllables(parts: Sequence[str], lo: int, hi: int) -> Callable[[random.Random], str]:
    def make(rng: random.Random) -> str:
        return "".join(rng.choice(parts) for _ in range(rng.randint(lo, hi)))

    return make


def _root_suffix(roots: Sequence[str], suffixes: Sequence[str]) -> Callable[[random.Random], str]:
    def make(rng: random.Random) -> str:
        return rng.choice(roots) + rng.choice(suffixes)

    return make


def _arabic_pattern(rng: random.Random) -> str:
    cons = ("B", "D", "F", "H", "J", "K", "L", "M", "N", "Q", "R", "S", "T", "Z", "KH", "SH", "GH", "DH", "TH", "W")
    c1, c2, c3 = rng.choice(cons), rng.choice(cons), rng.choice(cons)
    pattern = rng.choice(("{0}A{1}I{2}", "{0}A{1}A{2}", "{0}U{1}A{2}A", "A{0}{1}A{2}", "{0}A{1}{2}AWI", "{0}A{1}I{2}I"))
    return pattern.format(c1, c2, c3)


_PINYIN = [
    "WEI",
    "JIE",
    "MING",
    "HUA",
    "JUN",
    "LI",
    "NA",
    "FANG",
    "YAN",
    "JING",
    "XIAO",
    "HONG",
    "YONG",
    "QIANG",
    "BIN",
    "TAO",
    "PENG",
    "CHAO",
    "GANG",
    "HAO",
    "YU",
    "XIN",
    "LEI",
    "PING",
    "HUI",
    "YING",
    "LAN",
    "YUN",
    "XIA",
    "FENG",
    "LONG",
    "ZHI",
    "GUO",
    "DONG",
    "SHAN",
    "CHUN",
    "QING",
    "YI",
    "XUE",
    "JIAN",
    "WEN",
    "RONG",
    "KAI",
]
_KANA = [
    "KA",
    "KI",
    "KU",
    "KE",
    "KO",
    "SA",
    "SHI",
    "SU",
    "SE",
    "SO",
    "TA",
    "CHI",
    "TSU",
    "TE",
    "TO",
    "NA",
    "NI",
    "NU",
    "NE",
    "NO",
    "HA",
    "HI",
    "FU",
    "HE",
    "HO",
    "MA",
    "MI",
    "MU",
    "ME",
    "MO",
    "YA",
    "YU",
    "YO",
    "RA",
    "RI",
    "RU",
    "RE",
    "RO",
    "WA",
]
_AFRICAN = [
    "OLU",
    "ADE",
    "BAYO",
    "CHI",
    "NNA",
    "EME",
    "OKO",
    "NWA",
    "KWA",
    "ME",
    "BU",
    "NGO",
    "MBA",
    "TUN",
    "DE",
    "WALE",
    "FUN",
    "MI",
    "SE",
    "GUN",
    "OYE",
    "IKE",
    "AMA",
    "KO",
    "FI",
]
_SLAVIC_ROOTS = [
    "IVAN",
    "PETR",
    "SMIRN",
    "KUZNETS",
    "POP",
    "SOKOL",
    "LEBED",
    "KOZL",
    "NOVIK",
    "MOROZ",
    "VOLK",
    "ZAIC",
    "PAVL",
    "SEMEN",
    "GOLUB",
    "VINOGRAD",
    "BOGDAN",
    "KOVAL",
    "SHEVCH",
    "BONDAR",
    "TKACH",
    "KRAVCH",
    "OLEIN",
    "MELNYK",
    "GRIG",
    "TIMOF",
    "BELOUS",
    "CHERNOV",
    "ZHUK",
    "KARP",
    "LYSENK",
]
_SLAVIC_SUFFIXES = ("OV", "EV", "IN", "ENKO", "SKIY", "SKY", "CHUK", "UK", "OVICH", "YAN", "ISHIN", "KO")
_HISPANIC_ROOTS = [
    "GARC",
    "MART",
    "RODRIG",
    "FERNAND",
    "LOP",
    "GONZAL",
    "SANCH",
    "PER",
    "GOM",
    "DIAZ",
    "ALVAR",
    "ROMER",
    "NAVARR",
    "GUTIERR",
    "RAMIR",
]
_INDIAN = [
    "RA",
    "JA",
    "KU",
    "MAR",
    "SU",
    "RE",
    "SH",
    "AN",
    "VI",
    "JAY",
    "DEV",
    "PRA",
    "KASH",
    "NI",
    "TH",
    "AS",
    "HOK",
    "DI",
    "NESH",
    "GO",
    "PAL",
    "SRI",
    "VAS",
]
_GERMANIC_ROOTS = [
    "WEIS",
    "SCHWARZ",
    "HOF",
    "BERG",
    "BRAND",
    "STEIN",
    "FELD",
    "LIND",
    "WALD",
    "ROSEN",
    "GOLD",
    "EICH",
    "KRAU",
    "BACH",
    "HAUS",
    "MUEL",
]
_GERMANIC_SUFFIXES = ("MANN", "ER", "BERGER", "HOLZ", "FELD", "MAYER", "LER", "NER", "HOFF", "SCH")
_ANGLO_ROOTS = [
    "ASH",
    "BRAD",
    "CART",
    "HAMP",
    "FAIR",
    "WHIT",
    "THORN",
    "BLACK",
    "HOLL",
    "MARS",
    "WOOD",
    "CLAY",
    "STAN",
    "BRIGHT",
    "ALD",
]
_ANGLO_SUFFIXES = ("TON", "FORD", "LEY", "WELL", "WOOD", "BY", "SON", "HAM", "WORTH", "FIELD")

CULTURES: tuple[Culture, ...] = (
    Culture(
        "arabic",
        tuple(
            [
                "MOHAMMED",
                "AHMED",
                "ALI",
                "OMAR",
                "ABDULLAH",
                "YOUSSEF",
                "IBRAHIM",
                "KHALID",
                "HASSAN",
                "HUSSEIN",
                "MAHMOUD",
                "MUSTAFA",
                "SAID",
                "ABDUL",
                "RAHMAN",
                "SALEH",
                "ADEL",
                "TARIQ",
                "WALID",
                "NASSER",
                "FAISAL",
                "JAMAL",
                "SAMIR",
                "KARIM",
                "RASHID",
                "HAMZA",
                "BILAL",
                "ZIAD",
                "FATIMA",
                "AISHA",
                "MARYAM",
                "KHADIJA",
                "ZAINAB",
                "NOUR",
                "LAYLA",
                "HANAN",
            ]
        ),
        tuple(
            [
                "AL-MASRI",
                "AL-TIKRITI",
                "HADDAD",
                "KHOURY",
                "NASSER",
                "AL-AHMAD",
                "SALEM",
                "HAMDAN",
                "AL-ZAHRANI",
                "AL-QAHTANI",
                "ABU",
                "BAKR",
                "MANSOUR",
                "AL-SHAMI",
                "YASIN",
                "AL-HASHIMI",
                "OTHMAN",
                "DARWISH",
                "BARAKAT",
                "AL-JABOURI",
                "AL-OBAIDI",
                "SHARIF",
                "AL-AMIN",
            ]
        ),
        _arabic_pattern,
        ("SAU", "IRQ", "SYR", "EGY", "YEM", "JOR", "LBN", "LBY", "SDN", "ARE", "KWT", "DZA", "MAR", "TUN"),
        0.18,
        max_given=3,
    ),
    Culture(
        "persian",
        tuple(
            [
                "REZA",
                "ALI",
                "HOSSEIN",
                "MEHDI",
                "MOHAMMAD",
                "AMIR",
                "HAMID",
                "MAJID",
                "SAEED",
                "JAVAD",
                "MOJTABA",
                "FARHAD",
                "DARIUSH",
                "NEDA",
                "SARA",
            ]
        ),
        tuple(
            [
                "HOSSEINI",
                "MOHAMMADI",
                "AHMADI",
                "REZAEI",
                "MOUSAVI",
                "JAFARI",
                "KARIMI",
                "RAHIMI",
                "HASHEMI",
                "SADEGHI",
                "SOLEIMANI",
                "TEHRANI",
            ]
        ),
        _root_suffix(("GHOL", "NAJ", "SHIR", "FAR", "BEH", "ZAND", "KAZ", "ESFAND"), ("I", "ZADEH", "POUR", "IAN")),
        ("IRN", "AFG"),
        0.06,
    ),
    Culture(
        "turkish",
        tuple(
            [
                "MEHMET",
                "MUSTAFA",
                "AHMET",
                "ALI",
                "HUSEYIN",
                "HASAN",
                "IBRAHIM",
                "ISMAIL",
                "OSMAN",
                "YUSUF",
                "MURAT",
                "EMRE",
                "AYSE",
                "FATMA",
                "ELIF",
            ]
        ),
        tuple(
            [
                "YILMAZ",
                "KAYA",
                "DEMIR",
                "SAHIN",
                "CELIK",
                "YILDIZ",
                "YILDIRIM",
                "OZTURK",
                "AYDIN",
                "OZDEMIR",
                "ARSLAN",
                "DOGAN",
                "KILIC",
            ]
        ),
        _root_suffix(("KARA", "AK", "OZ", "GUL", "DEMIR", "TAS", "YUR"), ("OGLU", "CAN", "TEKIN", "SOY", "KAN")),
        ("TUR", "AZE"),
        0.05,
    ),
    Culture(
        "slavic",
        tuple(
            [
                "ALEKSANDR",
                "SERGEY",
                "DMITRIY",
                "ANDREY",
                "ALEKSEY",
                "IVAN",
                "MIKHAIL",
                "NIKOLAY",
                "VLADIMIR",
                "YURIY",
                "OLEG",
                "VIKTOR",
                "IGOR",
                "OLGA",
                "TATYANA",
                "NATALYA",
                "ELENA",
                "IRINA",
                "SVETLANA",
                "ANNA",
            ]
        ),
        tuple(
            [
                "IVANOV",
                "SMIRNOV",
                "KUZNETSOV",
                "POPOV",
                "SOKOLOV",
                "PETRENKO",
                "KOVALENKO",
                "BONDARENKO",
                "SHEVCHENKO",
                "MELNYK",
            ]
        ),
        _root_suffix(_SLAVIC_ROOTS, _SLAVIC_SUFFIXES),
        ("RUS", "UKR", "BLR", "KAZ", "MDA"),
        0.11,
        max_given=2,
    ),
    Culture(
        "chinese",
        tuple(_PINYIN),
        tuple(
            [
                "WANG",
                "LI",
                "ZHANG",
                "LIU",
                "CHEN",
                "YANG",
                "HUANG",
                "ZHAO",
                "WU",
                "ZHOU",
                "XU",
                "SUN",
                "MA",
                "ZHU",
                "HU",
                "GUO",
                "HE",
                "GAO",
                "LIN",
                "LUO",
            ]
        ),
        _syllables(_PINYIN, 2, 2),
        ("CHN", "TWN", "HKG", "SGP"),
        0.09,
        max_given=1,
        surname_first=True,
    ),
    Culture(
        "korean",
        tuple(
            [
                "MIN",
                "JUN",
                "JI",
                "HOON",
                "SEO",
                "YEON",
                "HYUN",
                "WOO",
                "JAE",
                "SUNG",
                "YOUNG",
                "HO",
                "EUN",
                "JIN",
                "SOO",
            ]
        ),
        tuple(["KIM", "LEE", "PARK", "CHOI", "JUNG", "KANG", "CHO", "YOON", "JANG", "LIM", "HAN", "OH", "SEO", "SHIN"]),
        _syllables(("MIN", "JUN", "HYUN", "SEO", "JI", "WOO", "SUNG", "HEE", "YOUNG", "CHUL"), 2, 2),
        ("KOR", "PRK"),
        0.03,
        max_given=1,
        surname_first=True,
    ),
    Culture(
        "japanese",
        tuple(
            [
                "HIROSHI",
                "TAKESHI",
                "KENJI",
                "YUKI",
                "HARUTO",
                "SORA",
                "AKIRA",
                "KAZUO",
                "YOKO",
                "KEIKO",
                "AYAKA",
                "NAOMI",
            ]
        ),
        tuple(
            ["SATO", "SUZUKI", "TAKAHASHI", "TANAKA", "WATANABE", "ITO", "YAMAMOTO", "NAKAMURA", "KOBAYASHI", "KATO"]
        ),
        _syllables(_KANA, 2, 4),
        ("JPN",),
        0.03,
        max_given=1,
        surname_first=True,
    ),
    Culture(
        "vietnamese",
        tuple(["VAN", "THI", "MINH", "DUC", "HOANG", "ANH", "TUAN", "HUNG", "LINH", "HUONG", "THANH", "NAM", "QUANG"]),
        tuple(["NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "PHAN", "VU", "DANG", "BUI", "DO", "HO", "NGO", "DUONG", "LY"]),
        _syllables(("AN", "BAO", "CUONG", "DAT", "GIANG", "HAI", "KHANH", "LONG", "PHUC", "TRUNG"), 1, 1),
        ("VNM",),
        0.04,
        max_given=2,
        surname_first=True,
    ),
    Culture(
        "south_asian",
        tuple(
            [
                "MOHAMMAD",
                "RAHUL",
                "AMIT",
                "SANJAY",
                "RAJESH",
                "SURESH",
                "PRIYA",
                "ANITA",
                "SUNITA",
                "IMRAN",
                "ASIF",
                "TARIQ",
                "FAROOQ",
                "AHMED",
            ]
        ),
        tuple(
            [
                "KUMAR",
                "SINGH",
                "SHARMA",
                "PATEL",
                "KHAN",
                "GUPTA",
                "REDDY",
                "IQBAL",
                "HUSSAIN",
                "MALIK",
                "CHAUDHRY",
                "QURESHI",
                "RAO",
                "DAS",
            ]
        ),
        _syllables(_INDIAN, 2, 4),
        ("IND", "PAK", "BGD", "LKA", "NPL"),
        0.10,
    ),
    Culture(
        "african",
        tuple(
            [
                "ADEBAYO",
                "CHINEDU",
                "EMEKA",
                "OLUWASEUN",
                "KWAME",
                "KOFI",
                "ABDI",
                "MOHAMED",
                "HASSAN",
                "AMINA",
                "FATUMA",
                "GRACE",
                "JOSEPH",
            ]
        ),
        tuple(
            [
                "OKAFOR",
                "ADEYEMI",
                "OKONKWO",
                "MENSAH",
                "ASANTE",
                "DIALLO",
                "TRAORE",
                "KONE",
                "WARSAME",
                "FARAH",
                "OMAR",
                "MWANGI",
            ]
        ),
        _syllables(_AFRICAN, 2, 4),
        ("NGA", "GHA", "SOM", "KEN", "MLI", "SEN", "COD", "ETH", "SSD", "CAF"),
        0.10,
    ),
    Culture(
        "hispanic",
        tuple(
            [
                "JOSE",
                "JUAN",
                "CARLOS",
                "LUIS",
                "MIGUEL",
                "JORGE",
                "PEDRO",
                "MANUEL",
                "FRANCISCO",
                "ANTONIO",
                "MARIA",
                "ANA",
                "LUCIA",
                "CARMEN",
            ]
        ),
        tuple(
            [
                "GARCIA",
                "MARTINEZ",
                "RODRIGUEZ",
                "LOPEZ",
                "HERNANDEZ",
                "GONZALEZ",
                "PEREZ",
                "SANCHEZ",
                "RAMIREZ",
                "TORRES",
                "DA",
                "SILVA",
            ]
        ),
        _root_suffix(_HISPANIC_ROOTS, ("EZ", "AZ", "IZ", "ES", "ERO", "ADO", "EDA")),
        ("MEX", "COL", "VEN", "ESP", "BRA", "PRT", "ARG", "PER", "CUB"),
        0.08,
        max_given=2,
    ),
    Culture(
        "anglo",
        tuple(
            [
                "JOHN",
                "JAMES",
                "ROBERT",
                "MICHAEL",
                "WILLIAM",
                "DAVID",
                "RICHARD",
                "THOMAS",
                "MARY",
                "PATRICIA",
                "JENNIFER",
                "LINDA",
                "SARAH",
            ]
        ),
        tuple(
            [
                "SMITH",
                "JOHNSON",
                "WILLIAMS",
                "BROWN",
                "JONES",
                "MILLER",
                "DAVIS",
                "WILSON",
                "TAYLOR",
                "CLARK",
                "O'BRIEN",
                "MURPHY",
            ]
        ),
        _root_suffix(_ANGLO_ROOTS, _ANGLO_SUFFIXES),
        ("GBR", "USA", "IRL", "AUS", "CAN"),
        0.06,
    ),
    Culture(
        "french_german",
        tuple(
            [
                "JEAN",
                "PIERRE",
                "MICHEL",
                "ANDRE",
                "PHILIPPE",
                "KLAUS",
                "JUERGEN",
                "STEFAN",
                "WOLFGANG",
                "MARIE",
                "CLAIRE",
                "SABINE",
            ]
        ),
        tuple(
            [
                "MARTIN",
                "BERNARD",
                "DUBOIS",
                "MOREAU",
                "LEFEBVRE",
                "MUELLER",
                "SCHMIDT",
                "SCHNEIDER",
                "FISCHER",
                "WEBER",
                "MEYER",
            ]
        ),
        _root_suffix(_GERMANIC_ROOTS, _GERMANIC_SUFFIXES),
        ("FRA", "DEU", "BEL", "CHE", "AUT"),
        0.04,
    ),
    Culture(
        "real_tokens",
        (),
        (),
        _arabic_pattern,
        ("XXX",),
        0.03,
    ),
)
"""The naming cultures of the generated persons (``real_tokens`` recombines tokens of
the real lists' names)."""

_NICKNAMES = {
    "MOHAMMED": "MOHD",
    "ALEKSANDR": "SASHA",
    "WILLIAM": "BILL",
    "ROBERT": "BOB",
    "JOSE": "PEPE",
    "FRANCISCO": "PACO",
    "MICHAEL": "MIKE",
    "ABDULLAH": "ABDALLA",
    "YOUSSEF": "YUSUF",
}


def _zipf(pool: Sequence[str], s: float = 0.9) -> Callable[[random.Random], str]:
    cum = list(accumulate(1.0 / (rank + 1) ** s for rank in range(len(pool))))

    def pick(rng: random.Random) -> str:
        return rng.choices(pool, cum_weights=cum)[0]

    return pick


def real_entries(list_ids: Sequence[str] | None = None) -> list[WatchlistEntry]:
    """Individuals of the real sample lists (:data:`REAL_LISTS`, or those of
    ``list_ids``), read with :func:`schemas.watchlists.read_watchlist`. Raises
    ``FileNotFoundError`` when ``../shared/data/watchlists`` is missing."""
    out: list[WatchlistEntry] = []
    for list_id, name in REAL_LISTS:
        if list_ids is not None and list_id not in list_ids:
            continue
        path = WATCHLISTS / name
        if not path.exists():
            raise FileNotFoundError(path)
        for e in read_watchlist(str(path), format="auto", list_id=list_id).entries:
            if e.category in (None, "individual", "person") and e.names:
                out.append(e)
    return out


@lru_cache(maxsize=1)
def _real_token_pools() -> tuple[tuple[str, ...], tuple[str, ...]]:
    given: dict[str, int] = {}
    sur: dict[str, int] = {}
    for e in real_entries():
        for n in e.names:
            if n.surname and n.given_names:
                for tok in n.given_names.upper().split():
                    if tok.isalpha() and tok.isascii() and len(tok) > 1:
                        given[tok] = given.get(tok, 0) + 1
                for tok in n.surname.upper().split():
                    if tok.isalpha() and tok.isascii() and len(tok) > 1:
                        sur[tok] = sur.get(tok, 0) + 1
    order = lambda d: tuple(sorted(d, key=lambda k: (-d[k], k)))  # noqa: E731
    return order(given), order(sur)


class _Generator:
    """Draws generated persons; one instance per seed."""

    def __init__(self, seed: int, real_pools: tuple[tuple[str, ...], tuple[str, ...]]) -> None:
        self.rng = random.Random(f"synthetic:{seed}")
        self.cultures = CULTURES
        self.cum = list(accumulate(c.share for c in CULTURES))
        self.given = {}
        self.sur = {}
        for c in CULTURES:
            g, s = real_pools if c.name == "real_tokens" else (c.given, c.surnames)
            self.given[c.name] = _zipf(g or ("ANON",))
            self.sur[c.name] = _zipf(s or ("ANON",))

    def _token(self, c: Culture, pool: dict[str, Callable[[random.Random], str]]) -> str:
        # about one token in four is rare (built from syllables), the rest common names
        if self.rng.random() < 0.27:
            return c.rare(self.rng)
        return pool[c.name](self.rng)

    def _alias(self, c: Culture, given: list[str], surname: str) -> tuple[list[str], str] | None:
        rng = self.rng
        kind = rng.random()
        if kind < 0.3:
            # romanisation variant of one token
            toks = [*given, surname]
            i = rng.randrange(len(toks))
            rules = [(a, b) for a, b in TRANSLITERATION_RULES if a in toks[i]]
            if not rules:
                return None
            a, b = rng.choice(rules)
            pos = [k for k in range(len(toks[i])) if toks[i].startswith(a, k)]
            k = rng.choice(pos)
            toks[i] = toks[i][:k] + b + toks[i][k + len(a) :]
            return toks[:-1], toks[-1]
        if kind < 0.45 and len(given) >= 1:
            return [surname], given[0]  # order swapped by the source
        if kind < 0.65:
            return [self._token(c, self.given)], surname  # another given name (a.k.a.)
        if kind < 0.8 and len(given) > 1:
            return given[:1], surname  # middle names dropped
        if kind < 0.9:
            nick = [_NICKNAMES.get(g, g) for g in given]
            return (nick, surname) if nick != given else None
        return [*given, self._token(c, self.given)], surname  # an extra middle name

    def _dates(self) -> tuple[DateSpec, ...]:
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            return ()
        year = rng.randint(1940, 2002)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        kind = rng.random()
        if kind < 0.5:
            first = DateSpec(date=f"{year:04d}-{month:02d}-{day:02d}")
        elif kind < 0.7:
            first = DateSpec(date=f"{year:04d}")
        elif kind < 0.8:
            first = DateSpec(date=f"{year:04d}-{month:02d}")
        elif kind < 0.9:
            first = DateSpec(from_=f"{year:04d}", to=f"{year + rng.randint(1, 4):04d}")
        else:
            first = DateSpec(date=f"{year:04d}", approximate=True)
        if rng.random() < 0.12:
            return (first, DateSpec(date=f"{year + rng.choice((-1, 1)):04d}"))
        return (first,)

    def person(self, number: int) -> Person:
        """The generated person number ``number`` (entry id ``S{number}``)."""
        rng = self.rng
        c = self.cultures[min(len(self.cultures) - 1, self._pick_culture())]
        n_given = 1 if c.max_given == 1 else rng.choices(range(1, c.max_given + 1), k=1)[0]
        given = [self._token(c, self.given) for _ in range(n_given)]
        surname = self._token(c, self.sur)
        names = [self._name(c, given, surname, "primary")]
        seen = {(given[0] if given else "", " ".join(given), surname)}
        for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(30, 30, 20, 12, 8))[0]):
            alias = self._alias(c, given, surname)
            if alias is not None and (alias[0][0] if alias[0] else "", " ".join(alias[0]), alias[1]) not in seen:
                seen.add((alias[0][0] if alias[0] else "", " ".join(alias[0]), alias[1]))
                names.append(self._name(c, alias[0], alias[1], "alias"))
        docs: tuple[DocumentKey, ...] = ()
        if rng.random() < 0.2:
            number_text = rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + f"{rng.randrange(10**7):07d}"
            docs = (DocumentKey(number=number_text, type="P", issuing_country=rng.choice(c.nationalities)),)
        return Person(
            key=f"{SYNTHETIC_LIST_ID}:S{number}",
            names=tuple(names),
            dates_of_birth=self._dates(),
            nationalities=(rng.choice(c.nationalities),) if rng.random() < 0.8 else (),
            genders=(rng.choice("MF"),) if rng.random() < 0.7 else (),
            documents=docs,
            list_id=SYNTHETIC_LIST_ID,
            entry_id=f"S{number}",
        )

    def _pick_culture(self) -> int:
        x = self.rng.random() * self.cum[-1]
        for i, edge in enumerate(self.cum):
            if x < edge:
                return i
        return len(self.cum) - 1

    def _name(self, c: Culture, given: list[str], surname: str, kind: str) -> PersonName:
        g = " ".join(given)
        full = f"{surname} {g}" if c.surname_first else f"{g} {surname}"
        # lists hold about half their names split into surname/given fields
        if self.rng.random() < 0.5:
            return PersonName(full_name=full, surname=surname, given_names=g, kind=kind)
        return PersonName(full_name=full, kind=kind)


def generated_persons(seed: int = 7, *, real_tokens: bool = True) -> Iterator[Person]:
    """An endless, seeded stream of generated persons (``list_id`` ``synthetic``);
    ``real_tokens`` also recombines tokens of the real lists' names (reads them)."""
    gen = _Generator(seed, _real_token_pools() if real_tokens else ((), ()))
    number = 0
    while True:
        number += 1
        yield gen.person(number)


def synthetic_watchlist(n_names: int, *, seed: int = 7, include_real: bool = True) -> list[Person]:
    """About ``n_names`` listed names (primary and aliases; the last person may overshoot
    by a few): the real lists' individuals first, then :func:`generated_persons`.
    Deterministic for a given ``(n_names, seed, include_real)``. With ``include_real``
    (the default) raises ``FileNotFoundError`` when the real lists are missing (they also
    seed a token pool); without it nothing is read."""
    out: list[Person] = []
    count = 0
    if include_real:
        for e in real_entries():
            if count >= n_names:
                return out
            p = entry_to_person(e)
            out.append(p)
            count += len(p.names)
    for p in generated_persons(seed, real_tokens=include_real):
        if count >= n_names:
            break
        out.append(p)
        count += len(p.names)
    return out


def person_to_entry(p: Person) -> WatchlistEntry:
    """A listed :class:`~matchers.Person` as a ``WatchlistEntry`` (names, dates of birth,
    nationalities, genders, documents), e.g. to build noisy variants with
    :mod:`loadtest.noise`."""
    list_id = p.list_id or p.key.partition(":")[0]
    entry_id = p.entry_id or p.key.partition(":")[2]
    return WatchlistEntry(
        list_id=list_id,
        entry_id=entry_id,
        names=[
            EntryName(
                full_name=n.full_name or n.display(),
                surname=n.surname,
                given_names=n.given_names,
                kind=n.kind,  # type: ignore[arg-type]
            )
            for n in p.names
        ],
        dates_of_birth=[
            EntryDate.model_validate({"date": d.date, "from": d.from_, "to": d.to, "approximate": d.approximate})
            for d in p.dates_of_birth
        ],
        nationalities=list(p.nationalities),
        genders=[g for g in p.genders if g in ("M", "F", "X", "U")],  # type: ignore[misc]
        documents=[Document(type=d.type, number=d.number, issuing_country=d.issuing_country) for d in p.documents],
        category="individual",
    )
