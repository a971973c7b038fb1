"""Column specs: what each entity's file holds (name, type, required, example, description)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from attain.io.kinds import Boolean, Choice, Code, Date, Integer, Number, Text

Kind = Text | Code | Choice | Date | Number | Integer | Boolean
# A row rule gets the parsed columns and returns {row index: (column, reason)}.
RowRule = Callable[[dict[str, list[Any]]], dict[int, tuple[str, str]]]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    example: str = ""
    description: str = ""
    refers_to: str | None = None  # "accounts.external_id": a natural key of another entity
    default: Any = None

    def type_label(self) -> str:
        label = self.kind.describe()
        return f"{label} → {self.refers_to}" if self.refers_to else label


@dataclass(frozen=True)
class Entity:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the upsert key: rows with the same key are the same record
    rules: tuple[RowRule, ...] = ()
    effective_dated: bool = False
    notes: str = ""
    column_index: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_index", {c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self.column_index[name]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def ref(name: str, refers_to: str, required: bool = False, example: str = "", description: str = "",
        upper: bool = False) -> Column:
    return Column(name, Code(64, upper=upper), required, example, description, refers_to)


def valid_dates(required_from: bool = True) -> tuple[Column, ...]:
    return (
        Column("valid_from", Date(), required_from, "2026-01-01", "First day the record applies."),
        Column("valid_to", Date(), False, "2026-12-31", "Last day it applies; empty = until further notice."),
    )


def not_before(later: str, earlier: str, reason: str) -> RowRule:
    """A rule: `later` (when given) is on or after `earlier`."""

    def rule(columns: dict[str, list[Any]]) -> dict[int, tuple[str, str]]:
        if later not in columns or earlier not in columns:
            return {}
        return {i: (later, reason) for i, (a, b) in enumerate(zip(columns[later], columns[earlier], strict=True))
                if a is not None and b is not None and a < b}

    return rule


def currency_ref(required: bool = True, description: str = "Currency code (ISO 4217).") -> Column:
    return ref("currency", "currencies.code", required, "USD", description, upper=True)
