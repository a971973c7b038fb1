"""Column specs for accounts, products, territories, transactions, opportunities and activities."""

from __future__ import annotations

from decimal import Decimal

from attain.engine.money import show_percent
from attain.io.kinds import Boolean, Choice, Code, Date, Integer, Number, Text
from attain.io.schema import Column, Entity, currency_ref, not_before, ref, valid_dates

MONEY = Number(15, 4)
POSITIVE_MONEY = Number(15, 4, minimum=Decimal(0))
DEAL_TYPES = Choice(("new", "expansion", "renewal"))
TRANSACTION_KINDS = Choice(("order", "booking", "invoice", "payment", "credit_note"))
TRANSACTION_STATUSES = Choice(("booked", "invoiced", "paid", "cancelled", "refunded"))


def _credit_note_rules(columns):
    problems = {}
    for i, (kind, original, own) in enumerate(zip(columns["kind"], columns["original"], columns["external_id"],
                                                  strict=True)):
        if kind == "credit_note" and not original:
            problems[i] = ("original", "a credit note must name the line it reverses: give its external_id")
        elif original is not None and original == own:
            problems[i] = ("original", "a line cannot reverse itself: give the external_id of the original line")
    return problems


def _named_account_rules(columns):
    problems = {}
    for i, (kind, value, account) in enumerate(zip(columns["kind"], columns["value"], columns["account"], strict=True)):
        if kind == "named_account" and not account:
            problems[i] = ("account", "a named-account rule needs the account's external_id")
        elif kind != "named_account" and not value:
            problems[i] = ("value", f"a {kind} rule needs a value to match")
    return problems


def _activity_rules(columns):
    return {i: ("opportunity", "an activity concerns an opportunity or an account: give at least one")
            for i, (opp, acc) in enumerate(zip(columns["opportunity"], columns["account"], strict=True))
            if not opp and not acc}


ACCOUNTS = Entity("accounts", "Customers.", (
    Column("external_id", Code(64), True, "0015g00000ABCDE", "The CRM's account id; the import key."),
    Column("name", Text(200), True, "Acme Corp", "Account name."),
    Column("industry", Text(60), False, "Manufacturing", "Industry."),
    Column("segment", Choice(("enterprise", "mid_market", "smb")), False, "enterprise", "Segment."),
    Column("employees", Integer(0), False, "1200", "Number of employees."),
    Column("annual_revenue", MONEY, False, "250000000", "Annual revenue."),
    Column("country", Code(2, upper=True), True, "US", "ISO 3166 alpha-2 country code."),
    Column("region", Text(60), False, "CA", "State, province or county."),
    Column("city", Text(80), False, "San Francisco", "City."),
    Column("postal_code", Text(16), False, "94105", "Postal code."),
    Column("latitude", Number(9, 6, Decimal(-90), Decimal(90)), False, "37.789", "Latitude."),
    Column("longitude", Number(9, 6, Decimal(-180), Decimal(180)), False, "-122.394", "Longitude."),
    ref("parent", "accounts.external_id", False, "", "Parent account (in the database or the same file)."),
), key=("external_id",))

PRODUCT_FAMILIES = Entity("product_families", "Product families.", (
    Column("code", Code(40), True, "ANALYTICS", "Family code; the import key."),
    Column("name", Text(120), True, "Analytics", "Family name."),
), key=("code",))

PRODUCTS = Entity("products", "What we sell.", (
    Column("sku", Code(64), True, "AN-PRO-1Y", "Stock keeping unit; the import key."),
    Column("name", Text(200), True, "Analytics Pro (1 year)", "Product name."),
    ref("family", "product_families.code", True, "ANALYTICS", "Product family."),
    Column("list_price", POSITIVE_MONEY, True, "12000.00", "List price."),
    Column("unit_cost", POSITIVE_MONEY, True, "1500.00", "Unit cost."),
    currency_ref(),
    Column("recurring", Boolean(), False, "true", "Subscription rather than one-off. Default true.", default=True),
    Column("active", Boolean(), False, "true", "Still sold. Default true.", default=True),
), key=("sku",))

TERRITORIES = Entity("territories", "Territory hierarchy.", (
    Column("code", Code(40), True, "WEST-1", "Territory code; the import key."),
    Column("name", Text(120), True, "West 1", "Territory name."),
    Column("level", Choice(("company", "region", "area", "territory")), False, "territory", "Default territory.",
           default="territory"),
    ref("parent", "territories.code", False, "WEST", "Parent territory (in the database or the same file)."),
), key=("code",))

