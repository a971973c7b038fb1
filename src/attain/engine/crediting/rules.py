"""Credit rules as a plan declares them."""

from __future__ import annotations

from dataclasses import dataclass

TIMING = ("booked", "invoiced", "paid")
CREDIT_TYPES = ("revenue", "margin", "units", "tcv", "count")
RULE_KINDS = ("direct", "territory", "overlay", "rollup")


@dataclass(frozen=True)
class CreditRule:
    """One way of giving credit.

    - direct: the owner position, or the split positions with their shares when the line has splits;
    - territory: the primary positions covering the account's territory on the crediting date;
    - overlay: overlay positions covering the account's territory (or a territory above it) whose
      product family is the line's (an overlay without a family covers every product);
    - rollup: the managers of the positions credited by the `source` rules, up to `depth` levels,
      through the reporting lines valid on the crediting date (each level gets the sum of its reports').
    """

    name: str
    kind: str
    credit_type: str = "revenue"
    source: tuple[str, ...] = ()  # for rollups: names of the rules whose credits roll up
    depth: int = 1

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"credit rule {self.name!r}: unknown kind {self.kind!r}; use one of {', '.join(RULE_KINDS)}")
        if self.credit_type not in CREDIT_TYPES:
            raise ValueError(f"credit rule {self.name!r}: unknown credit type {self.credit_type!r}; "
                             f"use one of {', '.join(CREDIT_TYPES)}")
        if self.kind == "rollup" and (not self.source or self.depth < 1):
            raise ValueError(f"credit rule {self.name!r}: a rollup names its source rules and a depth of at least 1")
