"""Credit rules as a plan declares them."""

from __future__ import annotations

from dataclasses import dataclass

TIMING = ("booked", "invoiced", "paid")
CREDIT_TYPES = ("revenue", "margin", "units", "tcv", "acv", "count")
RULE_KINDS = ("direct", "territory", "overlay", "sourced", "rollup", "team", "activity", "pipeline")
SHARES = ("full", "equal")
PIPELINE_TO = ("sourced_by", "owner")
# what each kind reads; rollup and team rules read the credits of their source rules
READS = {"direct": "transaction", "territory": "transaction", "overlay": "transaction", "sourced": "transaction",
         "activity": "activity", "pipeline": "opportunity"}
TYPES_OF_KIND = {"activity": ("count",), "pipeline": ("revenue", "count")}


def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


@dataclass(frozen=True)
class CreditRule:
    """One way of giving credit.

    - direct: the owner position, or the split positions with their shares when the line has splits;
    - territory: the primary positions covering the account's territory on the crediting date, each with
      the whole credit (`share: full`) or an equal part of it (`share: equal`, a pool);
    - overlay: overlay positions covering the account's territory (or a territory above it) whose
      product family is the line's (an overlay without a family covers every product);
    - sourced: the position that sourced the transaction's opportunity (`sourced_by_position`);
    - rollup: the managers of the positions credited by the `source` rules, up to `depth` levels,
      through the reporting lines valid on the crediting date (each level gets the sum of its reports');
    - team: every position reporting to the same manager as a position credited by the `source` rules,
      on the credit's attribution date, each with the whole credit or an equal part (`share`);
    - activity: each activity, 1 (count), to the position its participant held on the activity's date;
    - pipeline: each opportunity, on the day it first entered `stage` (default: its created date), to its
      sourcing position (`to: sourced_by`) or its owner (`to: owner`).
    """

    name: str
    kind: str
    credit_type: str = "revenue"
    source: tuple[str, ...] = ()  # for rollups and teams: names of the rules whose credits they take
    depth: int = 1
    share: str = "full"  # territory and team: the whole credit to each position, or equal parts
    to: str = "sourced_by"  # pipeline: which position of the opportunity is credited
    stage: str | None = None  # pipeline: the stage whose first entry is credited (None: the created date)

    def __post_init__(self) -> None:
        problem = self.problem()
        if problem:
            raise ValueError(f"credit rule {self.name!r}: {problem}")

    def problem(self) -> str | None:
        """What is wrong with the rule's combination of kind and options, or None."""
        if self.kind not in RULE_KINDS:
            return f"unknown kind {self.kind!r}; use one of {', '.join(RULE_KINDS)}"
        if self.credit_type not in CREDIT_TYPES:
            return f"unknown credit type {self.credit_type!r}; use one of {', '.join(CREDIT_TYPES)}"
        allowed = TYPES_OF_KIND.get(self.kind)
        if allowed and self.credit_type not in allowed:
            return f"{article(self.kind)} {self.kind} rule credits {' or '.join(allowed)}, not {self.credit_type}"
        if self.kind in ("rollup", "team") and not self.source:
            return f"a {self.kind} names the rules whose credits it takes, e.g. source: [direct]"
        if self.depth < 1:
            return "depth is at least 1"
        if self.share not in SHARES or (self.share != "full" and self.kind not in ("territory", "team")):
            return "share: equal splits a territory's or a team's credit; other rules take no share"
        if self.to not in PIPELINE_TO or (self.to != "sourced_by" and self.kind != "pipeline"):
            return "to: sourced_by or owner, for pipeline rules only"
        if self.stage is not None and self.kind != "pipeline":
            return "stage is for pipeline rules only"
        return None

    @property
    def reads(self) -> str | None:
        """transaction, activity or opportunity: the kind of line the rule credits (None: its sources')."""
        return READS.get(self.kind)
