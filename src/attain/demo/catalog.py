"""What the demo company sells: five product families, twenty products, list prices in USD."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from attain.demo.rows import Table

FAMILIES = {
    "PLATFORM": "Platform",
    "DATA": "Data",
    "ANALYTICS": "Analytics",
    "SECURITY": "Security",
    "SERVICES": "Services",
}


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    family: str
    list_price: int  # USD per unit per year (recurring) or per unit (one-off)
    cost_share: float  # unit cost as a share of list price
    recurring: bool = True


PRODUCTS = [
    ProductSpec("PLT-CORE", "Attain Platform Core (per seat)", "PLATFORM", 900, 0.12),
    ProductSpec("PLT-ENT", "Platform Enterprise Edition (per seat)", "PLATFORM", 1500, 0.14),
    ProductSpec("PLT-API", "API Access Pack (per 1M calls)", "PLATFORM", 4000, 0.20),
    ProductSpec("PLT-SBX", "Sandbox Environment", "PLATFORM", 6000, 0.25),
    ProductSpec("DAT-LAKE", "Data Lake Storage (per TB)", "DATA", 2400, 0.35),
    ProductSpec("DAT-PIPE", "Data Pipelines (per connector)", "DATA", 3000, 0.18),
    ProductSpec("DAT-QUAL", "Data Quality Monitor", "DATA", 12000, 0.15),
    ProductSpec("DAT-GOV", "Data Governance Suite", "DATA", 24000, 0.16),
    ProductSpec("ANL-DASH", "Dashboards (per creator)", "ANALYTICS", 1200, 0.10),
    ProductSpec("ANL-VIEW", "Analytics Viewer (per 10 viewers)", "ANALYTICS", 1800, 0.08),
    ProductSpec("ANL-FCST", "Forecasting Module", "ANALYTICS", 18000, 0.15),
    ProductSpec("ANL-AI", "AI Insights Add-on", "ANALYTICS", 30000, 0.30),
    ProductSpec("SEC-SSO", "Single Sign-On & SCIM", "SECURITY", 5000, 0.10),
    ProductSpec("SEC-AUD", "Audit Vault", "SECURITY", 15000, 0.18),
    ProductSpec("SEC-DLP", "Data Loss Prevention", "SECURITY", 28000, 0.22),
    ProductSpec("SEC-KMS", "Customer-Managed Keys", "SECURITY", 20000, 0.20),
    ProductSpec("SVC-ONB", "Onboarding Package", "SERVICES", 15000, 0.55, recurring=False),
    ProductSpec("SVC-IMP", "Implementation (per day)", "SERVICES", 2200, 0.62, recurring=False),
    ProductSpec("SVC-TRN", "Training Workshop", "SERVICES", 4500, 0.50, recurring=False),
    ProductSpec("SVC-PSP", "Premium Support", "SERVICES", 20000, 0.40),
]

BY_SKU = {p.sku: p for p in PRODUCTS}
OVERLAY_FAMILIES = ("DATA", "ANALYTICS", "SECURITY")


def generate_catalog() -> list[Table]:
    currencies = Table("core.Currency")
    for code, name in (("USD", "US dollar"), ("EUR", "Euro"), ("GBP", "Pound sterling")):
        currencies.add(code=code, name=name, minor_units=2, rounding="half_up")
    families = Table("catalog.ProductFamily")
    for code, name in FAMILIES.items():
        families.add(code=code, name=name)
    products = Table("catalog.Product")
    for p in PRODUCTS:
        products.add(
            sku=p.sku, name=p.name, family=p.family, list_price=Decimal(p.list_price),
            unit_cost=Decimal(int(p.list_price * p.cost_share)), currency="USD", recurring=p.recurring, active=True,
        )
    return [currencies, families, products]
