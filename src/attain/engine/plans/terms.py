"""Plan terms beyond rate tables: caps over a window, guarantees, eligibility and MBO objectives.

Each is read from its mapping in the plan document by a `read_*` function that returns the term
and a list of messages (what is wrong and how to fix it); `loading` turns messages into plan problems.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from attain.engine.money import show_amount, show_percent
from attain.engine.rates import Cap, PlanError

ZERO = Decimal(0)

WINDOWS = ("period", "quarter", "year")  # shortest first
SCOPE_WINDOW = {"period": "period", "quarter_to_date": "quarter", "year_to_date": "year", "per_transaction": "period"}
LIMIT_KINDS = ("amount", "percent_of_target")


@dataclass(frozen=True)
class WindowCap:
    """A cap on what is paid over a window (period, quarter or plan year), applied cumulatively."""

    cap: Cap
    per: str


@dataclass(frozen=True)
class Guarantee:
    """A minimum monthly earning, non-recoverable: the plan tops a month's earnings up to it.

    `monthly` is an amount, or a fraction of the monthly target incentive (the annual one ÷ 12). The
    guarantee runs for the participant's `first_months` on the position, or between two dates.
    """

    monthly: Cap  # reuses Cap's kind (amount | percent_of_target) and value
    first_months: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class Eligibility:
    position_kinds: tuple[str, ...] = ()  # empty = every kind
    valid_from: date | None = None
    valid_to: date | None = None

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Objectives:
    """An MBO component's payout at full score for each objectives period (an amount or a fraction of target)."""

    period: str  # period | quarter | year
    full: Cap  # reuses Cap's kind and value: amount, or percent_of_target of the annual target incentive


def _unknown(raw: Mapping, allowed: set[str], what: str) -> list[str]:
    return [f"{what} has no field {key!r}; use {', '.join(sorted(allowed))}" for key in raw if key not in allowed]


def _limit(raw: Mapping, what: str) -> tuple[Cap | None, list[str]]:
    given = [k for k in LIMIT_KINDS if k in raw]
    if len(given) != 1:
        has = "both" if given else "neither"
        return None, [f"{what} needs exactly one of amount (e.g. amount: 5000) or percent_of_target (e.g. "
                      f"percent_of_target: 1.5 = 150% of target incentive); it has {has}"]
    try:
        return Cap.load({k: v for k, v in raw.items() if k in LIMIT_KINDS}), []
    except PlanError as invalid:
        return None, [f"{what}: {error.message}" for error in invalid.errors]


def _day(raw: Mapping, key: str, what: str, problems: list[str]) -> date | None:
    value = raw.get(key)
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{key} of {what} is {value!r}; write a date as YYYY-MM-DD")
        return None


def read_dates(raw: Mapping, what: str, problems: list[str]) -> tuple[date | None, date | None]:
    """valid_from and valid_to of `what` (each may be empty); wrong dates are added to `problems`."""
    start, end = _day(raw, "valid_from", what, problems), _day(raw, "valid_to", what, problems)
    if start and end and end < start:
        problems.append(f"{what} ends ({end}) before it starts ({start}): swap or correct the dates")
    return start, end


def read_window_cap(raw: Mapping, what: str, shortest: str = "period") -> tuple[WindowCap | None, list[str]]:
    """{amount | percent_of_target, per}; `per` no shorter than `shortest` (a scope's own window)."""
    problems = _unknown(raw, {*LIMIT_KINDS, "per"}, what)
    cap, found = _limit(raw, what)
    per = raw.get("per", shortest)
    if per not in WINDOWS:
        problems.append(f"{what} per is {per!r}; use one of {', '.join(WINDOWS)}")
    elif WINDOWS.index(per) < WINDOWS.index(shortest):
        problems.append(f"{what} per is {per!r}, shorter than what the component measures ({shortest}): use per: "
                        f"{shortest} or longer")
    problems += found
    return (WindowCap(cap, per) if not problems else None), problems


