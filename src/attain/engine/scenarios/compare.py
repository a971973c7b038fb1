"""Expected against calculated: earnings per participant, component and period; credits; exceptions.

Amounts are compared after rounding to the currency's minor unit (`Earning.rounded`), unless the
expected amount is written with more decimal places: then it is compared exactly with the precise
amount. A row that is absent counts as zero, so an expected 0 needs no row and a produced 0 needs
no expectation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from attain.engine.calculate import CalcResult
from attain.engine.money import round_money
from attain.engine.scenarios.document import Expect, ScenarioError

ZERO = Decimal(0)


@dataclass(frozen=True)
class Difference:
    """One row that does not match: `what` is "earning" or "credit"; `note` differs, missing or unexpected."""

    what: str
    key: tuple[str, ...]  # (participant, component, period) or (transaction, position, rule)
    expected: Decimal | None
    got: Decimal | None
    note: str

    @property
    def difference(self) -> Decimal:
        return (self.got or ZERO) - (self.expected or ZERO)


@dataclass(frozen=True)
class Amounts:
    precise: Decimal
    rounded: Decimal


def compare(expect: Expect, result: CalcResult, minor_units: int = 2) -> tuple[list[Difference], list[str], list[str]]:
    """(differences, exceptions expected but not raised, exceptions raised but not expected)."""
    differences = _compare_rows("earning", _expected_earnings(expect), _earnings(result), minor_units)
    if expect.credits is not None:
        differences += _compare_rows("credit", _expected_credits(expect), _credits(result, minor_units), minor_units)
    missing = [e for e in expect.exceptions if e not in result.exceptions]
    unexpected = [e for e in result.exceptions if e not in expect.exceptions]
    return differences, missing, unexpected


def _expected_earnings(expect: Expect) -> dict[tuple, Decimal]:
    return _unique("earnings", [((e.participant, e.component, e.period), e.amount) for e in expect.earnings])


def _expected_credits(expect: Expect) -> dict[tuple, Decimal]:
    return _unique("credits", [((c.transaction, c.position, c.rule), c.value) for c in expect.credits or []])


def _unique(what: str, rows: list[tuple[tuple, Decimal]]) -> dict[tuple, Decimal]:
    found: dict[tuple, Decimal] = {}
    for key, amount in rows:
        if key in found:
            raise ScenarioError(f"expect.{what}: {', '.join(key)} is listed twice; keep one row with the total")
        found[key] = amount
    return found


def _earnings(result: CalcResult) -> dict[tuple, Amounts]:
    """Earnings by participant, component and period (a participant in two seats: the sum of both)."""
    precise: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    rounded: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for e in result.earnings:
        key = (e.participant, e.component, e.period)
        precise[key] += e.amount
        rounded[key] += e.rounded
    return {key: Amounts(precise[key], rounded[key]) for key in precise}


def _credits(result: CalcResult, minor_units: int) -> dict[tuple, Amounts]:
    rows = result.credits.select("external_id", "position", "rule", "value").to_pyarrow().to_pylist()
    precise: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        precise[(row["external_id"], row["position"], row["rule"])] += row["value"]
    return {key: Amounts(value, round_money(value, minor_units)) for key, value in precise.items()}


def exact(amount: Decimal, minor_units: int) -> bool:
    """Whether an expected amount is written with more places than the currency's minor unit."""
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and -exponent > minor_units


def _compare_rows(what: str, expected: dict[tuple, Decimal], got: dict[tuple, Amounts],
                  minor_units: int) -> list[Difference]:
    differences = []
    for key in sorted(set(expected) | set(got)):
        want, have = expected.get(key), got.get(key)
        if want is None:
            if have.rounded != 0:
                differences.append(Difference(what, key, None, have.rounded, "unexpected"))
        elif have is None:
            if want != 0:
                differences.append(Difference(what, key, want, None, "missing"))
        else:
            value = have.precise if exact(want, minor_units) else have.rounded
            if value != want:
                differences.append(Difference(what, key, want, value, "differs"))
    return differences
