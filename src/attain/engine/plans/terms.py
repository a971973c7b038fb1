"""Plan terms beyond rate tables: caps over a window (carrying their excess forward or not), clawbacks,
guarantees, eligibility and MBO objectives.

Each is read from its mapping in the plan document by a `read_*` function that returns the term
and a list of messages (what is wrong and how to fix it); `loading` turns messages into plan problems.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from attain.engine.money import show_amount, show_percent
from attain.engine.payments.clawbacks import METHODS, ClawbackPolicy
from attain.engine.payments.draws import PaymentTermsError
from attain.engine.payments.holds import HoldPolicy
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
    carry_forward: bool = False  # what the cap cuts is paid in later windows of the plan year, room permitting


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


def read_window_cap(raw: Mapping, what: str, shortest: str = "period",
                    carry: bool = False) -> tuple[WindowCap | None, list[str]]:
    """{amount | percent_of_target, per (, carry_forward)}; `per` no shorter than `shortest` (a scope's own window).

    `carry`: whether this cap may carry its excess forward (a component's cap may; the plan's may not).
    """
    allowed = {*LIMIT_KINDS, "per", "carry_forward"} if carry else {*LIMIT_KINDS, "per"}
    problems = _unknown({k: v for k, v in raw.items() if carry or k != "carry_forward"}, allowed, what)
    if not carry and "carry_forward" in raw:
        problems.append(f"{what}: carry_forward is a term of a component's cap; the plan's cap does not carry "
                        "its excess forward: remove it, or put the cap with carry_forward on the component")
    cap, found = _limit(raw, what)
    per = raw.get("per", shortest)
    if per not in WINDOWS:
        problems.append(f"{what} per is {per!r}; use one of {', '.join(WINDOWS)}")
    elif WINDOWS.index(per) < WINDOWS.index(shortest):
        problems.append(f"{what} per is {per!r}, shorter than what the component measures ({shortest}): use per: "
                        f"{shortest} or longer")
    forward = raw.get("carry_forward", False) if carry else False
    if not isinstance(forward, bool):
        problems.append(f"{what} carry_forward is {forward!r}; write carry_forward: true (or false)")
    elif forward and per == "year":
        problems.append(f"{what} is per year and carries forward: excess is carried within the plan year only, so "
                        "a yearly cap (per: year, or a year_to_date component's cap) has nowhere to carry it; cap per period "
                        "or quarter, or remove carry_forward")
    problems += found
    return (WindowCap(cap, per, forward is True) if not problems else None), problems


def read_clawback(raw: Mapping) -> tuple[ClawbackPolicy | None, list[str]]:
    """{window_days, method: full | pro_rata}: what a credit note takes back of its original's commission."""
    what = "clawback"
    problems = _unknown(raw, {"window_days", "method"}, what)
    days, method = raw.get("window_days"), raw.get("method")
    if days is None or not isinstance(days, int) or isinstance(days, bool) or days < 0:
        problems.append(f"clawback window_days is {days!r}; give the days after booking within which a cancellation "
                        "takes the commission back, a whole number 0 or more (e.g. window_days: 180)")
    if method not in METHODS:
        problems.append(f"clawback method is {method!r}; use full (all the commission) or pro_rata (the part for "
                        "the contract months not served)")
    return (ClawbackPolicy(days, method) if not problems else None), problems


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


def read_hold(raw: Mapping) -> tuple[HoldPolicy | None, list[str]]:
    """`hold: {until: invoice | payment}`: the commission earned on a transaction waits for it to be invoiced,
    or is released as the customer pays (see engine/payments/holds.py)."""
    problems = _unknown(raw, {"until"}, "hold")
    try:
        policy = HoldPolicy(raw.get("until"))
    except PaymentTermsError as wrong:
        problems.append(str(wrong))
    return (policy if not problems else None), problems


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


@dataclass
class CarriedCap:
    """A cap that carries its excess forward (`carry_forward: true`) to the later windows of the plan year.

    Each window (the cap's month or quarter) pays what brings its paid-to-date to min(earned to date +
    carried in, limit), where carried in is what earlier windows of the same plan year earned above the
    cap and have not paid: each later window pays min(limit − its own earnings, carried). A window
    starts without a carry in a new plan year; what is still carried in the plan year's last month is
    forfeited (said in that month's explanation). So over a year: paid + forfeited = earned uncapped,
    and no window pays above the limit.
    """

    limit: Decimal
    shown: str  # the limit in words, for explanations
    per: str  # period | quarter
    window: str | None = None  # the current window's name (FY2026-M03, FY2026-Q1)
    year: int | None = None  # its fiscal year
    carried_in: Decimal = ZERO  # carried into the current window from earlier ones
    earned: Decimal = ZERO  # uncapped earned in the current window to date
    paid: Decimal = ZERO  # paid in the current window to date
    forfeited: Decimal = ZERO  # forfeited at the ends of plan years so far

    @property
    def carried(self) -> Decimal:
        """What is carried out of the current window so far (never negative: paid ≤ earned + carried in)."""
        return self.earned + self.carried_in - self.paid

    def pay(self, month, amount: Decimal, explain: Callable[[], str], holds: bool = True):
        """(paid to date, paid before, explanation) in the month's window, after it earned `amount` uncapped.

        `holds`: whether the participant held the position on the plan on some day of the month. After they
        left it (or it left the plan), what is still carried is forfeited, not paid.
        """
        window = month.name_of(self.per)
        if window != self.window:
            carried = self.carried if self.year == month.fiscal_year else ZERO
            self.window, self.year, self.carried_in, self.earned, self.paid = window, month.fiscal_year, carried, \
                ZERO, ZERO
        lost = ZERO if holds else self.carried
        self.forfeited, self.carried_in = self.forfeited + lost, self.carried_in - lost
        before = self.paid
        self.earned += amount
        self.paid = min(self.earned + self.carried_in, self.limit)
        text = self._text(before)
        if lost:
            text += (f"; {show_amount(lost)} still carried is forfeited: the participant no longer holds the "
                     "position on this plan")
        if month.year_span is not None and month.end_date == month.year_span[1] and self.carried:
            text += (f"; {show_amount(self.carried)} still carried at the end of {month.year} is forfeited (excess "
                     "is carried within the plan year only)")
            self.forfeited += self.carried
            self.carried_in -= self.carried  # nothing is carried out of the plan year
        return self.paid, before, lambda: f"{explain()}; {text}"

    def _text(self, before: Decimal) -> str:
        earned, carried, shown = self.earned, self.carried, self.shown
        if self.per != "period":  # a quarter, paid month by month
            text = f"{self.per} cap {shown}: earned this {self.per} {show_amount(earned)}"
            if self.carried_in:
                text += f", with {show_amount(self.carried_in)} carried from earlier {self.per}s"
            kept = f" ({show_amount(carried)} carried forward)" if carried else ""
            return (f"{text}; paid to date {show_amount(self.paid)}{kept}, paid before {show_amount(before)}, so this "
                    f"period {show_amount(self.paid - before)}")
        if earned > self.limit or (earned == self.limit and self.carried_in):
            more = f" ({show_amount(carried)} carried in all)" if self.carried_in else ""
            return f"capped at {shown}: {show_amount(earned - self.limit)} carried forward{more}"
        if self.paid > earned:
            still = f"{show_amount(carried)} still carried" if carried else "nothing still carried"
            return f"paid {show_amount(self.paid - earned)} carried from earlier months ({still})"
        return f"within the cap {shown}"
