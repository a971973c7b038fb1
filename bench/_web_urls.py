"""Print `role URL` lines: the pages each demo role visits in bench/web.py, with ids from the demo database.

Run as a child process with ATTAIN_VAR_DIR set (it reads the demo database through Django).
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attain.site.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from attain.apps.calc.models import Earning  # noqa: E402
from attain.apps.core.models import Period  # noqa: E402
from attain.apps.org.models import Participant  # noqa: E402
from attain.apps.plans.models import PlanVersion  # noqa: E402
from attain.apps.portal.access import visible_participants  # noqa: E402
from attain.apps.portal.home import first_open_month  # noqa: E402


def person_pages(employee_id: str, period: str) -> list[str]:
    participant = Participant.objects.get(employee_id=employee_id)
    earning = Earning.objects.filter(participant=participant, period__name=period).order_by("pk").first()
    pages = [f"/portal/people/{employee_id}/", f"/portal/people/{employee_id}/statements/",
             f"/portal/people/{employee_id}/statements/{period}/"]
    if earning is not None:
        pages.append(f"/portal/people/{employee_id}/earnings/{earning.pk}/")
    return pages


def estimates(employee_id: str) -> list[str]:
    """Three estimates in the first open month (each amount calculates once; the baseline is kept a minute)."""
    month = first_open_month()
    if month is None:
        return []
    day = month.start_date.replace(day=15)
    return [f"/portal/people/{employee_id}/estimate/?amount={amount}&deal_type=new&close_date={day}"
            for amount in (25000, 80000, 250000)]


def plan_pages() -> list[str]:
    version = PlanVersion.objects.filter(status="published").select_related("plan").order_by("pk").first()
    return [f"/workspace/plans/{version.plan.code}/v{version.version}/"] if version else []


def lineage(period: str) -> list[str]:
    earning = Earning.objects.filter(period__name=period).order_by("pk").first()
    return [f"/api/results/{earning.pk}/lineage"] if earning else []


def main() -> None:
    users = get_user_model().objects
    paid = Period.objects.filter(kind="month", state__in=["paid", "closed"]).order_by("-end_date").first()
    period = paid.name
    rep = Participant.objects.get(user__username="rep").employee_id
    pages = {"rep": ["/portal/", *person_pages(rep, period), f"/portal/people/{rep}/statements/{period}/pdf",
                     f"/portal/people/{rep}/disputes/", f"/api/participants/{rep}/statements/{period}",
                     f"/api/results?period={period}&employee_id={rep}", f"/api/transactions?employee_id={rep}",
                     f"/portal/people/{rep}/plan/", f"/portal/people/{rep}/trend/",
                     *estimates(rep)]}
    manager = users.get(username="manager")
    team = list(visible_participants(manager).exclude(user=manager).order_by("employee_id")
                .values_list("employee_id", flat=True)[:3])
    pages["manager"] = ["/portal/", *[page for member in team for page in person_pages(member, period)],
                        "/api/participants"]
    pages["manager"] += ["/portal/team/", f"/portal/team/?month={period}", "/portal/team/adjustments/"]
    someone = Participant.objects.exclude(employee_id=rep).order_by("employee_id").values_list("employee_id", flat=True)
    pages["compadmin"] = ["/", "/admin/", "/admin/calc/calculationrun/", "/admin/calc/earning/?q=" + rep,
                          "/portal/disputes/", "/api/runs", f"/api/results?period={period}",
                          f"/api/transactions?period={period}", *person_pages(someone[0], period),
                          "/workspace/", "/workspace/runs/", f"/workspace/months/{period}/",
                          f"/workspace/results/?period={period}", f"/workspace/results/?period={period}&page=3",
                          "/workspace/plans/", *plan_pages(), "/workspace/imports/", "/api/disputes",
                          "/portal/acceptances/", *lineage(period)]
    pages["finance"] = ["/", "/admin/payments/payment/", *person_pages(someone[1], period), "/portal/finance/",
                        f"/portal/finance/months/{period}/", "/portal/finance/reports/"]
    pages["executive"] = ["/", *person_pages(someone[2], period)]
    pages["executive"] += ["/portal/team/"]
    for role, urls in pages.items():
        for url in urls:
            print(role, url)


main()
