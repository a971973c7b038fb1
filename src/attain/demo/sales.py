"""Bookings: the transaction lines of won opportunities, credit notes, cancellations and FX rates.

A won deal books one line per product and contract year (annual billing): each line carries its
booking, invoice and payment dates and a status as of AS_OF. Amounts are in the account's currency
(USD, EUR or GBP), converted from USD list prices at the day's rate and rounded to cents once.
About 1.5% of deals are cancelled (every line reversed by a credit note) and about 1% of other
invoiced lines receive a credit note; a credit note negates its original exactly.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from attain.demo.catalog import PRODUCTS, ProductSpec
from attain.demo.pipeline import OppFacts
from attain.demo.rows import AS_OF, Row, Table, cents, stream

FX_START = date(2024, 10, 1)
FX_OPEN = {"EUR": 1.08, "GBP": 1.27}  # USD per unit on FX_START
PRODUCTS_PER_DEAL = {"enterprise": (5, 11), "mid_market": (3, 8), "smb": (2, 5)}
DISCOUNT = {"enterprise": (0.15, 0.40), "mid_market": (0.05, 0.25), "smb": (0.0, 0.10)}
CANCELLED_DEALS = 0.015
CREDITED_LINES = 0.01


def fx_rates(seed: int) -> dict[str, dict[date, Decimal]]:
    """Daily USD value of one EUR and one GBP: a random walk from FX_START to AS_OF."""
    rng = stream(seed, "fx")
    count = (AS_OF - FX_START).days + 1
    rates = {}
    for code, start in FX_OPEN.items():
        walk = start * np.exp(np.cumsum(rng.normal(0, 0.0045, count)))
        rates[code] = {FX_START + timedelta(i): Decimal(f"{walk[i]:.6f}") for i in range(count)}
    rates["USD"] = {FX_START + timedelta(i): Decimal(1) for i in range(count)}
    return rates


def fx_table(rates: dict[str, dict[date, Decimal]]) -> Table:
    table = Table("core.FxRate")
    for code in ("EUR", "GBP"):
        for day, rate in rates[code].items():
            table.add(from_currency=code, to_currency="USD", rate_date=day, rate=rate)
            table.add(from_currency="USD", to_currency=code, rate_date=day,
                      rate=(Decimal(1) / rate).quantize(Decimal("0.00000001")))
    return table


def book(opportunities: list[OppFacts], rates: dict, seed: int) -> Table:
    rng = stream(seed, "bookings")
    table = Table("sales.Transaction")
    weights = np.array([1.0 for _ in PRODUCTS])
    for opp in opportunities:
        usd_per_unit = float(rates[opp.currency][min(max(opp.close, FX_START), AS_OF)])
        if opp.outcome != "won":
            opp.amount = Decimal(int(round(opp.acv_usd * opp.years / usd_per_unit, -2)))
            continue
        lines = _deal_lines(opp, usd_per_unit, weights, rng)
        table.rows.extend(lines)
        opp.amount = sum((line["amount"] for line in lines), Decimal(0))
    _credit_notes(table, rng)
    return table


def _choose_products(opp: OppFacts, rng: np.random.Generator, weights: np.ndarray) -> list[ProductSpec]:
    low, high = PRODUCTS_PER_DEAL[opp.account.segment]
    count = int(rng.integers(low, high + 1))
    w = weights * np.array([5.0 if p.family == opp.family else 1.0 for p in PRODUCTS])
    picks = rng.choice(len(PRODUCTS), size=count, replace=False, p=w / w.sum())
    return [PRODUCTS[i] for i in sorted(picks)]


def _deal_lines(opp: OppFacts, usd_per_unit: float, weights: np.ndarray, rng: np.random.Generator) -> list[Row]:
    products = _choose_products(opp, rng, weights)
    shares = rng.dirichlet(np.ones(len(products)))
    low, high = DISCOUNT[opp.account.segment]
    discount = rng.uniform(low, high)
    start = opp.close + timedelta(days=int(rng.integers(1, 15)))
    terms = (30, 45, 60)[int(rng.integers(3))]
    order = f"SO-{opp.external_id.removeprefix('OPP-')}"
    rows: list[Row] = []
    for product, share in zip(products, shares, strict=True):
        unit_price = cents(product.list_price * (1 - discount) / usd_per_unit)
        unit_cost = cents(product.list_price * product.cost_share / usd_per_unit)
        quantity = Decimal(max(1, int(round(opp.acv_usd * share / (product.list_price * (1 - discount))))))
        years = opp.years if product.recurring else 1
        for year in range(years):
            line_start = start + timedelta(days=365 * year)
            invoiced = line_start if product.recurring else opp.close + timedelta(days=int(rng.integers(5, 30)))
            paid = invoiced + timedelta(days=terms + int(rng.exponential(8)))
            rows.append(dict(
                external_id=f"{order}-{len(rows) + 1:02d}", kind="booking", order_number=order,
                booked_date=opp.close, invoiced_date=invoiced if invoiced <= AS_OF else None,
                paid_date=paid if paid <= AS_OF else None, account=opp.account.external_id, product=product.sku,
                opportunity=opp.external_id, quantity=quantity, amount=quantity * unit_price, currency=opp.currency,
                cost=quantity * unit_cost, deal_type=opp.deal_type, owner_position=opp.position,
                status="paid" if paid <= AS_OF else "invoiced" if invoiced <= AS_OF else "booked",
                contract_start=line_start if product.recurring else None,
                contract_end=line_start + timedelta(days=364) if product.recurring else None, original=None,
            ))
    return rows


def _credit_notes(table: Table, rng: np.random.Generator) -> None:
    by_order: dict[str, list[Row]] = {}
    for row in table.rows:
        by_order.setdefault(str(row["order_number"]), []).append(row)
    notes: list[Row] = []
    for lines in by_order.values():
        booked = lines[0]["booked_date"]
        if booked > AS_OF - timedelta(days=60):
            continue
        if rng.random() < CANCELLED_DEALS:
            day = booked + timedelta(days=int(rng.integers(10, 60)))
            notes += [_reverse(line, day) for line in lines]
        else:
            for line in lines:
                if line["invoiced_date"] and rng.random() < CREDITED_LINES:
                    notes.append(_reverse(line, line["invoiced_date"] + timedelta(days=int(rng.integers(5, 40)))))
    table.rows.extend(notes)


def _reverse(line: Row, day: date) -> Row:
    day = min(day, AS_OF)
    status = "refunded" if line["paid_date"] and line["paid_date"] <= day else "cancelled"
    line["status"] = status
    if status == "cancelled":
        line["paid_date"] = None
        if line["invoiced_date"] and line["invoiced_date"] > day:
            line["invoiced_date"] = None
    return dict(line, external_id=f"{line['external_id']}-CN", kind="credit_note", booked_date=day,
                invoiced_date=day, paid_date=day if status == "refunded" else None, quantity=-line["quantity"],
                amount=-line["amount"], cost=-line["cost"], status=status, original=line["external_id"])
