"""The plan editor's structured form: the frequent parts of a plan document as fields, written back into the document.

The form covers the plan's name and currency and, per component, its measure, scope, quota, payout (an amount or a
share of the target incentive), rate table (flat, or marginal / whole-amount tiers with their rates or amounts) and
cap. Everything else (credit rules, measures and their filters, dated rate tables, curves, matrices, kickers, gates,
MBOs, plan-level terms) is edited in the YAML view: the form leaves those parts of the document as they are. Writing
the form back re-writes the YAML without its comments (the page says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml

from attain.engine import exact_yaml

SCOPES = ("per_transaction", "period", "quarter_to_date", "year_to_date")
QUOTAS = ("", "period", "quarter", "year")
METHODS = ("flat", "marginal", "whole_amount")
BASES = ("amount", "attainment")
PAYOUTS = ("amount", "percent_of_target")
BLANK_TIERS = 2  # empty rows under a component's tiers, to add tiers without JavaScript
TIER_KEYS = ("from", "to", "rate", "amount")


@dataclass
class ComponentForm:
    index: int
    name: str
    editable: bool
    why_not: str = ""  # when not editable: which part needs the YAML view
    measure: str = ""
    scope: str = ""
    quota: str = ""
    payout: str = "amount"  # or percent_of_target: the table gives a fraction of the annual target incentive
    method: str = ""
    basis: str = ""
    rate: str = ""  # a flat table's rate
    tiers: list[dict[str, str]] = field(default_factory=list)
    cap_amount: str = ""
    cap_percent: str = ""


@dataclass
class PlanForm:
    name: str
    currency: str
    measures: list[str]
    components: list[ComponentForm]
    scopes: tuple[str, ...] = SCOPES
    quotas: tuple[str, ...] = QUOTAS
    methods: tuple[str, ...] = METHODS
    bases: tuple[str, ...] = BASES
    payouts: tuple[str, ...] = PAYOUTS


def parse(text: str) -> dict | None:
    """The document as data, or None when it is not a YAML/JSON mapping (the form then waits for the YAML view)."""
    try:
        raw = exact_yaml.load(text)
    except yaml.YAMLError:
        return None
    return raw if isinstance(raw, dict) else None


def plan_form(raw: dict) -> PlanForm:
    measures = [m.get("name", "") for m in raw.get("measures") or [] if isinstance(m, dict)]
    components = [_component_form(i, c) for i, c in enumerate(raw.get("components") or []) if isinstance(c, dict)]
    return PlanForm(_text(raw.get("name")), _text(raw.get("currency")), measures, components)


def _component_form(index: int, raw: dict) -> ComponentForm:
    name = _text(raw.get("name"))
    why_not = _why_not(raw)
    if why_not:
        return ComponentForm(index, name, False, why_not)
    table = raw.get("rate_table") or {}
    cap = raw.get("cap") if isinstance(raw.get("cap"), dict) else {}
    tiers = [{key: _text(tier.get(key)) for key in TIER_KEYS} for tier in table.get("tiers") or []]
    tiers += [dict.fromkeys(TIER_KEYS, "") for _ in range(BLANK_TIERS)]
    return ComponentForm(index, name, True, measure=_text(raw.get("measure")), scope=_text(raw.get("scope")),
                         quota=_text(raw.get("quota")), payout=_text(raw.get("payout")) or "amount",
                         method=_text(table.get("method")),
                         basis=_text(table.get("basis")), rate=_text(table.get("rate")), tiers=tiers,
                         cap_amount=_text(cap.get("amount")), cap_percent=_text(cap.get("percent_of_target")))


def _why_not(raw: dict) -> str:
    if raw.get("type") == "mbo":
        return "an MBO component (objectives)"
    for key, what in (("rate_tables", "dated rate tables"), ("matrix", "a rate matrix")):
        if raw.get(key) is not None:
            return what
    table = raw.get("rate_table")
    if not isinstance(table, dict):
        return "no rate table"
    if table.get("method") not in METHODS:
        return f"a {table.get('method') or 'method-less'} rate table"
    if any(not isinstance(t, dict) for t in table.get("tiers") or []):
        return "tiers that are not mappings"
    return ""


def apply_form(raw: dict, data) -> dict:
    """The document with the form's fields written into it (`data`: the POSTed fields); other parts untouched."""
    raw = dict(raw)
    for key in ("name", "currency"):
        if key in data:
            raw[key] = data[key].strip()
    components = list(raw.get("components") or [])
    for i, component in enumerate(components):
        if isinstance(component, dict) and f"c{i}-name" in data and not _why_not(component):
            components[i] = _apply_component(component, data, f"c{i}-")
    raw["components"] = components
    return raw


def _apply_component(raw: dict, data, prefix: str) -> dict:
    raw = dict(raw)
    for key in ("name", "measure", "scope"):
        raw[key] = data.get(prefix + key, "").strip()
    quota = data.get(prefix + "quota", "").strip()
    if quota:
        raw["quota"] = quota
    else:
        raw.pop("quota", None)
    payout = data.get(prefix + "payout", "amount").strip()
    if payout != "amount" or "payout" in raw:
        raw["payout"] = payout
    raw["rate_table"] = _rate_table(raw.get("rate_table") or {}, data, prefix)
    cap = _cap(raw.get("cap") if isinstance(raw.get("cap"), dict) else {}, data, prefix)
    if cap:
        raw["cap"] = cap
    else:
        raw.pop("cap", None)
    return raw


def _rate_table(table: dict, data, prefix: str) -> dict:
    method = data.get(prefix + "method", "").strip()
    kept = {k: v for k, v in table.items() if k not in ("method", "basis", "rate", "tiers")}
    if method == "flat":
        return {"method": "flat", "rate": _number(data.get(prefix + "rate", "")), **kept}
    tiers = []
    for j in range(len(data.getlist(prefix + "tier-from")) if hasattr(data, "getlist") else 0):
        row = {key: data.getlist(prefix + f"tier-{key}")[j].strip() for key in TIER_KEYS}
        if any(row.values()):
            tiers.append({key: _number(value) for key, value in row.items() if value})
    return {"method": method, "basis": data.get(prefix + "basis", "").strip(), **kept, "tiers": tiers}


def _cap(cap: dict, data, prefix: str) -> dict:
    kept = {k: v for k, v in cap.items() if k not in ("amount", "percent_of_target")}
    amount, percent = (data.get(prefix + key, "").strip() for key in ("cap-amount", "cap-percent"))
    found = {**({"amount": _number(amount)} if amount else {}),
             **({"percent_of_target": _number(percent)} if percent else {})}
    return {**found, **kept} if found else {}


def _number(text: str) -> Decimal | int | str:
    """A number as written (exact), or the text itself so that the plan loader names what is wrong with it."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return text
    return int(value) if value == value.to_integral_value() and "." not in text else value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


class _DocumentDumper(yaml.SafeDumper):
    """Plan documents with exact numbers (Decimal written as written) and short lists on one line."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    if "." not in text:
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_DocumentDumper.add_representer(Decimal, _decimal)


def dump(raw: dict) -> str:
    return yaml.dump(raw, Dumper=_DocumentDumper, sort_keys=False, default_flow_style=None, allow_unicode=True,
                     width=110)
