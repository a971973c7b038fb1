"""Column types: how a cell's text becomes a value, and what to say when it cannot.

Every parser takes the stripped cell text (never empty: empty cells are handled by the caller)
and returns the value or raises `BadValue` with a plain-language reason. Money is Decimal, never float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class BadValue(ValueError):
    pass


def looks_like_formula(text: str) -> bool:
    """A cell a spreadsheet would run as a formula (plain numbers such as -100 are fine)."""
    return text.startswith(FORMULA_START) and not PLAIN_NUMBER.match(text)


@dataclass(frozen=True)
class Text:
    max_length: int = 200
    doc_type: str = "text"

    def describe(self) -> str:
        return f"{self.doc_type} (≤ {self.max_length} chars)"

    def parse(self, text: str) -> str:
        if looks_like_formula(text):
            raise BadValue("starts like a spreadsheet formula (=, +, -, @), which could run when the data is "
                           "opened in a spreadsheet: remove the leading character")
        if len(text) > self.max_length:
            raise BadValue(f"is {len(text)} characters long; at most {self.max_length} fit: shorten it")
        return text


@dataclass(frozen=True)
class Code(Text):
    """An identifier or a reference to another record by its natural key."""

    doc_type: str = "code"
    upper: bool = False

    def parse(self, text: str) -> str:
        text = super().parse(text)
        return text.upper() if self.upper else text


@dataclass(frozen=True)
class Choice:
    choices: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        return "one of " + ", ".join(self.choices)

    def parse(self, text: str) -> str:
        key = text.strip().lower().replace(" ", "_").replace("-", "_")
        if key in self.choices:
            return key
        for alias, value in self.aliases:
            if key == alias:
                return value
        raise BadValue(f"is not one of {', '.join(self.choices)}: use one of those values")


@dataclass(frozen=True)
class Date:
    def describe(self) -> str:
        return "date (YYYY-MM-DD)"

    def parse(self, text: str) -> date:
        midnight = len(text) > 10 and text[10] in "T " and set(text[11:]) <= set("0:.Z+")
        candidate = text[:10] if midnight else text
        if len(candidate) != 10 or candidate[4] != "-" or candidate[7] != "-":
            raise BadValue("is not a date in ISO 8601 form: write it as YYYY-MM-DD, e.g. 2026-03-31")
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            raise BadValue("is not a real calendar date: check the day and month (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class Number:
    """An exact decimal: digits, an optional sign and a dot; no thousands separators or exponents."""

    max_digits: int = 15
    decimal_places: int = 4
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def describe(self) -> str:
        return f"decimal (up to {self.decimal_places} places)"

    def parse(self, text: str) -> Decimal:
        if not PLAIN_NUMBER.match(text):
            raise BadValue(self._why_not_a_number(text))
        try:
            value = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern already excludes these
            raise BadValue("is not a number") from None
        dot = text.find(".")
        if dot >= 0 and len(text) - dot - 1 > self.decimal_places:
            exact = value.quantize(Decimal(1).scaleb(-self.decimal_places))
            if exact != value:
                raise BadValue(f"has more than {self.decimal_places} decimal places: round it")
            value = exact
        if abs(value) >= Decimal(10) ** (self.max_digits - self.decimal_places):
            raise BadValue(f"is too large: at most {self.max_digits - self.decimal_places} digits before the dot")
        self._check_range(value)
        return value

    def _check_range(self, value: Decimal) -> None:
        if self.minimum is not None and value < self.minimum:
            raise BadValue(f"is below the minimum {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise BadValue(f"is above the maximum {self.maximum}")

    @staticmethod
    def _why_not_a_number(text: str) -> str:
        if "," in text:
            return "is not a plain number: use a dot for decimals and no thousands separators, e.g. 1234.50"
        if any(c in text for c in "$€£¥%"):
            return "contains a currency or percent sign: write the bare number, e.g. 1234.50 (and 0.25 for 25%)"
        return "is not a number: write digits with an optional minus sign and a dot, e.g. -1234.50"


@dataclass(frozen=True)
class Integer:
    minimum: int | None = 0
    maximum: int | None = 2_147_483_647

    def describe(self) -> str:
        return "whole number"

    def parse(self, text: str) -> int:
        if text.endswith(".0"):
            text = text[:-2]
        try:
            value = int(text)
        except ValueError:
            raise BadValue("is not a whole number: write digits only, e.g. 250") from None
        if self.minimum is not None and value < self.minimum:
            raise BadValue(f"is below the minimum {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise BadValue(f"is above the maximum {self.maximum}")
        return value


TRUE = {"true", "yes", "y", "1", "t"}
FALSE = {"false", "no", "n", "0", "f"}


@dataclass(frozen=True)
class Boolean:
    def describe(self) -> str:
        return "true / false"

    def parse(self, text: str) -> bool:
        key = text.strip().lower()
        if key in TRUE:
            return True
        if key in FALSE:
            return False
        raise BadValue("is not true or false: write true or false (yes/no and 1/0 also work)")
