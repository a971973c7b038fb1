"""The payroll file layouts Attain ships, as data, and the registry that finds them by name.

`attain` is our own documented layout. The others are *shaped like* a payroll system's import, from
that vendor's public help pages and from third-party exporters' published specifications, not from
the vendor's own template file: compare a file with your tenant's import template before the first
run (docs/payroll-export.md says how, column by column).
"""

from __future__ import annotations

from attain.engine.exports.payroll import (
    ROW_FIELDS,
    Layout,
    PayrollExportError,
    fixed,
    from_row,
    from_setting,
)

ATTAIN = Layout(
    "attain",
    "Attain's own layout: every field of a payroll row, dates as YYYY-MM-DD.",
    tuple(from_row(name, name) for name in ROW_FIELDS),
)

ADP = Layout(
    "adp",
    "Shaped like an ADP Workforce Now paydata import (EPI file): company code, batch, file number, and "
    "the amount as an 'Earnings 3' code and amount.",
    (
        from_setting("Co Code", "company_code", "the ADP company code, 3 characters"),
        from_setting("Batch ID", "batch_id", "the name of the paydata batch the rows are loaded into"),
        from_row("File #", "employee_id"),
        from_row("Earnings 3 Code", "earning_code"),
        from_row("Earnings 3 Amount", "amount"),
    ),
    employee_id_pattern=r"\d{1,6}",
    employee_id_rule="ADP's File # is the employee's file number: 1 to 6 digits",
)

PAYCHEX = Layout(
    "paychex",
    "Shaped like a Paychex Flex Standard Payroll Import (SPI): a fixed order of columns, the amount under "
    "a pay component; the columns Attain does not fill are left empty.",
    (
        from_setting("Client ID", "client_id", "the Paychex client (company) number, up to 8 characters"),
        from_row("Worker ID", "employee_id"),
        fixed("Org"),
        fixed("Job Number"),
        from_row("Pay Component", "earning_code"),
        fixed("Rate"),
        fixed("Rate Number"),
        fixed("Hours"),
        fixed("Units"),
        fixed("Line Date"),
        from_row("Amount", "amount"),
        fixed("Check Seq Number"),
        fixed("Override State"),
        fixed("Override Local"),
        fixed("Override Local Jurisdiction"),
        fixed("Labor Override"),
    ),
    employee_id_pattern=r"[A-Za-z0-9]{1,10}",
    employee_id_rule="Paychex's Worker ID: 1 to 10 letters or digits",
)

WORKDAY = Layout(
    "workday",
    "Shaped like the rows of a Workday EIB for one-time payments: employee, one-time payment plan, "
    "amount, currency and effective date (YYYY-MM-DD).",
    (
        from_row("Employee ID", "employee_id"),
        from_row("One-Time Payment Plan", "earning_code"),
        from_row("Amount", "amount"),
        from_row("Currency", "currency"),
        from_row("Effective Date", "pay_date"),
    ),
)

LAYOUTS = {layout.name: layout for layout in (ATTAIN, ADP, PAYCHEX, WORKDAY)}


def layout_named(name: str) -> Layout:
    """The layout called `name`; an unknown name is an error that lists the known ones."""
    try:
        return LAYOUTS[name]
    except KeyError:
        raise PayrollExportError(f"there is no payroll layout {name!r}; use one of {', '.join(sorted(LAYOUTS))} "
                                 "(docs/payroll-export.md describes each)") from None
