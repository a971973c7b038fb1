"""The fiscal calendar and the quotas: per position, month, quarter and year, for FY2025 and FY2026.

Annual quotas are set the way many companies do, from history: an AE's quota is 97% of the median
full-year bookings of the AE's team (12% more in FY2026); managers carry 90% of their team's
quotas, directors 95% of their managers', the VP 95% of the directors'. Months follow the booking
seasonality; quarters and years are the sums of their months. New hires and promoted SDRs ramp
(Quota.ramp 0.25, 0.5, 0.75, then 1; 0 for a month the seat is vacant throughout), and territories
that lost accounts get relief for the rest of that fiscal year.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import numpy as np

from attain.demo.org import Org
from attain.demo.pipeline import OppFacts
from attain.demo.rows import AS_OF, Table, whole
from attain.demo.sales import FX_START
from attain.demo.seasons import month_shares
from attain.demo.territories import Relief
from attain.engine.periods import PeriodSpan, fiscal_periods

CALENDAR = "Calendar year"
FISCAL_YEARS = (2025, 2026, 2027)
QUOTA_YEARS = (2025, 2026)
GROWTH = {2025: 1.0, 2026: 1.12}
MEASURES = {"ae": "new_bookings", "sdr": "sourced_pipeline", "overlay": "family_bookings",
            "channel": "partner_bookings", "manager": "team_new_bookings", "director": "team_new_bookings",
            "executive": "team_new_bookings"}
RAMP = [Decimal("0.25"), Decimal("0.5"), Decimal("0.75")]


def calendar_tables() -> list[Table]:
    calendars = Table("core.FiscalCalendar")
    calendars.add(name=CALENDAR, start_month=1, is_default=True)
    periods = Table("core.Period")
    for year in FISCAL_YEARS:
        spans = fiscal_periods(year, 1)
        for span in spans:
            parent = None if span.kind == "year" else (f"FY{year}" if span.kind == "quarter"
                                                        else f"FY{year}-Q{(span.number - 1) // 3 + 1}")
            periods.add(calendar=CALENDAR, kind=span.kind, fiscal_year=year, number=span.number, name=span.name,
                        start_date=span.start, end_date=span.end, parent=parent,
                        state="closed" if year == 2025 else "open")
    return [calendars, periods]


def annual_quotas(org: Org, opportunities: list[OppFacts], usd: dict) -> dict[tuple[str, int], float]:
    """Annual quota (USD) per position and fiscal year, calibrated on FY2025 bookings."""
    booked: dict[tuple[str, str], float] = defaultdict(float)  # (measure owner, kind of credit) → USD
    for opp in opportunities:
        if opp.outcome != "won" or opp.close.year != 2025:
            continue
        value = float(opp.amount) * float(usd[opp.currency][opp.close])
        if opp.deal_type != "renewal":
            booked[(opp.position, "ae")] += value
            booked[(f"{opp.family}|{opp.account.city.region_code}", "family")] += value
        if opp.sourced_by:
            booked[(opp.sourced_by, "sourced")] += value
    for opp in opportunities:  # SDRs are measured on the pipeline they source, at its created date
        if opp.sourced_by and opp.created.year == 2025:
            day = min(max(opp.created, FX_START), AS_OF)
            booked[(opp.sourced_by, "pipeline")] += float(opp.amount) * float(usd[opp.currency][day])
    quotas: dict[tuple[str, int], float] = {}
    for manager in org.kind("manager"):
        team = org.team(manager.code)
        median = float(np.median([booked[(code, "ae")] for code in team if org.seats[code].created_on.year < 2025]))
        for year in QUOTA_YEARS:
            for code in (c for c in team if _exists(org, c, year)):
                quotas[(code, year)] = median * 0.97 * GROWTH[year]
            quotas[(manager.code, year)] = 0.9 * sum(quotas[(c, year)] for c in team if _exists(org, c, year))
    for year in QUOTA_YEARS:
        _leadership_quotas(org, quotas, year)
        _specialist_quotas(org, quotas, booked, year)
    return quotas


def _exists(org: Org, code: str, year: int) -> bool:
    return org.seats[code].created_on.year <= year


def _leadership_quotas(org: Org, quotas: dict, year: int) -> None:
    for director in org.kind("director"):
        managers = [s.code for s in org.kind("manager") if s.manager == director.code]
        quotas[(director.code, year)] = 0.95 * sum(quotas[(m, year)] for m in managers)
    quotas[("VP-SALES", year)] = 0.95 * sum(quotas[(d.code, year)] for d in org.kind("director"))


def _specialist_quotas(org: Org, quotas: dict, booked: dict, year: int) -> None:
    for seat in org.kind("overlay"):
        regions = {"NA": ["NAE", "NAW"]}.get(seat.region, [seat.region])
        quotas[(seat.code, year)] = 0.9 * GROWTH[year] * sum(booked[(f"{seat.family}|{r}", "family")] for r in regions)
    for seat, measured in [(s, "pipeline") for s in org.kind("sdr")] + [(s, "sourced") for s in org.kind("channel")]:
        quotas[(seat.code, year)] = 0.95 * GROWTH[year] * max(booked[(seat.code, measured)], 500_000.0)


def ramp_for(org: Org, position: str, month: PeriodSpan) -> Decimal:
    """Share of the month's quota that applies: 0 if vacant all month, ramping for new people."""
    tenures = [t for t in org.tenures if t.position == position and t.valid_from <= month.end
               and (t.valid_to is None or t.valid_to >= month.start)]
    if not tenures:
        return Decimal(0)
    tenure = max(tenures, key=lambda t: t.valid_from)
    person = org.people[tenure.employee_id]
    promoted = any(t.employee_id == tenure.employee_id and t.valid_from < tenure.valid_from
                   and org.seats[t.position].kind != org.seats[position].kind for t in org.tenures)
    if (tenure.valid_from - person["hire_date"]).days > 30 and not promoted:
        return Decimal(1)
    months_in = (month.start.year - tenure.valid_from.year) * 12 + month.start.month - tenure.valid_from.month
    return RAMP[months_in] if 0 <= months_in < len(RAMP) else Decimal(1)


