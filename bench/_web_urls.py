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
from attain.apps.portal.access import visible_participants  # noqa: E402


def person_pages(employee_id: str, period: str) -> list[str]:
    participant = Participant.objects.get(employee_id=employee_id)
    earning = Earning.objects.filter(participant=participant, period__name=period).order_by("pk").first()
    pages = [f"/portal/people/{employee_id}/", f"/portal/people/{employee_id}/statements/",
             f"/portal/people/{employee_id}/statements/{period}/"]
    if earning is not None:
        pages.append(f"/portal/people/{employee_id}/earnings/{earning.pk}/")
    return pages


def main() -> None:
    users = get_user_model().objects
    paid = Period.objects.filter(kind="month", state__in=["paid", "closed"]).order_by("-end_date").first()
    period = paid.name
    rep = Participant.objects.get(user__username="rep").employee_id
    pages = {"rep": ["/portal/", *person_pages(rep, period), f"/portal/people/{rep}/statements/{period}/pdf",
                     f"/portal/people/{rep}/disputes/", f"/api/participants/{rep}/statements/{period}",
                     f"/api/results?period={period}&employee_id={rep}", f"/api/transactions?employee_id={rep}"]}
    manager = users.get(username="manager")
    team = list(visible_participants(manager).exclude(user=manager).order_by("employee_id")
                .values_list("employee_id", flat=True)[:3])
    pages["manager"] = ["/portal/", *[page for member in team for page in person_pages(member, period)],
                        "/api/participants"]
    pages["manager"] += ["/portal/team/", f"/portal/team/?month={period}", "/portal/team/adjustments/"]
    someone = Participant.objects.exclude(employee_id=rep).order_by("employee_id").values_list("employee_id", flat=True)
    pages["compadmin"] = ["/", "/admin/", "/admin/calc/calculationrun/", "/admin/calc/earning/?q=" + rep,
                          "/portal/disputes/", "/api/runs", f"/api/results?period={period}",
                          f"/api/transactions?period={period}", *person_pages(someone[0], period)]
    pages["finance"] = ["/", "/admin/payments/payment/", *person_pages(someone[1], period)]
    pages["executive"] = ["/", *person_pages(someone[2], period)]
    pages["executive"] += ["/portal/team/"]
    for role, urls in pages.items():
        for url in urls:
            print(role, url)


main()