TERRITORY_RULES = Entity("territory_rules", "Conditions for an account to belong to a territory.", (
    ref("territory", "territories.code", True, "WEST-1", "The territory."),
    Column("kind", Choice(("country", "region", "postal_prefix", "industry", "segment", "named_account")), True,
           "country", "What the rule matches on."),
    Column("value", Text(120), False, "US", "Value to match (empty for named accounts)."),
    ref("account", "accounts.external_id", False, "", "For named-account rules: the account."),
    Column("priority", Integer(0, 32767), False, "100", "Lower wins. Default 100.", default=100),
    *valid_dates(),
), key=("territory", "kind", "value", "account", "valid_from"), rules=(_named_account_rules,), effective_dated=True)

TERRITORY_POSITIONS = Entity("territory_positions", "Which position covers which territory, effective-dated.", (
    ref("territory", "territories.code", True, "WEST-1", "The territory."),
    ref("position", "positions.code", True, "AE-WEST-03", "The covering position."),
    Column("role", Choice(("primary", "overlay")), False, "primary", "Default primary.", default="primary"),
    *valid_dates(),
), key=("territory", "position", "valid_from"), effective_dated=True)

ACCOUNT_TERRITORIES = Entity("account_territories", "Which territory an account belongs to, effective-dated.", (
    ref("account", "accounts.external_id", True, "0015g00000ABCDE", "The account."),
    ref("territory", "territories.code", True, "WEST-1", "The territory."),
    Column("source", Choice(("rule", "manual")), False, "manual", "Default manual.", default="manual"),
    *valid_dates(),
), key=("account", "valid_from"), effective_dated=True, notes="An account is in one territory at a time.")

TRANSACTIONS = Entity("transactions", "Order, booking, invoice and payment lines, and credit notes.", (
    Column("external_id", Code(64), True, "INV-2026-000123-1", "The source system's line id; the import key."),
    Column("kind", TRANSACTION_KINDS, False, "booking", "Default booking.", default="booking"),
    Column("order_number", Text(64), False, "SO-88812", "Order number."),
    Column("booked_date", Date(), True, "2026-03-14", "Booking date."),
    Column("invoiced_date", Date(), False, "2026-03-20", "Invoice date (not before booked_date)."),
    Column("paid_date", Date(), False, "", "Payment date."),
    ref("account", "accounts.external_id", True, "0015g00000ABCDE", "The customer."),
    ref("product", "products.sku", False, "AN-PRO-1Y", "The product."),
    ref("opportunity", "opportunities.external_id", False, "0065g00000XYZ", "The opportunity."),
    Column("quantity", MONEY, False, "1", "Quantity. Default 1.", default=Decimal(1)),
    Column("amount", MONEY, True, "12000.00", "Line amount; negative for credit notes."),
    currency_ref(),
    Column("cost", MONEY, False, "1500.00", "Cost of the line, same currency."),
    Column("deal_type", DEAL_TYPES, False, "new", "Default new.", default="new"),
    ref("owner_position", "positions.code", False, "AE-WEST-03", "The position that owns the line."),
    Column("status", TRANSACTION_STATUSES, False, "booked", "Default booked.", default="booked"),
    Column("contract_start", Date(), False, "2026-04-01", "Contract start."),
    Column("contract_end", Date(), False, "2027-03-31", "Contract end (not before contract_start)."),
    ref("original", "transactions.external_id", False, "", "For a credit note: the line it reverses."),
), key=("external_id",), rules=(
    not_before("invoiced_date", "booked_date", "is before booked_date: a line cannot be invoiced before it is booked"),
    not_before("contract_end", "contract_start", "is before contract_start: the contract ends before it starts"),
    _credit_note_rules,
))

def _split_totals(columns):
    """The shares given for one transaction in a file may not add up to more than 100%."""
    totals: dict[str, Decimal] = {}
    for transaction, share in zip(columns["transaction"], columns["share"], strict=True):
        if transaction is not None and share is not None:
            totals[transaction] = totals.get(transaction, Decimal(0)) + share
    return {i: ("share", f"the shares for transaction {t!r} add up to {show_percent(totals[t])}, more than 100%: correct them")
            for i, t in enumerate(columns["transaction"]) if t in totals and totals[t] > 1}