def quota_table(org: Org, annual: dict[tuple[str, int], float], reliefs: list[Relief]) -> Table:
    table = Table("quotas.Quota")
    shares = month_shares()
    for (position, year), amount in sorted(annual.items()):
        spans = fiscal_periods(year, 1)
        months = [s for s in spans if s.kind == "month"]
        rows = [_month_quota(org, position, m, whole(amount * shares[i], 100), reliefs) for i, m in enumerate(months)]
        for quarter in (s for s in spans if s.kind == "quarter"):
            table.add(**_rollup(position, quarter.name, rows[3 * quarter.number - 3: 3 * quarter.number]))
        table.add(**_rollup(position, f"FY{year}", rows))
        table.rows.extend(rows)
    return table


def _month_quota(org: Org, position: str, month: PeriodSpan, amount: Decimal, reliefs: list[Relief]) -> dict:
    relief, reason = Decimal(0), ""
    for r in reliefs:
        if r.position == position and r.from_day <= month.start and r.from_day.year == month.start.year:
            relief, reason = whole(float(amount) * r.share * 0.5, 100), r.reason
    return dict(position=position, period=month.name, measure=MEASURES[_kind(position)], amount=amount,
                currency="USD", ramp=ramp_for(org, position, month), relief=relief, relief_reason=reason)


def _rollup(position: str, period: str, months: list[dict]) -> dict:
    amount = sum((m["amount"] for m in months), Decimal(0))
    effective = sum((m["amount"] * m["ramp"] for m in months), Decimal(0))
    ramp = (effective / amount).quantize(Decimal("0.00000001")) if amount else Decimal(1)
    relief = sum((m["relief"] for m in months), Decimal(0))
    reason = next((m["relief_reason"] for m in months if m["relief_reason"]), "")
    return dict(position=position, period=period, measure=months[0]["measure"], amount=amount, currency="USD",
                ramp=ramp, relief=relief, relief_reason=reason)


def _kind(position: str) -> str:
    prefix = position.split("-")[0]
    return {"AE": "ae", "SDR": "sdr", "OVL": "overlay", "CHN": "channel", "MGR": "manager", "DIR": "director",
            "VP": "executive"}[prefix]

