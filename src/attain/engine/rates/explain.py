"""Results that carry their explanation: the lines that make an amount, and a plain-language text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from attain.engine.rates.numbers import show_amount


@dataclass(frozen=True)
class PayoutLine:
    """One part of a payout: a tier (or curve segment), the part of the base in it, and what it earned.

    Bounds are given in the basis' terms (`lower`, `upper`: fractions of quota for attainment tables)
    and in amount terms (`lower_amount`, `upper_amount`); None means unbounded.
    `rate` is set for rate tiers, `fixed` for fixed-amount tiers; curve lines have neither.
    """

    index: int  # the tier or curve segment (0-based)
    lower: Decimal | None
    upper: Decimal | None
    lower_amount: Decimal | None
    upper_amount: Decimal | None
    portion: Decimal  # the part of the base rated in this line (signed)
    rate: Decimal | None
    fixed: Decimal | None
    amount: Decimal  # precise, never rounded
    described: str | Callable[[], str] = field(compare=False)  # plain language; a callable is built on first use

    @property
    def text(self) -> str:
        """This line in plain language (composed only when read: most lines are never shown)."""
        return self.described() if callable(self.described) else self.described


@dataclass(frozen=True)
class Payout:
    """What a rate table paid for a base, with every line; `amount` is precise (round later, once)."""

    amount: Decimal
    base: Decimal
    method: str
    basis: str
    quota: Decimal | None
    lines: tuple[PayoutLine, ...]
    note: str = ""  # e.g. how a negative base was treated

    def describe(self) -> str:
        """Plain language, amounts shown to 2 places: '100,000.00 at 2% (0–50% of quota) + … = 10,200.00'."""
        parts = "".join(_joined(i, line.text) for i, line in enumerate(self.lines)) or f"nothing on {show_amount(self.base)}"
        text = f"{parts} = {show_amount(self.amount)}"
        return f"{self.note}: {text}" if self.note else text


def _joined(i: int, text: str) -> str:
    """Lines read as a sum: '… + …'; a subtracted line ('−[…]') reads '… − […]'."""
    if i == 0:
        return text
    return f" − {text[1:]}" if text.startswith("−") else f" + {text}"


@dataclass(frozen=True)
class Step:
    """A building block applied to an amount (gate, cap, kicker, fixed amount, MBO): the result and why.

    `excess` is what a cap removed (zero otherwise), reported so that a later step can carry it forward.
    """

    name: str
    before: Decimal
    amount: Decimal
    text: str
    excess: Decimal = Decimal(0)
    detail: Payout | None = None  # the table payout behind the step, when there is one

    def describe(self) -> str:
        return self.text
