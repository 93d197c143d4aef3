"""Name, value and document-number normalisation (uppercase Latin as a passport writes it).

Every name gets one or more *variants* (keys), on both sides of a comparison:

* ``plain`` — diacritics dropped (Ü→U, Ø→O, ß→SS), other scripts through ``unidecode``
  (kana keep their voicing: バ is BA, not HA); Hangul syllable by syllable, each its own
  token, in Revised Romanization (김정은 → GIM JEONG EUN);
* ``icao`` — ICAO Doc 9303 part 3 transliteration of the letters it treats specially
  (Ä/Æ→AE, Ö/Ø→OE, Ü→UE, Å→AA, ß→SS, Þ→TH), the rest as ``plain``;
* ``suffix_dropped`` — a free-form name ending in JR, SR, II… also without it;
* ``korean_mr`` / ``korean_u`` — Hangul names also with ㅓ/ㅡ as O/U (McCune-Reischauer
  without breves, as lists write North Korean names: KIM JONG UN) and as U/EU (older
  passport style: JUNG, SUNG).

Only names containing such letters get the other variants; a field without them (the
given names of SCHÜSSLER, JORG) keeps its plain form in every variant. Tokens are
uppercase ``A–Z``
(digits inside a word are read as the letters they resemble, ``SECH1N`` → ``SECHIN``;
words of digits only are dropped; a literal ``?`` stays inside its token as a one-letter
:data:`WILDCARD`, field case 01);
apostrophes are dropped (O'DWYER → ODWYER), hyphens and other separators split tokens,
titles (MR, MRS, DR…) are removed, and name particles (AL, EL,
BIN, ABU, DE, VAN…) are joined to the token that follows (AL QAIDI → ALQAIDI) so joined and split forms meet;
the joined token remembers its particle so a dropped particle can still be recognised
(:func:`particle_class` tells an article from a kinship word). Tokens of Chinese and
Korean names are marked as syllables (:attr:`Token.syllable`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from unidecode import unidecode

if TYPE_CHECKING:
    from matchers._core import FoldedNames as VariantTexts

UNKNOWN_VALUES = frozenset({"", "NONE", "NULL", "UNKNOWN", "UNK", "XX", "00", "N/A", "NA", "-"})
"""Placeholders that mean "not known" in any field (field case 13)."""

TITLES = frozenset(
    {
        *("MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "SIR", "MME", "MLLE", "MX", "REV"),
        # the same words spelt out in the languages lists and bookings use
        *("MONSIEUR", "MADAME", "MADEMOISELLE", "HERR", "FRAU", "SENOR", "SENORA", "SENHOR", "SENHORA"),
        *("SIGNOR", "SIGNORA"),
    }
)
"""Titles and honorifics removed from names when other tokens remain."""

SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV"})
"""Generational suffixes: kept as written (surname ``REYES JR``), a free-form name
ending in one also gets a ``suffix_dropped`` variant without it (``Al Lawson, Jr.``);
lists and bookings keep or drop them freely, so the scorer does not count one that the
other name lacks."""

PARTICLES = frozenset(
    {
        "AL",
        "EL",
        "UL",
        "UD",
        "AD",
        "AS",
        "ABU",
        "ABD",
        "ABDUL",
        "BIN",
        "BINT",
        "BEN",
        "IBN",
        "DE",
        "DEL",
        "DELLA",
        "DA",
        "DAS",
        "DOS",
        "VAN",
        "VON",
        "DER",
        "DEN",
        "TER",
        "ZU",
    }
)
"""Name particles joined to the next token (Arabic article and kinship words, Romance,
Dutch and German particles). ``LE``/``LA``/``DU``/``DI`` are left out on purpose: they are
common surnames (Vietnamese LE, Chinese DU) as well as particles."""

_PARTICLE_CLASSES = {
    **dict.fromkeys(("ABU",), "father_of"),
    **dict.fromkeys(("BIN", "BINT", "BEN", "IBN"), "child_of"),
    **dict.fromkeys(("ABD", "ABDUL"), "servant_of"),
}
"""Particles that are part of the name's meaning (kinship and theophoric words: ABU
father of, BIN/IBN/BEN child of, ABD/ABDUL servant of): a name with one is another
name than without it (ABDUL MOHAMMAD is not MOHAMMAD). Every other particle is an
article or a preposition (AL, EL, DE, VAN…) that writers keep or drop freely."""


def particle_class(token: Token) -> str:
    """What the particles joined to ``token`` are: ``""`` none, ``article`` (AL, DE,
    VAN…: ``ALHADDADIN``), or the class in :data:`_PARTICLE_CLASSES` of the last
    meaningful one (``BINLADEN``, ``IBNLADIN`` → ``child_of``)."""
    return _particle_class(token.text[: len(token.text) - len(token.core)])


@lru_cache(maxsize=4096)
def _particle_class(prefix: str) -> str:
    if not prefix:
        return ""
    found = "article"
    i = 0
    while i < len(prefix):
        # longest particle at i (ABDUL before ABD, BINT before BIN)
        for n in range(min(5, len(prefix) - i), 1, -1):
            word = prefix[i : i + n]
            if word in PARTICLES:
                found = _PARTICLE_CLASSES.get(word, found)
                i += n
                break
        else:
            return found
    return found


_PATRONYMIC_ENDINGS = (
    "OVICH",
    "EVICH",
    "OVYCH",
    "EVYCH",
    "OVNA",
    "EVNA",
    "IVNA",
    "ICHNA",
    "OGLU",
    "OGLY",
    "KYZY",
    "QIZI",
)


def is_patronymic(text: str) -> bool:
    """True for an ``A–Z`` token of 6+ letters with a patronymic ending (Russian and
    Ukrainian -OVICH/-EVNA/-OVYCH…, Turkic -OGLU/-KYZY): travel documents of many
    countries leave the patronymic out while lists carry it (field case 10)."""
    return len(text) >= 6 and text.endswith(_PATRONYMIC_ENDINGS)


_VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    (
        "MUHAMMAD",
        "MOHAMMED",
        "MOHAMMAD",
        "MOHAMED",
        "MOHAMAD",
        "MUHAMMED",
        "MUHAMAD",
        "MUHAMMET",
        "MEHMET",
        "MOHAMMET",
        "MOHAMET",
        "MOUHAMED",
        "MOUHAMMAD",
        "MAHOMED",
        "MOHD",
    ),
    ("AHMAD", "AHMED", "AHMET", "ACHMAD", "ACHMED"),
    ("HUSAYN", "HUSSEIN", "HUSSAIN", "HUSAIN", "HOSSEIN", "HOSEIN", "HUSEYIN", "HUSEIN"),
    ("HASAN", "HASSAN", "HASSANE"),
    ("MAHMUD", "MAHMOUD", "MAHMOOD"),
    ("YUSUF", "YOUSUF", "YOUSSEF", "YOUSEF", "YUSSUF", "YOUSOF", "YUSOF", "YOUSSOUF"),
    ("ABDULLAH", "ABDALLAH", "ABDULLA", "ABDALLA", "ABDOULLAH", "ABDELLAH"),
    ("ABDULRAHMAN", "ABDELRAHMAN", "ABDERRAHMANE", "ABDERRAHMAN", "ABDURRAHMAN", "ABDALRAHMAN", "ABDURAHMAN"),
    ("UMAR", "OMAR", "OMER"),
    ("UTHMAN", "OSMAN", "USMAN", "OTHMAN"),
    ("MUSTAFA", "MUSTAPHA", "MOSTAFA", "MOUSTAFA"),
    ("IBRAHIM", "IBRAHEEM", "EBRAHIM", "IBRAGIM"),
    ("KHALID", "KHALED", "KHALEED"),
    ("SAID", "SAEED", "SAIID", "SAEID"),
    ("HAMID", "HAMED", "HAMEED"),
    ("RASHID", "RASHEED", "RACHID"),
    ("MAJID", "MAJEED", "MADJID"),
    ("YAHYA", "YAHIA", "YAHIYA"),
    ("ISMAIL", "ISMAEL", "ISMAIEL"),
    ("JAMAL", "GAMAL", "DJAMAL"),
    ("JAFAR", "JAAFAR", "JAFFAR"),
    ("SULAYMAN", "SULEIMAN", "SULAIMAN", "SOLIMAN", "SULEYMAN"),
    ("AISHA", "AYESHA", "AICHA", "AYSHA"),
    ("ALEKSANDR", "ALEXANDER", "ALEXANDR", "ALEKSANDER"),
    ("DMITRIY", "DMITRY", "DMITRI", "DMITRII", "DMITRIJ"),
    ("SERGEY", "SERGEI", "SERGUEI", "SERGEJ"),
    ("YURIY", "YURI", "IURII", "YURII", "JURIJ"),
    ("ALEKSEY", "ALEXEI", "ALEKSEI", "ALEXEY", "ALEKSEJ"),
    ("NIKOLAY", "NIKOLAI", "NIKOLAJ"),
    ("ANDREY", "ANDREI", "ANDREJ"),
    ("YEVGENIY", "EVGENY", "YEVGENY", "EVGENIY", "EVGENII"),
    # the most frequent Korean surnames: Revised Romanization, McCune-Reischauer and
    # passport conventions (이 I/YI/RI/LEE, 박 BAK/PAK/PARK)
    ("LEE", "YI", "RI", "I", "RHEE", "YEE"),
    ("PARK", "PAK", "BAK", "BAG"),
    ("KIM", "GIM"),
    ("CHOI", "CHOE"),
    ("JEONG", "JUNG", "CHUNG", "JONG", "CHONG"),
)
KNOWN_VARIANTS: dict[str, str] = {form: group[0] for group in _VARIANT_GROUPS for form in group}
"""Curated spelling variants of frequent given names across romanisations (Arabic,
Persian, Turkish, Russian) and of the most frequent Korean surnames: ``form → group
key``. Forms in one group are the same name;
the table is small on purpose (a few frequent names whose variants are more than one
edit apart), so it never joins names that merely look alike."""


def variant_key(token: str) -> str | None:
    """The :data:`KNOWN_VARIANTS` group of an ``A–Z`` token (``MOHAMED`` →
    ``MUHAMMAD``), ``None`` when it is not listed."""
    return KNOWN_VARIANTS.get(token)


_ICAO_TABLE = {
    "ä": "ae",
    "æ": "ae",
    "ö": "oe",
    "ø": "oe",
    "ü": "ue",
    "å": "aa",
    "ß": "ss",
    "þ": "th",
    "œ": "oe",
    "ĳ": "ij",
}
_PLAIN_TABLE = {
    "ø": "o",
    "æ": "ae",
    "ß": "ss",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "þ": "th",
    "ı": "i",
    "œ": "oe",
    "ĳ": "ij",
}
_ICAO_TRIGGERS = frozenset("äæöøüåßþ")
_APOSTROPHES = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4\u2032]")
_NON_LETTER = re.compile(r"[^A-Z?]+")
WILDCARD = "?"
"""A letter the source could not carry (a literal ``?`` left in a name after EDIFACT
release-character decoding, field case 01): kept inside its token as a one-letter
wildcard (``MA?TA``); a token of wildcards only is dropped."""
_ALNUM_WORD = re.compile(r"[A-Z0-9]+")
_DIGIT = re.compile(r"[0-9]")
_DIGIT_LOOKALIKE = str.maketrans({"0": "O", "1": "I", "3": "E", "4": "A", "5": "S", "6": "G", "8": "B", "9": "G"})
_DOC_SPLIT = re.compile(r"[,;/\r\n]+")
_DOC_KEEP = re.compile(r"[^A-Z0-9]+")


_SKELETON_DROP = str.maketrans("", "", "AEIOUWY" + WILDCARD)


_VOWELS = frozenset("AEIOU")


def is_unvowelled(text: str) -> bool:
    """A token of 3+ letters without a vowel letter: a name from an abjad written
    without short vowels (محمد → ``MHMD``) or such a name abbreviated in Latin (MHD)."""
    return len(text) >= 3 and _VOWELS.isdisjoint(text) and WILDCARD not in text


def consonant_skeleton(text: str) -> str:
    """The consonants of an ``A–Z`` token as an abjad (Arabic, Hebrew script) writes
    them: vowels dropped and ``W``/``Y`` too (they also write long vowels: محمود MHMWD
    = MAHMOUD), ``Q`` read as ``K``, doubled letters once (shadda is not written:
    HASSAN → ``HSN``). ``MOHAMED`` → ``MHMD``."""
    out: list[str] = []
    for ch in text.replace("Q", "K").translate(_SKELETON_DROP):
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def is_unknown(value: str | None) -> bool:
    """True when ``value`` is absent or a placeholder (``""``, ``NONE``, ``UNKNOWN``,
    ``XX``, ``00``…, case-insensitive, whitespace ignored): such values are never
    compared (field case 13)."""
    return value is None or value.strip().upper() in UNKNOWN_VALUES


def clean_value(value: str | None) -> str | None:
    """Uppercased, stripped ``value``; ``None`` when :func:`is_unknown`."""
    if value is None or is_unknown(value):
        return None
    return value.strip().upper()


_DIACRITIC_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""Combining diacritical marks (accents of Latin, Greek and Cyrillic letters). Other
combining marks carry letters (kana voicing: バ is ハ + U+3099) and stay."""


