"""Large synthetic data sets as Parquet, written without the ORM (`attain demo --scale N`).

Vectorised with numpy and pyarrow, one month of transactions at a time (one Parquet row group per
month), so memory stays bounded whatever N is. Columns use the import formats' names
(docs/data-formats.md): model field names, foreign keys by natural key (`account` holds an
account's external_id, `owner_position` a position code, `original` a transaction's external_id).
Money is decimal128(15, 4) built from exact integer ten-thousandths, never floats. The same seed
gives the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from attain.demo.catalog import FAMILIES, PRODUCTS
from attain.demo.geo import CITIES
from attain.demo.names import FIRST, LAST
from attain.demo.rows import stream
from attain.demo.seasons import MONTH_WEIGHT
from attain.engine.periods import fiscal_periods

MONEY = pa.decimal128(15, 4)
RATIO = pa.decimal128(15, 8)
EPOCH = date(1970, 1, 1)
MONTHS = [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 12)]
AS_OF = date(2026, 11, 30)
CREDIT_NOTE_SHARE = 0.01
CURRENCIES = ["USD", "EUR", "GBP"]


@dataclass(frozen=True)
class ScaleSpec:
    n_transactions: int
    payees: int = 10_000
    seed: int = 2026

    @property
    def accounts(self) -> int:
        return int(min(200_000, max(1_000, self.n_transactions // 100)))


def decimals(units: np.ndarray, type_: pa.DataType = MONEY) -> pa.Array:
    """A decimal128 array from int64 counts of the smallest unit (1e-4 for money): exact, no floats."""
    units = np.ascontiguousarray(units, dtype=np.int64)
    words = np.empty((len(units), 2), dtype=np.int64)
    words[:, 0], words[:, 1] = units, units >> 63  # little-endian 128-bit two's complement
    return pa.Array.from_buffers(type_, len(units), [None, pa.py_buffer(words)])


def day_numbers(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.date32())


def codes(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    text = pc.utf8_lpad(pc.cast(pa.array(numbers, pa.int64()), pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), text, "")


def _epoch(day: date) -> int:
    return (day - EPOCH).days


def organisation(spec: ScaleSpec) -> dict[str, pa.Table]:
    """Positions in a three-level hierarchy under a VP; participant i holds position i all along."""
    rng = stream(spec.seed, "scale:org")
    n = spec.payees
    managers = max(1, n // 10)
    directors = max(1, managers // 10)
    kinds = np.array(["executive"] + ["director"] * directors + ["manager"] * managers + ["ae"] * (n - 1 - directors - managers))
    index = np.arange(n)
    position = codes("P", index, 6)
    manager_of = np.where(kinds == "director", 0, np.where(kinds == "manager", 1 + (index % directors),
                                                            1 + directors + (index % managers)))
    hired = _epoch(date(2018, 1, 1)) + rng.integers(0, 7 * 365, n)
    start = np.maximum(hired, _epoch(date(2020, 1, 1)))
    participants = pa.table({
        "employee_id": codes("E", index, 6), "first_name": pa.array(np.array(FIRST)[rng.integers(0, len(FIRST), n)]),
        "last_name": pa.array(np.array(LAST)[rng.integers(0, len(LAST), n)]),
        "email": pc.binary_join_element_wise(codes("e", index, 6), pa.scalar("@scale.example"), ""),
        "hire_date": day_numbers(hired), "termination_date": pa.nulls(n, pa.date32()),
        "currency": pa.array(["USD"] * n), "country": pa.array(["US"] * n), "pay_group": pa.array(["US-MONTHLY"] * n),
    })
    positions = pa.table({
        "code": position, "name": pc.binary_join_element_wise(pa.scalar("Position "), position, ""),
        "kind": pa.array(kinds), "quota_carrying": pa.array(np.ones(n, bool)), "product_family": pa.nulls(n, pa.string()),
        "created_on": day_numbers(np.full(n, _epoch(date(2020, 1, 1)))), "retired_on": pa.nulls(n, pa.date32()),
    })
    has_manager = index > 0
    reporting = pa.table({
        "position": position.filter(pa.array(has_manager)), "manager_position": position.take(pa.array(manager_of[has_manager])),
        "valid_from": day_numbers(np.full(n - 1, _epoch(date(2020, 1, 1)))), "valid_to": pa.nulls(n - 1, pa.date32()),
    })
    holders = pa.table({"participant": participants["employee_id"], "position": position,
                        "valid_from": day_numbers(start), "valid_to": pa.nulls(n, pa.date32())})
    return {"participants": participants, "positions": positions, "reporting_lines": reporting,
            "position_holders": holders}


def catalog(spec: ScaleSpec) -> dict[str, pa.Table]:
    rng = stream(spec.seed, "scale:accounts")
    n = spec.accounts
    weights = np.array([c.weight for c in CITIES])
    city = rng.choice(len(CITIES), n, p=weights / weights.sum())
    employees = np.maximum(5, rng.lognormal(np.log(200), 1.7, n)).astype(np.int64)
    segment = np.where(employees >= 2000, "enterprise", np.where(employees >= 200, "mid_market", "smb"))
    lat = np.array([c.latitude for c in CITIES])[city] + rng.normal(0, 0.06, n)
    lon = np.array([c.longitude for c in CITIES])[city] + rng.normal(0, 0.06, n)
    accounts = pa.table({
        "external_id": codes("A", np.arange(n), 7), "name": codes("Account ", np.arange(n), 7),
        "industry": pa.array(np.array(["Software", "Retail", "Healthcare", "Manufacturing"])[rng.integers(0, 4, n)]),
        "segment": pa.array(segment), "employees": pa.array(employees),
        "annual_revenue": decimals(employees * 150_000 * 10_000), "country": pa.array([CITIES[i].country for i in city]),
        "region": pa.array([CITIES[i].state for i in city]), "city": pa.array([CITIES[i].name for i in city]),
        "postal_code": pa.array([CITIES[i].postal_prefix for i in city]),
        "latitude": decimals(np.round(lat * 1e6), pa.decimal128(9, 6)),
        "longitude": decimals(np.round(lon * 1e6), pa.decimal128(9, 6)), "parent": pa.nulls(n, pa.string()),
    })
    products = pa.table({
        "sku": [p.sku for p in PRODUCTS], "name": [p.name for p in PRODUCTS], "family": [p.family for p in PRODUCTS],
        "list_price": decimals(np.array([p.list_price * 10_000 for p in PRODUCTS])),
        "unit_cost": decimals(np.array([int(p.list_price * p.cost_share) * 10_000 for p in PRODUCTS])),
        "currency": ["USD"] * len(PRODUCTS), "recurring": [p.recurring for p in PRODUCTS],
        "active": [True] * len(PRODUCTS),
    })
    families = pa.table({"code": list(FAMILIES), "name": list(FAMILIES.values())})
    spans = [s for year in (2025, 2026, 2027) for s in fiscal_periods(year, 1)]
    periods = pa.table({"name": [s.name for s in spans], "kind": [s.kind for s in spans],
                        "fiscal_year": [s.fiscal_year for s in spans], "number": [s.number for s in spans],
                        "start_date": [s.start for s in spans], "end_date": [s.end for s in spans]})
    currencies = pa.table({"code": CURRENCIES, "name": ["US dollar", "Euro", "Pound sterling"],
                           "minor_units": [2, 2, 2], "rounding": ["half_up"] * 3})
    return {"currencies": currencies, "periods": periods, "product_families": families, "products": products,
            "accounts": accounts}


def quotas(spec: ScaleSpec, positions: pa.Table) -> pa.Table:
    """A monthly new_bookings quota per AE for FY2025 and FY2026, with quarter-end seasonality."""
    reps = positions.filter(pc.equal(positions["kind"], "ae"))["code"]
    expected = spec.n_transactions / max(1, len(reps)) / len(MONTHS) * 12 * 9_000  # ≈ bookings a year, USD
    shares = np.array([MONTH_WEIGHT[m] for m in range(1, 13)]) / sum(MONTH_WEIGHT.values())
    periods = [f"FY{y}-M{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    n = len(reps) * len(periods)
    monthly = np.tile(np.round(expected * np.tile(shares, 2) / 100) * 100 * 10_000, len(reps)).astype(np.int64)
    return pa.table({
        "position": pc.take(reps, pa.array(np.repeat(np.arange(len(reps)), len(periods)))),
        "period": pa.array(periods * len(reps)), "measure": pa.array(["new_bookings"] * n), "amount": decimals(monthly),
        "currency": pa.array(["USD"] * n), "ramp": decimals(np.full(n, 100_000_000), RATIO),
        "relief": decimals(np.zeros(n, np.int64)), "relief_reason": pa.array([""] * n),
    })


def write_scale(spec: ScaleSpec, out: Path, progress: Callable[[int], None] = lambda rows: None) -> dict[str, int]:
    """Write every file into `out`; return file name → row count."""
    from attain.demo.scale_transactions import write_transactions

    out.mkdir(parents=True, exist_ok=True)
    tables = {**organisation(spec), **catalog(spec)}
    tables["quotas"] = quotas(spec, tables["positions"])
    written = {}
    for name, table in tables.items():
        pq.write_table(table, out / f"{name}.parquet")
        written[f"{name}.parquet"] = table.num_rows
    positions = tables["positions"]
    reps = positions.filter(pc.equal(positions["kind"], "ae"))["code"].combine_chunks()
    accounts = tables["accounts"]["external_id"].combine_chunks()
    skus = tables["products"]["sku"].combine_chunks()
    written["transactions.parquet"] = write_transactions(spec, out / "transactions.parquet", reps, accounts, skus,
                                                         progress)
    return written
