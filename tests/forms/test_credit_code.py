"""统一社会信用代码 check characters (GB 32100-2015)."""

import pytest

from miniapp_backend.forms.credit_code import (
    CHARSET, check_char, is_valid_credit_code, normalize_credit_code,
)

# Codes printed on real, published business licences.
VALID = ["91110000802100433B", "91350100M000100Y43", "91110108551385082Q", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID)
def test_real_codes_are_valid(code):
    """Published codes pass, also lower-cased, spaced or full-width."""
    assert is_valid_credit_code(code)
    assert is_valid_credit_code(code.lower())
    assert is_valid_credit_code(" ".join([code[:6], code[6:12], code[12:]]))
    assert is_valid_credit_code(code.translate(str.maketrans("0123456789", "０１２３４５６７８９")))


@pytest.mark.parametrize("code", VALID)
def test_every_single_character_change_is_caught(code):
    """Any single substitution breaks the check: every weight is a unit mod 31."""
    for i in range(len(code)):
        for ch in CHARSET:
            if ch != code[i]:
                assert not is_valid_credit_code(code[:i] + ch + code[i + 1:]), (i, ch)


@pytest.mark.parametrize("code", VALID)
def test_adjacent_swaps_are_caught(code):
    """Swapping two different neighbouring characters breaks the check."""
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            assert not is_valid_credit_code(code[:i] + code[i + 1] + code[i] + code[i + 2:])


@pytest.mark.parametrize("code", [
    "", "91110000802100433", "91110000802100433BB", "9111000080210O433B",
    "91110000802100433I", "91110000802100433Z",
])
def test_malformed_codes(code):
    """Wrong length or characters outside the charset (I, O, Z, S, V) are invalid."""
    assert not is_valid_credit_code(code)


def test_check_char_and_normalize():
    """The check character of a body, and the normalized form."""
    assert check_char("91110000802100433") == "B"
    assert check_char("91350100M000100Y4") == "3"
    assert normalize_credit_code(" 9111-0000 8021 0043 3b ") == "91110000802100433B"
