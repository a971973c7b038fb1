"""Column names of CRM exports (Salesforce, HubSpot) mapped to Attain's columns.

A mapping renames columns (the first CRM column present wins), translates a few CRM values
(stage names, deal types) and derives columns the CRM does not export (outcome from the stage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from attain.io.reading import Table


@dataclass(frozen=True)
class Derived:
    """Fill `column` from `source` through `values` (lower-cased keys), else `otherwise`."""

    source: str
    values: dict[str, str]
    otherwise: str = ""
    copy_when: tuple[str, ...] = ()  # instead of mapping values: copy source when this column's value is in here
    condition_column: str = ""


@dataclass(frozen=True)
class Mapping:
    crm: str
    entity: str
    columns: dict[str, tuple[str, ...]]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    derived: dict[str, Derived] = field(default_factory=dict)
    notes: str = ""


OUTCOME_FROM_STAGE = Derived("stage", {"closed won": "won", "closedwon": "won", "closed lost": "lost",
                                       "closedlost": "lost"}, "open")
CLOSED_ON_CLOSE_DATE = Derived("expected_close_date", {}, copy_when=("won", "lost"), condition_column="outcome")
DEAL_TYPES = {"new business": "new", "newbusiness": "new", "new customer": "new", "existing business": "expansion",
              "existingbusiness": "expansion", "upsell": "expansion", "renewal": "renewal"}

SALESFORCE_OPPORTUNITIES = Mapping("salesforce", "opportunities", {
    "external_id": ("Opportunity ID", "Id"),
    "name": ("Opportunity Name", "Name"),
    "account": ("Account ID", "AccountId"),
    "owner_position": ("Owner Role", "Opportunity Owner"),
    "amount": ("Amount",),
    "currency": ("Opportunity Currency", "Currency", "CurrencyIsoCode"),
    "stage": ("Stage", "StageName"),
    "created_date": ("Created Date", "CreatedDate"),
    "expected_close_date": ("Close Date", "CloseDate"),
    "deal_type": ("Type",),
    "loss_reason": ("Loss Reason", "Closed Lost Reason"),
    "product_family": ("Product Family",),
}, values={"deal_type": DEAL_TYPES}, derived={"outcome": OUTCOME_FROM_STAGE, "closed_date": CLOSED_ON_CLOSE_DATE},
    notes="owner_position takes Owner Role (or Opportunity Owner when there is no Owner Role): the value must be "
          "a position code. outcome is won for Closed Won, lost for Closed Lost, otherwise open; closed_date is "
          "the Close Date of won and lost opportunities.")

HUBSPOT_OPPORTUNITIES = Mapping("hubspot", "opportunities", {
    "external_id": ("Record ID", "Deal ID"),
    "name": ("Deal Name",),
    "account": ("Associated Company IDs (Primary)", "Associated Company ID", "Company ID", "Company name"),
    "owner_position": ("Deal owner", "Deal Owner"),
    "amount": ("Amount",),
    "currency": ("Currency", "Deal currency code"),
    "stage": ("Deal Stage",),
    "created_date": ("Create Date",),
    "expected_close_date": ("Close Date",),
    "deal_type": ("Deal Type",),
    "loss_reason": ("Closed Lost Reason",),
}, values={"deal_type": DEAL_TYPES}, derived={"outcome": OUTCOME_FROM_STAGE, "closed_date": CLOSED_ON_CLOSE_DATE},
    notes="account takes the associated company id (or Company name: then accounts must be imported with the "
          "company name as external_id); Deal owner must be a position code. Dates may carry a midnight time.")

SALESFORCE_ACCOUNTS = Mapping("salesforce", "accounts", {
    "external_id": ("Account ID", "Id"),
    "name": ("Account Name", "Name"),
    "industry": ("Industry",),
    "employees": ("Employees", "NumberOfEmployees"),
    "annual_revenue": ("Annual Revenue", "AnnualRevenue"),
    "country": ("Billing Country", "BillingCountry", "Billing Country Code"),
    "region": ("Billing State/Province", "BillingState"),
    "city": ("Billing City", "BillingCity"),
    "postal_code": ("Billing Zip/Postal Code", "BillingPostalCode"),
    "parent": ("Parent Account ID", "ParentId"),
}, notes="Billing Country must hold the two-letter ISO code (enable State and Country picklists and export the code).")

HUBSPOT_ACCOUNTS = Mapping("hubspot", "accounts", {
    "external_id": ("Record ID", "Company ID"),
    "name": ("Company name", "Company Name"),
    "industry": ("Industry",),
    "employees": ("Number of Employees",),
    "annual_revenue": ("Annual Revenue",),
    "country": ("Country/Region", "Country"),
    "region": ("State/Region",),
    "city": ("City",),
    "postal_code": ("Postal Code",),
    "parent": ("Parent Company ID",),
}, notes="Country/Region must hold the two-letter ISO code.")

MAPPINGS: dict[tuple[str, str], Mapping] = {(m.crm, m.entity): m for m in (
    SALESFORCE_OPPORTUNITIES, HUBSPOT_OPPORTUNITIES, SALESFORCE_ACCOUNTS, HUBSPOT_ACCOUNTS)}
CRMS = ("salesforce", "hubspot")


class UnknownMapping(KeyError):
    def __init__(self, crm: str, entity: str) -> None:
        known = ", ".join(f"--mapping {c} for {e}" for c, e in MAPPINGS)
        super().__init__(f"There is no {crm!r} mapping for {entity}. Available: {known}.")
        self.message = self.args[0]


def mapping_for(crm: str, entity: str) -> Mapping:
    try:
        return MAPPINGS[(crm.strip().lower(), entity)]
    except KeyError:
        raise UnknownMapping(crm, entity) from None


def apply_mapping(table: Table, mapping: Mapping) -> Table:
    """The table with CRM column names renamed and CRM values translated."""
    header, columns = list(table.header), list(table.columns)
    renamed: dict[str, str] = {}
    for ours, theirs in mapping.columns.items():
        if ours in header:
            continue
        found = next((name for name in theirs if name in header), None)
        if found is not None:
            renamed[found] = ours
    header = [renamed.get(name, name) for name in header]
    for ours, translation in mapping.values.items():
        if ours in header:
            index = header.index(ours)
            columns[index] = [translation.get(cell.strip().lower(), cell) for cell in columns[index]]
    for ours, rule in mapping.derived.items():
        if ours not in header and rule.source in header:
            columns.append(_derive(rule, header, columns))
            header.append(ours)
    return Table(table.file, header, columns, table.row_numbers, table.problems, table.warnings)


def _derive(rule: Derived, header: list[str], columns: list[list[str]]) -> list[str]:
    source = columns[header.index(rule.source)]
    if rule.condition_column:
        if rule.condition_column not in header:
            return [""] * len(source)
        condition = columns[header.index(rule.condition_column)]
        return [cell if flag in rule.copy_when else "" for cell, flag in zip(source, condition, strict=True)]
    return [rule.values.get(cell.strip().lower(), rule.otherwise) for cell in source]
