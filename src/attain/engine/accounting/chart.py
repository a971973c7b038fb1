"""The chart of accounts that commission entries post to: a code and a name per role, configurable.

Attain does not own the general ledger; it writes entries a finance team imports into theirs. Each
role below is one account in that ledger, and the codes default to a plain numbering a company replaces
with its own (`Chart.load({"commission_expense": {"code": "6420", "name": "Sales commissions"}})`).

| role | kind | what its balance means |
| --- | --- | --- |
| commission_expense | expense | commissions recognised as cost: earned and not capitalised, amortised, impaired, draws not recovered |
| accrued_commissions | liability | commissions earned and not yet settled in a pay run; it clears to zero in each settlement |
| commissions_payable | liability | what payroll pays: exactly the rounded payment lines |
| draw_advances | asset | recoverable draws paid ahead of earnings, still to be recovered |
| payee_receivable | asset | what payees owe after negative periods and clawbacks, still to be recovered |
| deferred_commissions | asset | commissions capitalised as costs of obtaining a contract (ASC 340-40, IFRS 15), not yet amortised |
| rounding_differences | expense | the sub-cent differences between the precise amounts and the rounded postings |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

KINDS = ("asset", "liability", "expense")


class AccountingError(ValueError):
    """Entries or settings that cannot be booked; the message says what, where and how to fix it."""


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    kind: str  # asset | liability | expense: the side its balance normally sits on (Dr, Cr, Dr)

    def __post_init__(self) -> None:
        if not self.code.strip() or not self.name.strip():
            raise AccountingError(f"an account needs a code and a name (got code {self.code!r}, name {self.name!r})")
        if self.kind not in KINDS:
            raise AccountingError(f"account {self.code}: kind {self.kind!r} is not one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class Chart:
    """The accounts commission entries post to, by role (see the module's table)."""

    commission_expense: Account = Account("6100", "Commission expense", "expense")
    accrued_commissions: Account = Account("2110", "Accrued commissions", "liability")
    commissions_payable: Account = Account("2120", "Commissions payable", "liability")
    draw_advances: Account = Account("1410", "Draw advances", "asset")
    payee_receivable: Account = Account("1420", "Payee receivable", "asset")
    deferred_commissions: Account = Account("1610", "Deferred commissions", "asset")
    rounding_differences: Account = Account("6190", "Rounding differences", "expense")

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for role, account in self.by_role().items():
            if account.code in seen:
                raise AccountingError(f"account code {account.code} is used for both {seen[account.code]} and "
                                      f"{role}; give each role its own code")
            seen[account.code] = role

    def by_role(self) -> dict[str, Account]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def name_of(self, code: str) -> str:
        for account in self.by_role().values():
            if account.code == code:
                return account.name
        return ""

    @classmethod
    def load(cls, raw: Mapping[str, Mapping[str, str]]) -> Chart:
        """A chart from settings: {role: {"code": ..., "name": ...}}; roles left out keep their default."""
        chart, roles = cls(), cls().by_role()
        changes = {}
        for role, given in raw.items():
            if role not in roles:
                raise AccountingError(f"the chart has no role {role!r}; use one of {', '.join(roles)}")
            unknown = sorted(set(given) - {"code", "name"})
            if unknown:
                raise AccountingError(f"chart role {role}: no field {unknown[0]!r}; give code and name")
            default = roles[role]
            changes[role] = Account(str(given.get("code", default.code)), given.get("name", default.name),
                                    default.kind)
        return replace(chart, **changes)
