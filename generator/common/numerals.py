"""Chinese numerals, both ways: 第三季度, 四、 in a pillar's number, 十二项 in a notice."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
READ = {**{digit: value for value, digit in enumerate(DIGITS)}, "两": 2}
"""What a digit means when a document is read (两 as well as 二)."""


def chinese_number(n: int) -> str:
    """1 → 一, 8 → 八, 10 → 十, 12 → 十二, 40 → 四十; other numbers stay in Arabic digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return DIGITS[ones]
    return (DIGITS[tens] if tens > 1 else "") + "十" + (DIGITS[ones] if ones else "")


def quarter_name(quarter: int) -> str:
    """3 → 第三季度."""
    return f"第{chinese_number(quarter)}季度"


def parse_chinese_number(text: str) -> int | None:
    """一 → 1, 两 → 2, 十 → 10, 十二 → 12, 四十 → 40, 九十九 → 99; Arabic digits as they are;
    None for anything else."""
    if text.isascii() and text.isdigit():
        return int(text)
    tens_text, ten, ones_text = text.partition("十")
    if not ten:
        return READ.get(text) if len(text) == 1 and text != "零" else None
    tens = READ.get(tens_text, 0) if tens_text else 1
    ones = READ.get(ones_text, 0) if ones_text else 0
    if (tens_text and not 1 < tens) or (ones_text and not 0 < ones) or len(tens_text) > 1 \
            or len(ones_text) > 1:
        return None
    return tens * 10 + ones
