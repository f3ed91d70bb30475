"""Counts written in Chinese numerals, as chairs type and speech input writes them: 一 to 九千九百九十九
(两 for 二, 〇/零 for nought, 十五 for 一十五, 一百五 for 一百五十)."""

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
# Words of an estimate (几十, 一百多, 三十余) or of a larger unit: numeral-like, but no exact count here.
VAGUE = frozenset("几多余来万亿")
MAX = 9999


def parse_chinese_count(text: str) -> int | None:
    """The count `text` spells in Chinese numerals; None when it is not one exactly: not numerals
    at all, a run of digits read one by one (一五〇), a range (二三十) or an estimate (十几)."""
    if text in ("零", "〇"):
        return 0
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    total, digit, last_unit, after_zero = 0, None, MAX + 1, False
    for ch in text:
        if ch in UNITS:
            unit = UNITS[ch]
            if unit >= last_unit or digit == 0:  # 十百, 一百一百, 零十
                return None
            if digit is None:  # 十五, 一百零十: a 十 stands for 一十 there; a bare 百 or 千 is unclear
                if unit != 10 or (total and not after_zero):
                    return None
                digit = 1
            total, digit, last_unit, after_zero = total + digit * unit, None, unit, False
        elif digit is not None:  # 二三, 一五〇: digits read one by one, or a range
            return None
        elif DIGITS[ch] == 0:
            if not total or after_zero:  # 零五, 一千零零五
                return None
            after_zero = True
        else:
            digit = DIGITS[ch]
    if digit is None:
        return None if after_zero else total  # 一百零 ends with nothing after its 零
    if after_zero or last_unit in (10, MAX + 1):  # 一百零五, 二十五, 五
        return total + digit
    return total + digit * last_unit // 10  # 一百五 is 150, 两千三 2300


def looks_chinese(text: str) -> bool:
    """`text` is written in Chinese numerals, estimates (几, 多) included: a count meant, read or not."""
    return bool(text) and all(ch in DIGITS or ch in UNITS or ch in VAGUE for ch in text)