def read_guarantee(raw: Mapping) -> tuple[Guarantee | None, list[str]]:
    what = "guarantee"
    problems = _unknown(raw, {*LIMIT_KINDS, "first_months", "valid_from", "valid_to"}, what)
    monthly, found = _limit(raw, what)
    problems += found
    start, end = read_dates(raw, what, problems)
    months = raw.get("first_months")
    if months is not None and (not isinstance(months, int) or isinstance(months, bool) or months < 1):
        problems.append(f"guarantee first_months is {months!r}; give a whole number of months, 1 or more")
    if (months is None) == (start is None):
        problems.append("a guarantee runs either for the participant's first_months on the position or from "
                        "valid_from (to valid_to): give one of them")
    return (Guarantee(monthly, months, start, end) if not problems else None), problems


def read_eligibility(raw: Mapping) -> tuple[Eligibility | None, list[str]]:
    what = "eligibility"
    problems = _unknown(raw, {"position_kinds", "valid_from", "valid_to"}, what)
    kinds = raw.get("position_kinds", [])
    if not isinstance(kinds, list) or not all(isinstance(k, str) and k for k in kinds):
        problems.append("eligibility position_kinds is a list of position kinds, e.g. [ae, sdr]")
        kinds = []
    start, end = read_dates(raw, what, problems)
    return (Eligibility(tuple(kinds), start, end) if not problems else None), problems


def read_objectives(raw: Mapping) -> tuple[Objectives | None, list[str]]:
    what = "objectives"
    problems = _unknown(raw, {*LIMIT_KINDS, "period"}, what)
    full, found = _limit(raw, what)
    problems += found
    period = raw.get("period")
    if period not in WINDOWS:
        problems.append(f"objectives period is {period!r}; use one of {', '.join(WINDOWS)} (the period the "
                        "objectives are set and scored for)")
    return (Objectives(period, full) if not problems else None), problems


def full_payout(full: Cap, target: Decimal | None, per_year: int = 1) -> Decimal | None:
    """An amount, or `percent_of_target` × the annual target ÷ `per_year`; None without a target."""
    if full.kind == "amount":
        return full.value
    return None if target is None else full.value * target / per_year


def limit_text(cap: Cap, target: Decimal | None) -> str:
    """'30,000.00', or '30,000.00 (50% of target 60,000.00)' (call with a limit that resolved)."""
    limit = cap.limit(target)
    if cap.kind == "amount":
        return show_amount(limit)
    return f"{show_amount(limit)} ({show_percent(cap.value)} of target {show_amount(target)})"


@dataclass
class CumulativeCap:
    """Pays under a cap that runs over a window: paid to date = min(earned to date, limit), per window.

    Each month brings what it earned uncapped; it is paid what brings the window's paid-to-date to
    min(earned-to-date, limit). A later reversal below the cap pays back what the cap held (it was never
    paid, so nothing is recovered twice).
    """

    limit: Decimal
    shown: str  # the limit in words, for explanations
    earned: dict[str, Decimal] = field(default_factory=dict)  # window key → uncapped earned to date
    paid: dict[str, Decimal] = field(default_factory=dict)  # window key → paid to date

    def pay(self, window: str, amount: Decimal, explain: Callable[[], str], per: str,
            limit: tuple[Decimal, str] | None = None):
        """(paid to date, paid before, explanation) after a month that earned `amount` uncapped.

        `limit`: this window's own limit and its words, instead of the cap's (a target prorated by days).
        """
        cap, shown = limit or (self.limit, self.shown)
        earned = self.earned.get(window, ZERO) + amount
        before = self.paid.get(window, ZERO)
        paid = min(earned, cap)
        self.earned[window], self.paid[window] = earned, paid
        above = f" ({show_amount(earned - cap)} above the cap)" if earned > cap else ""
        text = (f"{per} cap {shown}: earned this {per} {show_amount(earned)}{above}, paid before "
                f"{show_amount(before)}, so this period {show_amount(paid - before)}")
        return paid, before, lambda: f"{explain()}; {text}"