_CAMEL_JOIN = re.compile(r"(?<=[a-zß-ÿ]{2})(?=[A-ZÀ-Þ][a-zß-ÿ]{2})")
"""A lower-to-upper case change inside a word after 2+ lowercase letters: two names
whose space was lost (``FridrichBuchenberg``); McDONALD, DeLuca, LeBron stay whole."""


def _fold(text: str, table: dict[str, str], hangul: str = "plain") -> str:
    folded = _CAMEL_JOIN.sub(" ", text).casefold()
    if folded.isascii():
        return folded  # no accents, no other script: every step below keeps ASCII as it is
    folded = "".join(table.get(ch, ch) for ch in folded)
    # NFKD splits accents from letters; the accents go, everything else is recomposed
    # (a stripped kana voicing mark would turn BA into HA); unidecode handles the rest.
    decomposed = unicodedata.normalize("NFKD", _hangul_syllables_apart(folded, hangul))
    stripped = unicodedata.normalize("NFC", _DIACRITIC_MARKS.sub("", decomposed))
    return unidecode(stripped)


_HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")
_HANGUL_VOWELS = {
    # rule → (ㅓ, ㅡ) as written in Latin renderings of Korean names
    "plain": ("eo", "eu"),  # Revised Romanization (South Korean passports): JEONG, EUN
    "korean_mr": ("o", "u"),  # McCune-Reischauer without breves (North Korean names, lists): JONG UN
    "korean_u": ("u", "eu"),  # older passport style: JUNG, SUNG, CHUL
}


