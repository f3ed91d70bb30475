"""Counts in Chinese numerals, as chairs type them (一百五十) or speech input writes them."""
import pytest

from miniapp_backend.forms.chinese_numbers import looks_chinese, parse_chinese_count


@pytest.mark.parametrize("text, expected", [
    ("一", 1), ("两", 2), ("零", 0), ("〇", 0), ("十", 10), ("十五", 15), ("一十五", 15), ("二十", 20),
    ("一百", 100), ("两百", 200), ("一百零五", 105), ("一百一十", 110), ("一百五十五", 155),
    ("一百五", 150), ("两千三", 2300), ("一千二百五", 1250), ("一千零五", 1005), ("一千零十", 1010),
    ("一千零一十", 1010), ("三千二百", 3200), ("九千九百九十九", 9999),
])
def test_counts_read(text, expected):
    assert parse_chinese_count(text) == expected


@pytest.mark.parametrize("text", [
    "", "二三十", "一五〇", "二〇一八", "十几", "百", "千", "十百", "一百一百", "五十五十", "零五",
    "一千零零五", "一百零", "一万", "几十", "一百多", "25", "七个",
])
def test_no_exact_count_is_guessed(text):
    """Digits read one by one, ranges, estimates, bare units and larger units are no exact count."""
    assert parse_chinese_count(text) is None


def test_numerals_are_told_from_words():
    assert looks_chinese("十几") and looks_chinese("二三十") and looks_chinese("一百")
    assert not looks_chinese("若干") and not looks_chinese("") and not looks_chinese("约一百")
