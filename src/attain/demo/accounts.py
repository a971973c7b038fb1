"""About 6,000 customer accounts in real cities, with industries, sizes, segments and parents.

Segment follows employee count: enterprise from 2,000 employees, mid-market from 200, else SMB.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from attain.demo.geo import CITIES, City, postal_code
from attain.demo.rows import Table

ACCOUNT_COUNT = 6000
PARENT_COUNT = 120
INDUSTRIES = ["Software", "Financial services", "Healthcare", "Manufacturing", "Retail", "Media",
              "Education", "Public sector", "Energy", "Telecommunications", "Logistics", "Professional services"]
INDUSTRY_WEIGHTS = [16, 13, 11, 12, 9, 5, 5, 6, 5, 4, 6, 8]
ROOTS = ("Acme Apex Arbor Atlas Aurora Beacon Birch Blue Bright Cardinal Cedar Cobalt Crest Crown Delta Ember "
         "Evergreen Falcon Fern Forge Frontier Granite Harbor Helix Horizon Iron Juniper Keystone Lake Lumen "
         "Maple Meridian Nimbus North Oak Orbit Pacific Peak Pine Pioneer Polar Prairie Quantum Redwood Ridge "
         "River Sage Sierra Silver Solar Spruce Stone Summit Sun Terra Tidal Union Vertex Vista Willow Zenith").split()
NOUNS = {
    "Software": ["Systems", "Labs", "Software", "Cloud"], "Financial services": ["Capital", "Bank", "Insurance", "Partners"],
    "Healthcare": ["Health", "Medical", "Clinics", "Pharma"], "Manufacturing": ["Industries", "Manufacturing", "Works"],
    "Retail": ["Retail", "Stores", "Brands"], "Media": ["Media", "Studios", "Publishing"],
    "Education": ["Learning", "Academy", "University"], "Public sector": ["Agency", "Authority", "Council"],
    "Energy": ["Energy", "Power", "Utilities"], "Telecommunications": ["Telecom", "Networks", "Mobile"],
    "Logistics": ["Logistics", "Freight", "Shipping"], "Professional services": ["Consulting", "Advisory", "Group"],
}
SUFFIX = {"US": "Inc.", "CA": "Inc.", "GB": "Ltd", "IE": "Ltd", "DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SA",
          "BE": "SA", "NL": "B.V.", "ES": "S.L.", "IT": "S.p.A.", "SE": "AB", "DK": "A/S", "PL": "Sp. z o.o.",
          "ZA": "(Pty) Ltd", "AU": "Pty Ltd", "NZ": "Ltd", "SG": "Pte Ltd", "JP": "K.K.", "IN": "Pvt Ltd",
          "KR": "Co., Ltd", "MY": "Sdn Bhd"}


@dataclass
class AccountFacts:
    """What the other generators need to know about an account."""

    external_id: str
    city: City
    segment: str
    industry: str
    postal_code: str
    employees: int


def segment_of(employees: int) -> str:
    if employees >= 2000:
        return "enterprise"
    return "mid_market" if employees >= 200 else "smb"


def generate_accounts(rng: np.random.Generator) -> tuple[Table, list[AccountFacts]]:
    weights = np.array([c.weight for c in CITIES], dtype=float)
    city_index = rng.choice(len(CITIES), size=ACCOUNT_COUNT, p=weights / weights.sum())
    employees = np.maximum(5, rng.lognormal(np.log(200), 1.7, ACCOUNT_COUNT)).astype(int)
    industry_p = np.array(INDUSTRY_WEIGHTS, dtype=float) / sum(INDUSTRY_WEIGHTS)
    industries = rng.choice(len(INDUSTRIES), size=ACCOUNT_COUNT, p=industry_p)
    table, facts = Table("catalog.Account"), []
    for i in range(ACCOUNT_COUNT):
        city, industry = CITIES[city_index[i]], INDUSTRIES[industries[i]]
        staff = int(min(employees[i], 250_000))
        external_id = f"ACC-{i + 1:05d}"
        code = postal_code(city, rng)
        name = f"{rng.choice(ROOTS)} {rng.choice(NOUNS[industry])} {SUFFIX[city.country]}"
        revenue = staff * rng.uniform(90_000, 400_000)
        table.add(
            external_id=external_id, name=name, industry=industry, segment=segment_of(staff), employees=staff,
            annual_revenue=Decimal(int(revenue // 1000) * 1000), country=city.country, region=city.state,
            city=city.name, postal_code=code, latitude=_jitter(city.latitude, rng),
            longitude=_jitter(city.longitude, rng), parent=None,
        )
        facts.append(AccountFacts(external_id, city, segment_of(staff), industry, code, staff))
    _link_parents(table, facts, rng)
    return table, facts


def _jitter(degrees: float, rng: np.random.Generator) -> Decimal:
    return Decimal(round(degrees + rng.normal(0, 0.06), 6)).quantize(Decimal("0.000001"))


def _link_parents(table: Table, facts: list[AccountFacts], rng: np.random.Generator) -> None:
    """The largest enterprises become parents of two or three subsidiaries elsewhere in the world."""
    order = sorted(range(len(facts)), key=lambda i: -facts[i].employees)
    parents = order[:PARENT_COUNT]
    candidates = [i for i in order[PARENT_COUNT:] if facts[i].segment != "smb"]
    children = rng.choice(candidates, size=min(len(candidates), PARENT_COUNT * 5 // 2), replace=False)
    for n, child in enumerate(children):
        parent = table.rows[parents[n % PARENT_COUNT]]
        row = table.rows[int(child)]
        row["parent"] = parent["external_id"]
        row["industry"] = parent["industry"]
        row["name"] = f"{' '.join(str(parent['name']).split()[:2])} {row['city']} {SUFFIX[str(row['country'])]}"
        facts[int(child)].industry = str(parent["industry"])
