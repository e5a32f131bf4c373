"""Names and words the way people type them: case-blind and accent-blind in every script.

`fold` turns "Zoë Ó Briain", "ZOË Ó BRIAIN" and the decomposed form macOS types alike into
"zoe o briain"; letters that carry no separable accent are spelt out the way an English
keyboard would (ø → o, þ → th, ß → ss). Scripts without case or accents, such as CJK, pass
through unchanged, so a CJK name is found as written. The people table stores the folded name
(`people.name_key`), so every lookup stays one indexed comparison in SQL.
"""

from __future__ import annotations

import unicodedata

# Letters Unicode does not decompose into a base letter and a mark, spelt as one would type
# them on an English keyboard. Keys are lower case: folding casefolds first.
SPELLED_OUT = {
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ð": "d",
    "đ": "d",
    "ħ": "h",
    "ł": "l",
    "ŀ": "l",
    "ı": "i",
    "ŧ": "t",
    "ŋ": "ng",
    "ĸ": "k",
    "ſ": "s",
    "ß": "ss",  # casefold already spells it out; kept for `spell_out`
    "ƒ": "f",
    "ǥ": "g",
    "ɨ": "i",
    "ʉ": "u",
    "ƀ": "b",
    "ƶ": "z",
}
_TABLE = str.maketrans(SPELLED_OUT)
# The same letters in upper case, for `spell_out`, which keeps case.
_UPPER_TABLE = str.maketrans(
    {
        **SPELLED_OUT,
        **{
            upper: SPELLED_OUT[lower].capitalize()
            for lower in SPELLED_OUT
            if len(upper := lower.upper()) == 1 and upper != lower and not upper.isascii()
        },
    }
)


def fold(text: str) -> str:
    """The search key of `text`: casefolded, accents dropped, unseparable letters spelt out.

    >>> fold("Þórsson"), fold("SØREN"), fold("Jürgen"), fold("Zoe\\u0308")
    ('thorsson', 'soren', 'jurgen', 'zoe')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spelled = bare.translate(_TABLE)
    return " ".join(unicodedata.normalize("NFC", spelled).split())


def spell_out(text: str) -> str:
    """`text` with only the unseparable letters spelt out, case and other accents kept.

    Full-text indexes drop separable accents themselves; this gives them the rest
    ("Søren Þórsson" → "Soren Thórsson"), so "soren" finds her there as well.
    """
    return unicodedata.normalize("NFC", text).translate(_UPPER_TABLE)


def needs_spelling_out(text: str) -> bool:
    return spell_out(text) != unicodedata.normalize("NFC", text)


def like_pattern(key: str) -> str:
    """A LIKE pattern finding `key` anywhere, with LIKE's own characters escaped by `\\`."""
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


SPELLED_OUT_CASED: dict[str, str] = {
    chr(code): str(spelled) for code, spelled in sorted(_UPPER_TABLE.items())
}
"""Each unseparable letter, in both cases, and how `spell_out` writes it (for SQL `replace`)."""