CREDIT_SPLITS = Entity("credit_splits", "Split credit: a transaction's credit shared among positions.", (
    ref("transaction", "transactions.external_id", True, "INV-2026-000123-1", "The transaction."),
    ref("position", "positions.code", True, "AE-WEST-03", "A position receiving a share of the credit."),
    Column("share", Number(15, 8, Decimal("0.00000001"), Decimal(1)), True, "0.7",
           "Fraction of the credit (0.7 = 70%); the shares of one transaction add up to 1."),
), key=("transaction", "position"), rules=(_split_totals,),
    notes="When a transaction has splits, direct credit follows them instead of the owner position.")

OPPORTUNITIES = Entity("opportunities", "Sales opportunities (deals).", (
    Column("external_id", Code(64), True, "0065g00000XYZ", "The CRM's opportunity id; the import key."),
    Column("name", Text(200), True, "Acme – Analytics Pro", "Opportunity name."),
    ref("account", "accounts.external_id", True, "0015g00000ABCDE", "The customer."),
    ref("owner_position", "positions.code", True, "AE-WEST-03", "The owning position."),
    ref("sourced_by_position", "positions.code", False, "SDR-WEST-01",
        "The SDR or partner manager who sourced it (credited by the sourced and pipeline credit rules)."),
    ref("product_family", "product_families.code", False, "ANALYTICS", "Product family."),
    Column("deal_type", DEAL_TYPES, False, "new", "Default new.", default="new"),
    Column("amount", MONEY, True, "48000.00", "Amount."),
    currency_ref(),
    Column("stage", Text(40), True, "Negotiation", "Current stage."),
    Column("created_date", Date(), True, "2026-01-10", "Creation date."),
    Column("expected_close_date", Date(), True, "2026-03-31", "Expected close date."),
    Column("closed_date", Date(), False, "", "Actual close date."),
    Column("outcome", Choice(("open", "won", "lost")), False, "open", "Default open.", default="open"),
    Column("loss_reason", Text(120), False, "", "Why it was lost."),
), key=("external_id",))

OPPORTUNITY_STAGES = Entity("opportunity_stages", "Stage history of opportunities.", (
    ref("opportunity", "opportunities.external_id", True, "0065g00000XYZ", "The opportunity."),
    Column("stage", Text(40), True, "Proposal", "Stage entered."),
    Column("entered_on", Date(), True, "2026-02-02", "Day it entered the stage."),
    Column("amount", MONEY, False, "48000.00", "Amount at this stage."),
), key=("opportunity", "stage", "entered_on"))

CUSTOMER_PAYMENTS = Entity("customer_payments", "Customers' payments of transactions, whole or in part.", (
    Column("external_id", Code(64), True, "RCPT-2026-0042", "The finance system's receipt id; the import key."),
    ref("transaction", "transactions.external_id", True, "INV-2026-000123-1", "The transaction paid."),
    Column("paid_on", Date(), True, "2026-04-12", "Day the payment was received."),
    Column("amount", MONEY, True, "6000.00", "Amount paid, in the transaction's currency (above 0)."),
), key=("external_id",), notes="A plan that holds commission until payment (hold: {until: payment}) releases it "
                               "pro rata to what the customer has paid; without payments here a transaction's "
                               "paid_date counts as paid in full.")

ACTIVITIES = Entity("activities", "Calls, e-mails, meetings and demos.", (
    Column("external_id", Code(64), True, "00T5g000001", "The CRM's activity id; the import key."),
    ref("participant", "participants.employee_id", True, "E-1001", "Who did it."),
    ref("opportunity", "opportunities.external_id", False, "0065g00000XYZ", "The opportunity."),
    ref("account", "accounts.external_id", False, "0015g00000ABCDE", "The account."),
    Column("kind", Choice(("call", "email", "meeting", "demo")), True, "meeting", "Kind of activity."),
    Column("occurred_on", Date(), True, "2026-02-03", "Day it happened."),
    Column("duration_minutes", Integer(0), False, "30", "Duration. Default 0.", default=0),
    Column("qualified", Boolean(), False, "false", "A qualified meeting. Default false.", default=False),
    Column("subject", Text(200), False, "Discovery call", "Subject."),
), key=("external_id",), rules=(_activity_rules,))
