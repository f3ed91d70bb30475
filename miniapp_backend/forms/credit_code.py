"""统一社会信用代码 (GB 32100-2015): normalization and check-digit verification."""

import unicodedata

# The standard leaves out I, O, Z, S and V so they cannot be misread as digits.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
_MODULUS = len(CHARSET)
# Weight of position i (0-based) is 3**i mod 31, as the standard tabulates.
_WEIGHTS = tuple(pow(3, i, _MODULUS) for i in range(LENGTH - 1))
_VALUES = {ch: i for i, ch in enumerate(CHARSET)}


def normalize_credit_code(s: str) -> str:
    """Return the code upper-cased, half-width, without spaces or hyphens."""
    text = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()


def check_char(body: str) -> str:
    """Return the check character for the first 17 characters of a code."""
    total = sum(_VALUES[ch] * w for ch, w in zip(body, _WEIGHTS))
    return CHARSET[(_MODULUS - total % _MODULUS) % _MODULUS]


def has_valid_charset(code: str) -> bool:
    """Tell whether every character of a normalized code is allowed."""
    return all(ch in _VALUES for ch in code)


def is_valid_credit_code(s: str) -> bool:
    """Tell whether s (after normalization) is a well-formed code with a correct check character."""
    code = normalize_credit_code(s)
    if len(code) != LENGTH or not has_valid_charset(code):
        return False
    return check_char(code[:-1]) == code[-1]
