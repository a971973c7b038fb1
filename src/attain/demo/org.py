"""The demo sales organisation: positions, the people holding them, and who reports to whom.

Seven first-line teams in four regions (enterprise and commercial teams in the Americas and EMEA,
one mixed team in APAC), SDRs, product overlay specialists and two channel managers. Over the two
years people leave, are replaced (new hires ramp), transfer between positions, are promoted and take
leaves of absence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from attain.demo.geo import REGIONS
from attain.demo.names import person_names
from attain.demo.rows import Table

ORIGIN = date(2020, 1, 1)  # positions of the original organisation exist from this day
REORG = date(2026, 1, 1)  # SDRs move from the region directors to the commercial managers

# (region, team number, segment group, AEs, SDRs)
TEAMS = [
    ("NAE", 1, "ent", 10, 3), ("NAE", 2, "com", 14, 3),
    ("NAW", 1, "ent", 10, 3), ("NAW", 2, "com", 14, 3),
    ("EMEA", 1, "ent", 10, 3), ("EMEA", 2, "com", 14, 3),
    ("APAC", 1, "all", 12, 6),
]
OVERLAYS = [("DATA", "NA"), ("DATA", "EMEA"), ("DATA", "APAC"), ("ANALYTICS", "NA"), ("ANALYTICS", "EMEA"),
            ("ANALYTICS", "APAC"), ("SECURITY", "NAE"), ("SECURITY", "NAW"), ("SECURITY", "EMEA"),
            ("SECURITY", "APAC")]
CHANNELS = [("NA", "North America"), ("INTL", "International")]
NEW_AE_SEATS = {"AE-APAC-13": date(2026, 1, 5), "AE-APAC-14": date(2026, 2, 2)}  # growth hires

# position → (last day of the holder, first day of an external replacement or None)
TERMINATIONS = {
    "AE-NAE-05": (date(2025, 3, 14), date(2025, 5, 1)),
    "AE-NAW-20": (date(2025, 5, 30), None),
    "SDR-NAE-03": (date(2025, 6, 30), date(2025, 7, 14)),
    "AE-NAW-12": (date(2025, 8, 29), None),
    "AE-EMEA-09": (date(2025, 11, 28), date(2026, 2, 2)),
    "MGR-EMEA-2": (date(2026, 2, 27), None),
    "AE-APAC-04": (date(2026, 4, 17), date(2026, 6, 1)),
    "AE-NAE-17": (date(2026, 7, 31), date(2026, 9, 14)),
    "AE-EMEA-20": (date(2026, 9, 30), None),
}
# (from position, to position, first day in the new position, backfill hire date)
TRANSFERS = [
    ("AE-NAE-08", "AE-NAW-20", date(2025, 7, 1), date(2025, 8, 4)),
    ("SDR-NAW-02", "AE-NAW-12", date(2025, 10, 6), date(2025, 11, 3)),
    ("AE-EMEA-03", "MGR-EMEA-2", date(2026, 3, 2), date(2026, 4, 13)),
]
# (position, first day away, last day away, kind, note): its holder then takes a leave of absence that prorates
# (quotas, targets, the guarantee, objectives and draws count only the other days; credits still go to them)
LEAVES = [
    ("AE-NAE-03", date(2026, 5, 4), date(2026, 7, 31), "parental", "Parental leave"),
    ("MGR-APAC-1", date(2026, 8, 3), date(2026, 8, 28), "sabbatical", "Sabbatical"),
    ("SDR-EMEA-02", date(2026, 9, 7), date(2026, 9, 25), "unpaid", "Unpaid leave"),
]
PARTICIPANT_COUNTRIES = {"NAE": ["US"], "NAW": ["US"], "EMEA": ["GB", "GB", "DE", "FR", "NL"], "APAC": ["AU", "SG"]}
PAY_CURRENCY = {"GB": "GBP", "DE": "EUR", "FR": "EUR", "NL": "EUR"}


@dataclass
class Seat:
    code: str
    name: str
    kind: str
    region: str  # NAE, NAW, EMEA, APAC, or NA / INTL / ALL for specialists
    segment: str = "all"  # ent, com or all
    manager: str | None = None  # first reporting line
    family: str | None = None
    created_on: date = ORIGIN


@dataclass
class Tenure:
    employee_id: str
    position: str
    valid_from: date
    valid_to: date | None = None


@dataclass
class Org:
    seats: dict[str, Seat]
    tenures: list[Tenure]
    people: dict[str, dict]  # employee_id → participant row

    def holder_on(self, position: str, day: date) -> str | None:
        if not hasattr(self, "_by_position"):
            self._by_position: dict[str, list[Tenure]] = {}
            for tenure in self.tenures:
                self._by_position.setdefault(tenure.position, []).append(tenure)
        for t in self._by_position.get(position, []):
            if t.position == position and t.valid_from <= day and (t.valid_to is None or day <= t.valid_to):
                return t.employee_id
        return None

    def team(self, manager: str) -> list[str]:
        return [s.code for s in self.seats.values() if s.manager == manager and s.kind == "ae"]

    def kind(self, kind: str) -> list[Seat]:
        return [s for s in self.seats.values() if s.kind == kind]


def build_seats() -> dict[str, Seat]:
    seats = {"VP-SALES": Seat("VP-SALES", "VP Worldwide Sales", "executive", "ALL")}
    for region, title in REGIONS.items():
        seats[f"DIR-{region}"] = Seat(f"DIR-{region}", f"Director, {title}", "director", region, manager="VP-SALES")
    for region, number, segment, aes, sdrs in TEAMS:
        manager = f"MGR-{region}-{number}"
        label = {"ent": "Enterprise", "com": "Commercial", "all": "Sales"}[segment]
        seats[manager] = Seat(manager, f"{label} Manager, {REGIONS[region]}", "manager", region, segment,
                              manager=f"DIR-{region}")
        first = 1 + sum(t[3] for t in TEAMS if t[0] == region and t[1] < number)
        for i in range(first, first + aes):
            code = f"AE-{region}-{i:02d}"
            seats[code] = Seat(code, f"{label} AE {region} {i:02d}", "ae", region, segment, manager)
        first_sdr = 1 + sum(t[4] for t in TEAMS if t[0] == region and t[1] < number)
        for i in range(first_sdr, first_sdr + sdrs):
            code = f"SDR-{region}-{i:02d}"
            seats[code] = Seat(code, f"SDR {region} {i:02d}", "sdr", region, manager=f"DIR-{region}")
    for code, hired in NEW_AE_SEATS.items():
        seats[code] = Seat(code, f"Sales AE APAC {code[-2:]}", "ae", "APAC", "all", "MGR-APAC-1",
                           created_on=date(hired.year, 1, 1))
    for family, area in OVERLAYS:
        code = f"OVL-{family[:3]}-{area}"
        seats[code] = Seat(code, f"{family.title()} Specialist {area}", "overlay", area, family=family,
                           manager="VP-SALES")
    for area, title in CHANNELS:
        seats[f"CHN-{area}"] = Seat(f"CHN-{area}", f"Channel Manager, {title}", "channel", area, manager="VP-SALES")
    return seats


def build_org(seed: int, rng: np.random.Generator) -> Org:
    seats = build_seats()
    names = iter(person_names(rng, 200))
    people: dict[str, dict] = {}
    tenures: list[Tenure] = []

    def hire(position: str, hire_date: date) -> str:
        seat = seats[position]
        employee_id = f"E{1001 + len(people)}"
        first, last = next(names)
        country = str(rng.choice(PARTICIPANT_COUNTRIES.get(seat.region, ["US"])))
        people[employee_id] = dict(
            employee_id=employee_id, first_name=first, last_name=last,
            email=f"{first}.{last}@attain-demo.example".lower().replace(" ", "").replace("'", ""),
            hire_date=hire_date, termination_date=None, currency=PAY_CURRENCY.get(country, "USD"),
            country=country, pay_group=f"{country}-MONTHLY",
        )
        tenures.append(Tenure(employee_id, position, max(hire_date, seat.created_on)))
        return employee_id

    for code, seat in seats.items():
        if code in NEW_AE_SEATS:
            hire(code, NEW_AE_SEATS[code])
            continue
        senior = seat.kind in ("executive", "director", "manager")
        years_back = rng.uniform(1.5, 9.0) if senior else rng.exponential(2.2) + 0.3
        hire(code, date(2024, 12, 1) - timedelta(days=int(years_back * 365)))

    for position, (last_day, replacement) in TERMINATIONS.items():
        tenure = _open_tenure(tenures, position=position)
        tenure.valid_to = last_day
        people[tenure.employee_id]["termination_date"] = last_day
        if replacement:
            hire(position, replacement)
    for source, target, first_day, backfill in TRANSFERS:
        tenure = _open_tenure(tenures, position=source)
        tenure.valid_to = first_day - timedelta(days=1)
        tenures.append(Tenure(tenure.employee_id, target, first_day))
        hire(source, backfill)
    return Org(seats, tenures, people)


def _open_tenure(tenures: list[Tenure], position: str) -> Tenure:
    return next(t for t in tenures if t.position == position and t.valid_to is None)


def org_tables(org: Org) -> list[Table]:
    participants = Table("org.Participant", list(org.people.values()))
    positions = Table("org.Position")
    for seat in org.seats.values():
        positions.add(code=seat.code, name=seat.name, kind=seat.kind, quota_carrying=True,
                      product_family=seat.family, created_on=seat.created_on, retired_on=None)
    lines = Table("org.ReportingLine")
    for seat in org.seats.values():
        if seat.manager is None:
            continue
        if seat.kind == "sdr":
            later = "MGR-APAC-1" if seat.region == "APAC" else f"MGR-{seat.region}-2"
            lines.add(position=seat.code, manager_position=seat.manager, valid_from=seat.created_on,
                      valid_to=REORG - timedelta(days=1))
            lines.add(position=seat.code, manager_position=later, valid_from=REORG, valid_to=None)
        else:
            lines.add(position=seat.code, manager_position=seat.manager, valid_from=seat.created_on, valid_to=None)
    holders = Table("org.PositionHolder")
    for t in sorted(org.tenures, key=lambda t: (t.position, t.valid_from)):
        holders.add(participant=t.employee_id, position=t.position, valid_from=t.valid_from, valid_to=t.valid_to)
    return [participants, positions, lines, holders, leave_table(org)]


def leave_table(org: Org) -> Table:
    """The leaves of absence of `LEAVES`, each taken by whoever holds the position throughout it."""
    leaves = Table("org.LeaveOfAbsence")
    for position, first, last, kind, note in LEAVES:
        employee_id = org.holder_on(position, first)
        if employee_id is None or org.holder_on(position, last) != employee_id:
            raise ValueError(f"demo leave on {position}: nobody holds it from {first} to {last}")
        leaves.add(participant=employee_id, start_date=first, end_date=last, kind=kind, prorate=True, note=note)
    return leaves