_HANGUL_FINALS = {1: ("g", "k"), 2: ("gg", "k"), 7: ("d", "t"), 17: ("b", "p"), 19: ("s", "t"), 20: ("ss", "t")}
"""Final consonants (jongseong index) that unidecode writes as initials: (as written,
Revised Romanization)."""


def _hangul_latin(syllable: str) -> str:
    """One Hangul syllable in Latin letters, vowels as unidecode writes them (ㅓ ``eo``,
    ㅡ ``eu``)."""
    # unidecode's Korean table writes ㅊ as "c" (최 → "coe") and a final ㄱ/ㄷ/ㅂ/ㅅ as
    # g/d/b/s (박 → "bag"); Revised Romanization has "ch" and final k/t/p/t (BAK)
    latin = unidecode(syllable).replace("c", "ch")
    final = (ord(syllable) - 0xAC00) % 28
    if final in _HANGUL_FINALS:
        written, rr = _HANGUL_FINALS[final]
        if latin.endswith(written):
            latin = latin[: -len(written)] + rr
    return latin


def _hangul_rule(latin: str, rule: str) -> str:
    """A syllable's :func:`_hangul_latin` with the vowels of ``rule``, a token of its own."""
    eo, eu = _HANGUL_VOWELS[rule]
    return " " + latin.replace("eo", "\0").replace("eu", eu).replace("\0", eo) + " "


