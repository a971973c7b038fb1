"""The transactions of the synthetic data sets, one month (one Parquet row group) at a time."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from attain.demo.catalog import PRODUCTS
from attain.demo.rows import stream
from attain.demo.scale import (
    AS_OF,
    CREDIT_NOTE_SHARE,
    CURRENCIES,
    MONTHS,
    ScaleSpec,
    _epoch,
    codes,
    day_numbers,
    decimals,
)
from attain.demo.seasons import MONTH_WEIGHT

LIST_CENTS = np.array([p.list_price * 100 for p in PRODUCTS], dtype=np.int64)
COST_CENTS = np.array([int(p.list_price * p.cost_share) * 100 for p in PRODUCTS], dtype=np.int64)
FX = np.array([1.0, 0.92, 0.79])  # local units per USD for USD, EUR, GBP
DEAL_TYPES = pa.array(["new", "expansion", "renewal"])
CHUNK_ROWS = 250_000  # rows per row group: bounds memory whatever N is
STATUSES = pa.array(["booked", "invoiced", "paid", "cancelled", "refunded"])


def rows_per_month(n: int) -> np.ndarray:
    weights = np.array([MONTH_WEIGHT[m] for _, m in MONTHS])
    counts = np.floor(n * weights / weights.sum()).astype(np.int64)
    counts[-1] += n - counts.sum()  # exact total
    return counts


def month_chunk(spec: ScaleSpec, month_index: int, piece: int, first_row: int, rows: int, reps: pa.Array,
                accounts: pa.Array, skus: pa.Array) -> pa.Table:
    rng = stream(spec.seed, f"scale:transactions:{month_index}:{piece}")
    year, month = MONTHS[month_index]
    start, length = _epoch(date(year, month, 1)), calendar.monthrange(year, month)[1]
    originals = rows - int(rows * CREDIT_NOTE_SHARE)
    day_weight = np.where(np.arange(length) >= 14, 2.4 if month % 3 == 0 else 1.2, 1.0)
    booked = start + rng.choice(length, rows, p=day_weight / day_weight.sum())
    product = rng.integers(0, len(PRODUCTS), rows)
    currency = rng.choice(3, rows, p=[0.7, 0.2, 0.1])
    discount_pct = rng.integers(0, 36, rows)
    unit_cents = np.round(LIST_CENTS[product] * (100 - discount_pct) / 100 * FX[currency]).astype(np.int64)
    quantity = np.maximum(1, np.round(rng.lognormal(1.2, 1.0, rows))).astype(np.int64)
    amount = quantity * unit_cents * 100  # ten-thousandths
    cost = quantity * np.round(COST_CENTS[product] * FX[currency]).astype(np.int64) * 100
    owner = rng.integers(0, len(reps), rows)
    account = rng.integers(0, len(accounts), rows)
    deal_type = rng.choice(3, rows, p=[0.5, 0.3, 0.2])
    contract_start = booked + rng.integers(1, 15, rows)
    # the last rows are credit notes, each negating one earlier line of the month
    original = np.full(rows, -1, dtype=np.int64)
    source = rng.integers(0, max(1, originals), rows - originals)
    for column in (product, currency, quantity, amount, cost, owner, account, deal_type, contract_start):
        column[originals:] = column[source]
    amount[originals:], cost[originals:], quantity[originals:] = -amount[originals:], -cost[originals:], -quantity[originals:]
    booked[originals:] = np.minimum(booked[source] + rng.integers(1, 20, rows - originals), start + length - 1)
    original[originals:] = first_row + source
    columns = dict(booked=booked, product=product, currency=currency, quantity=quantity, amount=amount, cost=cost,
                   owner=owner, account=account, original=original, deal_type=deal_type, contract_start=contract_start)
    return _table(first_row, rows, originals, columns, rng, reps, accounts, skus)


def _table(first_row: int, rows: int, originals: int, c: dict[str, np.ndarray], rng: np.random.Generator,
           reps: pa.Array, accounts: pa.Array, skus: pa.Array) -> pa.Table:
    booked, contract_start = c["booked"], c["contract_start"]
    number = first_row + np.arange(rows)
    invoiced = booked + rng.integers(0, 30, rows)
    paid = invoiced + rng.integers(30, 75, rows)
    as_of = _epoch(AS_OF)
    status = np.where(paid <= as_of, 2, np.where(invoiced <= as_of, 1, 0))
    is_note = np.arange(rows) >= originals
    status[is_note] = 3
    return pa.table({
        "external_id": codes("T", number, 10),
        "kind": pc.if_else(pa.array(is_note), "credit_note", "booking"),
        "order_number": codes("SO", number // 3, 9),
        "booked_date": day_numbers(booked),
        "invoiced_date": pc.if_else(pa.array(invoiced <= as_of), day_numbers(invoiced), pa.scalar(None, pa.date32())),
        "paid_date": pc.if_else(pa.array((paid <= as_of) & ~is_note), day_numbers(paid), pa.scalar(None, pa.date32())),
        "account": pc.take(accounts, pa.array(c["account"])),
        "product": pc.take(skus, pa.array(c["product"])),
        "opportunity": pa.nulls(rows, pa.string()),
        "quantity": decimals(c["quantity"] * 10_000),
        "amount": decimals(c["amount"]),
        "currency": pc.take(pa.array(CURRENCIES), pa.array(c["currency"])),
        "cost": decimals(c["cost"]),
        "deal_type": pc.take(DEAL_TYPES, pa.array(c["deal_type"])),
        "owner_position": pc.take(reps, pa.array(c["owner"])),
        "status": pc.take(STATUSES, pa.array(status)),
        "contract_start": day_numbers(contract_start),
        "contract_end": day_numbers(contract_start + 364),
        "original": pc.if_else(pa.array(c["original"] >= 0), codes("T", np.maximum(c["original"], 0), 10),
                               pa.scalar(None, pa.string())),
    })


def write_transactions(spec: ScaleSpec, path: Path, reps: pa.Array, accounts: pa.Array, skus: pa.Array,
                       progress: Callable[[int], None]) -> int:
    written = 0
    writer = None
    try:
        for index, month_rows in enumerate(rows_per_month(spec.n_transactions)):
            for piece, start in enumerate(range(0, int(month_rows), CHUNK_ROWS)):
                rows = min(CHUNK_ROWS, int(month_rows) - start)
                chunk = month_chunk(spec, index, piece, written, rows, reps, accounts, skus)
                writer = writer or pq.ParquetWriter(path, chunk.schema, compression="snappy")
                writer.write_table(chunk, row_group_size=len(chunk))
                written += len(chunk)
                progress(len(chunk))
    finally:
        if writer is not None:
            writer.close()
    return written