@lru_cache(maxsize=20_000)
def _hangul_syllable(syllable: str, rule: str) -> str:
    return _hangul_rule(_hangul_latin(syllable), rule)


def _hangul_syllables_apart(text: str, rule: str = "plain") -> str:
    """Hangul syllables romanised one by one, each its own token: Korean names are
    written without spaces between syllables, and each syllable of a given name is its
    own word (or hyphenated) in Latin renderings (김정은 → GIM JEONG EUN, as
    ``korean_mr`` KIM JONG UN with the surname's known variants). ``rule`` chooses the
    vowels ㅓ/ㅡ (:data:`_HANGUL_VOWELS`)."""
    if not _HANGUL_SYLLABLE.search(text):
        return text
    return _HANGUL_SYLLABLE.sub(lambda m: _hangul_syllable(m.group(0), rule), text)


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised name token: ``text`` (``A–Z``), ``core`` the text without a joined
    particle (``ALHADDADIN`` → ``HADDADIN``; equal to ``text`` when none), and ``field``
    ``s`` (surname), ``g`` (given names) or ``n`` (unstructured full name); ``syllable``
    True for a token written as one syllable of a Chinese or Korean name (Han or Hangul
    script): such tokens are short and one letter apart are other syllables (YONG,
    JONG, SONG), so they never match by an edit."""

    text: str
    core: str
    field: str
    syllable: bool = False


def _unmix_digits(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.isalpha() or word.isdigit():
        return word
    return word.translate(_DIGIT_LOOKALIKE)


def _split_tokens(text: str) -> list[str]:
    text = _APOSTROPHES.sub("", text.upper())
    # digits inside a word are OCR/keying look-alikes of letters (SECH1N → SECHIN)
    if _DIGIT.search(text):
        text = _ALNUM_WORD.sub(_unmix_digits, text)
    return [t for t in _NON_LETTER.split(text) if t.strip(WILDCARD)]


@lru_cache(maxsize=100_000)
def _token(text: str, core: str, field: str, syllable: bool) -> Token:
    """One shared :class:`Token` per value (names repeat: the index and the caches keep
    one object per distinct token)."""
    return Token(text, core, field, syllable)


def _join_particles(raw: list[str], field: str, syllable: bool = False) -> list[Token]:
    if syllable:
        return [_token(tok, tok, field, True) for tok in raw]
    out: list[Token] = []
    pending = ""
    for i, tok in enumerate(raw):
        if tok in PARTICLES and i < len(raw) - 1:
            pending += tok
            continue
        out.append(_token(pending + tok, tok, field, False))
        pending = ""
    return out


_SYLLABIC = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3]")
"""Han ideographs and Hangul syllables: scripts whose characters are syllables."""


def _drop_titles(raw: list[str]) -> list[str]:
    kept = [t for t in raw if t not in TITLES]
    return kept if kept else raw


def _movable(word: str) -> bool:
    return word in PARTICLES and _PARTICLE_CLASSES.get(word) not in ("father_of", "servant_of")


def _move_trailing_particles(fields: list[tuple[str, list[str]]]) -> None:
    """Given names ending in particles (``MOHAMMED AL`` + surname ``GHABRA``: a name split
    at its last space; given name ``ABU`` + surname ``RUSDAN``) hand them to the surname,
    which is written after them (→ ``ALGHABRA``, ``ABURUSDAN``), so the particle joins as
    it does in the unsplit name; a free-form name of 3+ words ending in articles or
    BIN/IBN gives them to its first word (``SALMAN MOHAMMED BIN`` → ``BINSALMAN
    MOHAMMED``)."""
    by_field = dict(fields)
    free = by_field.get("n")
    if free and len(free) > 2 and _movable(free[-1]) and free[0] not in PARTICLES:
        # a free-form name written surname first and ending in a particle (SALMAN
        # MOHAMMED BIN for MOHAMMED BIN SALMAN): the particle belongs to the first word
        # (a trailing ABU or ABDUL is rather a name cut short: it stays)
        moved_free: list[str] = []
        while _movable(free[-1]):
            moved_free.insert(0, free.pop())
        free[:0] = moved_free
        return
    given, surname = by_field.get("g"), by_field.get("s")
    if not given or not surname:
        return
    moved: list[str] = []
    while given and given[-1] in PARTICLES:
        moved.insert(0, given.pop())
    surname[:0] = moved


def _variants_of(text: str) -> tuple[tuple[str, str], ...]:
    """``(rule, folded_text)`` per transliteration variant of ``text``."""
    plain = _fold(text, _PLAIN_TABLE)
    out = [("plain", plain)]
    if not _ICAO_TRIGGERS.isdisjoint(text.casefold()):
        icao = _fold(text, _ICAO_TABLE)
        if icao != plain:
            out.append(("icao", icao))
    if _HANGUL_SYLLABLE.search(text):
        for rule in ("korean_mr", "korean_u"):
            other = _fold(text, _PLAIN_TABLE, rule)
            if all(other != v for _, v in out):
                out.append((rule, other))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class NameVariant:
    """One normalised form of a name: ``tokens`` in the order written, ``rule``
    (``plain``/``icao``/``suffix_dropped``/``korean_mr``/``korean_u``, see the module
    docstring),
    ``structured`` (True when surname/given fields were given)."""

    tokens: tuple[Token, ...]
    rule: str
    structured: bool

    @property
    def concat(self) -> str:
        """All tokens without spaces, in written order."""
        return "".join(t.text for t in self.tokens)


def name_variants(
    full_name: str | None, surname: str | None = None, given_names: str | None = None
) -> tuple[NameVariant, ...]:
    """Normalised variants of one name.

    Uses ``surname``/``given_names`` when either is known (structured), else
    ``full_name``. Returns ``()`` when nothing comparable remains (unknown placeholders,
    or a script that transliterates to nothing): such a name is *uncomparable* and never
    matches (field case 13). Memoised (the result is immutable): a manifest's and a
    list's frequent names are normalised once.
    """
    sur = None if is_unknown(surname) else surname
    giv = None if is_unknown(given_names) else given_names
    if sur or giv:
        return _structured_variants(sur or None, giv or None)
    if full_name and not is_unknown(full_name):
        return _free_variants(full_name)
    return ()


_SYLLABLE_BLOCKS = ((0x3000, 0xA000), (0xAC00, 0xD7A4), (0xF900, 0xFB00))
"""Kana, Han and Hangul: the scripts whose unidecode tables :func:`_char_folds` does not
load at import."""
_tables_loaded = False


def load_transliteration_tables() -> None:
    """Load unidecode's tables for kana, Han and Hangul now (:data:`_SYLLABLE_BLOCKS`;
    unidecode loads one module per 256 code points, at the first character that needs
    it), so that no traveller's screening waits for them, and give the compiled
    :data:`variant_texts` the folds of Han and Hangul (:func:`_syllable_folds`), so that
    it folds names written in them too. About 0.15 s of CPU, once per process (later
    calls return at once); the screener calls it when it builds."""
    global _tables_loaded
    if not _tables_loaded:
        for lo, hi in _SYLLABLE_BLOCKS:
            for block in range(lo, hi, 256):
                unidecode(chr(block))
        if variant_texts is not None:
            variant_texts.add_syllables(*_syllable_folds())
        _tables_loaded = True


_HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
"""The Han ideographs of :data:`_SYLLABIC`."""


def _syllable_folds() -> tuple[dict[str, str], dict[str, tuple[str, str, str]]]:
    """``(Han, Hangul)``: each Han ideograph's :func:`_fold` (unidecode's reading and a
    space, ``田`` → ``Tian ``; the compatibility ideographs through their NFKD form; ``""``
    for the 7,004 that unidecode 1.3 cannot read, such as all of Extension A: a name of
    only those is uncomparable, and a field holding one is still a field of syllables) and
    each Hangul syllable's under the ``plain``, ``korean_mr`` and ``korean_u`` rules
    (``정`` → `` jeong ``, `` jong ``, `` jung ``). Either folds the same within any
    string (the compiled port folds character by character): no step of :func:`_fold`
    joins it to a neighbour (NFC joins nothing to a precomposed Hangul syllable but a
    conjoining final, which the port does not fold, and nothing to an ideograph), and
    the tables leave both alone. Same for :data:`_PLAIN_TABLE` and :data:`_ICAO_TABLE`."""
    # NFKC is _fold's NFKD and NFC here: an ideograph has no case and no accent
    han = {chr(cp): unidecode(unicodedata.normalize("NFKC", chr(cp))) for lo, hi in _HAN_BLOCKS for cp in range(lo, hi)}
    hangul = {}
    for cp in range(0xAC00, 0xD7A4):
        latin = _hangul_latin(chr(cp))
        plain, mr, u = (_hangul_rule(latin, rule) for rule in ("plain", "korean_mr", "korean_u"))
        hangul[chr(cp)] = (plain, mr, u)
    return han, hangul


def _compiled_variant_texts() -> VariantTexts | None:
    try:
        from matchers._core import FoldedNames
    except ImportError:  # the compiled stage is not built
        return None
    unmovable = {w for w in PARTICLES if _PARTICLE_CLASSES.get(w) in ("father_of", "servant_of")}
    lookalike = {chr(k): v for k, v in _DIGIT_LOOKALIKE.items()}
    triggers = {ch for ch in _fold_candidates() if not _ICAO_TRIGGERS.isdisjoint(ch.casefold())}
    return FoldedNames(
        UNKNOWN_VALUES,
        TITLES,
        SUFFIXES,
        PARTICLES,
        unmovable,
        lookalike,
        _char_folds(_PLAIN_TABLE),
        _char_folds(_ICAO_TABLE),
        triggers,
    )


_FOLD_RANGES = ((0x80, 0x2070), (0xFB00, 0xFFF0))
"""Where :func:`_char_folds` looks: Latin-1 to the general punctuation (the alphabets
and abugidas of names: Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, the Indic
scripts, Georgian, Ethiopic…; the zero-width joiners), and the presentation and
full-width forms."""

_HANGUL_JAMO = re.compile("[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]")
"""Conjoining Hangul letters: NFC joins them into syllables, which unidecode writes
otherwise."""


def _fold_candidates() -> list[str]:
    return [chr(cp) for lo, hi in _FOLD_RANGES for cp in range(lo, hi)]


@lru_cache(maxsize=1)
def _composition_seconds() -> frozenset[str]:
    """The characters that NFC can join to the character before them (the second of a
    canonical pair), in the Basic Multilingual Plane (the planes' own pairs join only
    characters outside :data:`_FOLD_RANGES`' decompositions)."""
    out = set()
    for cp in range(0x10000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            out.add(chr(int(parts[1], 16)))
    return frozenset(out)


def _char_folds(table: dict[str, str]) -> dict[str, str]:
    """Each character of :data:`_FOLD_RANGES` that :func:`_fold` with ``table`` writes
    in ASCII on its own and the same within any string of such characters, with that
    fold: so a name of them and ASCII folds character by character (the compiled
    :data:`variant_texts` does so). That holds when no step of :func:`_fold` joins the
    character to its neighbours: it is not Han or Hangul (syllables, read apart), its
    NFKD form after ``table`` holds no conjoining Hangul letter, and, once the dropped
    diacritics are gone, that form is empty or starts with a character NFC never joins
    to the one before it (a base character, not the second of a canonical pair); a mark
    that folds to nothing and is no such second (the Devanagari virama) may start it
    (NFKD may move it among marks; it joins nothing). Case folding and unidecode read
    one character at a time. With :data:`_PLAIN_TABLE`, 9,029 characters under Python
    3.11's Unicode 14 (the same with :data:`_ICAO_TABLE`; 949 of them unassigned code
    points, which fold to nothing on both paths): the accented Latin letters, ``ß``, ``Ł``,
    the combining diacritics (they fold to nothing), Greek, Cyrillic, Arabic, Hebrew,
    the Indic scripts and others through unidecode, and what NFKD writes in ASCII
    (spacing accents and the no-break space, superscript digits, ligatures, full-width
    letters)."""
    keys = set(table)
    out: dict[str, str] = {}
    for ch, folded in _untabled_folds().items():
        if not keys.isdisjoint(ch.casefold()):
            folded = _fold_alone(ch, table)
        if folded is not None:
            out[ch] = folded
    return out


@lru_cache(maxsize=1)
def _untabled_folds() -> dict[str, str | None]:
    """:func:`_fold_alone` of each character of :data:`_FOLD_RANGES` without a table
    (the tables change only the characters whose case fold holds one of their keys)."""
    return {ch: _fold_alone(ch, {}) for ch in _fold_candidates() if not _SYLLABIC.search(ch)}


def _fold_alone(ch: str, table: dict[str, str]) -> str | None:
    """:func:`_fold` of one character (not Han or Hangul) with ``table`` when it folds
    so within any string (:func:`_char_folds`), else None."""
    decomposed = unicodedata.normalize("NFKD", "".join(table.get(c, c) for c in ch.casefold()))
    if _HANGUL_JAMO.search(decomposed):
        return None
    kept = _DIACRITIC_MARKS.sub("", decomposed)
    if kept[:1] in _composition_seconds():
        return None
    # the last steps of _fold (no camel-case split acts on one character; NFC and
    # unidecode keep ASCII as it is)
    folded = kept if kept.isascii() else unidecode(unicodedata.normalize("NFC", kept))
    if not folded.isascii() or (folded and kept and unicodedata.combining(kept[0])):
        return None
    return folded


variant_texts: VariantTexts | None = _compiled_variant_texts()
"""``variant_texts(full_name, surname, given_names)``: for each variant
:func:`name_variants` returns, in its order, ``(token texts, particle-free cores,
syllable flags)`` (lists of ``str``, ``str``, ``bool``; ``[]`` for an uncomparable
name), made without the :class:`NameVariant` objects; or ``None`` when a field it would
read holds a character the port does not fold (outside ASCII and :func:`_char_folds`,
and, until :func:`load_transliteration_tables` has run, Han and Hangul; call
:func:`name_variants`). The compiled port ``matchers._core.FoldedNames``; ``None`` itself
when the port is not built. Not memoised: a few microseconds per name, about what a
memoised :func:`name_variants` hit costs, and no objects kept."""


def compiled_name_variants(
    full_name: str | None, surname: str | None = None, given_names: str | None = None
) -> tuple[NameVariant, ...] | None:
    """:func:`name_variants` made by the compiled port (the same variants, token objects
    shared through the same memo; ``tests/unit/matchers/test_native_normalise.py`` checks
    them equal), without Python's folding: about a quarter of the time of a name not
    seen before (12 against 45 µs per name of the negatives fixture, 18 against 70 for
    its Chinese and Korean names). None when the port is not built or does not fold the
    name (call :func:`name_variants`). Not memoised."""
    if variant_texts is None:
        return None
    got = variant_texts.name_variants(full_name, surname, given_names)
    if got is None:
        return None
    structured, found = got
    return tuple(
        NameVariant(
            tuple(_token(t, c, f, s) for t, c, s, f in zip(texts, cores, syllables, fields, strict=True)),
            rule,
            structured,
        )
        for texts, cores, syllables, fields, rule in found
    )


@lru_cache(maxsize=20_000)
def _structured_variants(surname: str | None, given_names: str | None) -> tuple[NameVariant, ...]:
    parts = [(f, v) for f, v in (("s", surname), ("g", given_names)) if v]
    return _variants_of_parts(parts, True)


@lru_cache(maxsize=20_000)
def _free_variants(full_name: str) -> tuple[NameVariant, ...]:
    return _variants_of_parts([("n", full_name)], False)


@lru_cache(maxsize=50_000)
def _field_forms(value: str) -> tuple[dict[str, str], bool]:
    """``({rule: folded text}, syllabic)`` of one name field (the dict is shared: read only)."""
    return dict(_variants_of(value)), _SYLLABIC.search(value) is not None


@lru_cache(maxsize=50_000)
def _raw_tokens(folded: str) -> tuple[str, ...]:
    """The ``A–Z`` words of a folded field, titles dropped (particles not yet joined)."""
    return tuple(_drop_titles(_split_tokens(folded)))


@lru_cache(maxsize=50_000)
def _field_tokens(raw: tuple[str, ...], field: str, syllable: bool) -> tuple[Token, ...]:
    """The tokens of one field's words, particles joined (the Token values are shared)."""
    return tuple(_join_particles(list(raw), field, syllable))


_RULE_ORDER = ("plain", "icao", "korean_mr", "korean_u")


def _variants_of_parts(parts: list[tuple[str, str]], structured: bool) -> tuple[NameVariant, ...]:
    fields = [(field_code, *_field_forms(value)) for field_code, value in parts]
    if all(len(forms) == 1 for _, forms, _ in fields):
        rules: tuple[str, ...] = _RULE_ORDER[:1]  # no field has another rule's own form
    else:
        rules = tuple(r for r in _RULE_ORDER if any(r in forms for _, forms, _ in fields))
    variants: list[NameVariant] = []
    seen: set[tuple[str, ...]] = set()
    plain: tuple[Token, ...] = ()
    for rule in rules:
        # a field without a rule's own form (no umlaut in the given names) takes its plain form
        raws = [_raw_tokens(forms.get(rule, forms["plain"])) for _, forms, _ in fields]
        if any(raw and raw[-1] in PARTICLES for raw in raws):
            moved = [(field_code, list(raw)) for (field_code, _, _), raw in zip(fields, raws, strict=True)]
            _move_trailing_particles(moved)
            raws = [tuple(raw) for _, raw in moved]
        tokens: tuple[Token, ...] = ()
        for (field_code, _, syllabic), raw in zip(fields, raws, strict=True):
            tokens += _field_tokens(raw, field_code, syllabic)
        if rule == "plain":
            plain = tokens
        if not tokens:
            continue
        if len(rules) > 1:
            texts = tuple(t.text for t in tokens)
            if texts in seen:
                continue
            seen.add(texts)
        variants.append(NameVariant(tokens, rule, structured))
    if not structured and len(plain) > 1 and plain[-1].text in SUFFIXES:
        # a free-form name ending in a generational suffix (Al Lawson, Jr.) is also
        # compared without it
        cut = len(plain)
        while cut > 1 and plain[cut - 1].text in SUFFIXES:
            cut -= 1
        variants.append(NameVariant(plain[:cut], "suffix_dropped", structured))
    return tuple(variants)


def normalise_country(value: str | None) -> str | None:
    """Uppercase country code, ``None`` for unknown placeholders and ``XXX``
    (ICAO "unspecified"). Codes are compared as given (ISO 3166 alpha-3 expected)."""
    code = clean_value(value)
    if code is None or code == "XXX":
        return None
    return code


def normalise_gender(value: str | None) -> str | None:
    """``M`` or ``F``; ``X``, ``U`` and unknown placeholders give ``None`` (not comparable)."""
    code = clean_value(value)
    if code in ("M", "MALE"):
        return "M"
    if code in ("F", "FEMALE"):
        return "F"
    return None


def split_document_numbers(raw: str) -> list[str]:
    """Split a multi-value document field on ``,`` ``;`` ``/`` and line breaks
    (``"ZK4471203, PB0093311"`` → two numbers); canonicalises each with
    :func:`canonical_document_number` and drops the ones that become empty."""
    out = []
    for part in _DOC_SPLIT.split(raw):
        canon = canonical_document_number(part)
        if canon:
            out.append(canon)
    return out


def canonical_document_number(raw: str | None) -> str:
    """Uppercase ``[A-Z0-9]`` only: spaces, ``-``, ``.``, ``/``, ``<`` fillers and control
    characters dropped (``"zk447 1203<"`` → ``"ZK4471203"``). ``""`` means unknown
    (field case 17), also for placeholders that name no document (field case 13):
    :data:`UNKNOWN_VALUES` (``NONE``, ``UNKNOWN``, ``N/A``…) and numbers made only of
    ``0`` or only of ``X`` (``000000000``, ``XXXXXXX``), so two such values never agree."""
    if raw is None:
        return ""
    canon = _DOC_KEEP.sub("", raw.upper())
    if canon in UNKNOWN_VALUES or not canon.strip("0") or not canon.strip("X"):
        return ""
    return canon


_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2", "Q": "0", "L": "1"})


def lookalike_document_number(canonical: str) -> str:
    """``canonical`` with look-alike letters folded to digits (O/Q→0, I/L→1, S→5, B→8,
    Z→2) and leading zeros removed: equal folded forms of different canonical numbers
    are a *near* document match (case 17)."""
    return canonical.translate(_LOOKALIKE).lstrip("0")
