"""The team page's leaderboard rows as HTML, made in Python: a company view has a row per member of the sales
organisation (130 in the demo), and the template language (a variable lookup per cell, a URL reversed per link)
spent more on them than all the page's queries.

The markup is the leaderboard's own (portal/team.html keeps the table around it); every text is escaped, the
figures are the portal filters', and each kind of link is reversed once per page and filled in per member (the
employee id quoted as `reverse` quotes it).
"""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe

from attain.apps.portal.team import Row, Team
from attain.apps.portal.templatetags.portal import amount, percent, quantity
from attain.apps.portal.templatetags.team import times

MARK = "EMPLOYEE-ID-MARK"  # stands for the employee id in a reversed URL


class Links:
    """The page's links for a member, each reversed once."""

    def __init__(self, team: Team) -> None:
        month = team.month.name
        self.person = reverse("portal:person", args=[MARK])
        self.team = f"{reverse('portal:sub_team', args=[MARK])}?month={quote(month)}"
        self.pay = (reverse("portal:statement", args=[MARK, month]) if team.paid
                    else reverse("portal:statements", args=[MARK]))
        self.pay_label = "Statement" if team.paid else "Statements"

    @staticmethod
    def of(url: str, employee_id: str) -> str:
        return escape(url.replace(MARK, quote(employee_id, safe=RFC3986_SUBDELIMS + "~:@")))


def leaderboard_rows(team: Team) -> SafeString:
    links = Links(team)
    return mark_safe("".join(_row(links, row) for row in team.rows))  # noqa: S308  (every text escaped in _row)


def _row(links: Links, row: Row) -> str:
    person = row.member.participant
    employee_id = person.employee_id
    leads = (f' · <a href="{links.of(links.team, employee_id)}">their team</a>' if row.member.leads else "")
    pipeline = (f'{amount(row.pipeline)} <span class="note">({row.deals})</span>' if row.pipeline is not None
                else "")
    risk = ' class="at-risk"' if row.at_risk else ""
    return (f'<tr{risk} data-member="{escape(employee_id)}">\n'
            f'  <td class="num">{row.rank or ""}</td>\n'
            f'  <td><a href="{links.of(links.person, employee_id)}">{escape(person.name)}</a> '
            f'<span class="who">{escape(row.member.position.code)}{leads}</span></td>\n'
            f'  <td class="num" data-figure="attainment">{_attainment(row)}</td>\n'
            f'  <td class="num wide-only nowrap">{_value(row)}</td>\n'
            f'  <td class="num nowrap" data-figure="earned">{_earned(row)}</td>\n'
            f'  <td class="num wide-only nowrap">{pipeline}</td>\n'
            f'  <td class="num nowrap" data-figure="coverage">{_coverage(row)}</td>\n'
            f'  <td class="nowrap"><a href="{links.of(links.pay, employee_id)}">{links.pay_label}</a></td>\n'
            "</tr>\n")


def _attainment(row: Row) -> str:
    if row.attainment is None:
        return "—"
    carried = f'<span class="who">as of {escape(row.carried_from)}: no credit since</span>' if row.carried_from else ""
    return f"{percent(row.attainment)}{carried}"


def _value(row: Row) -> str:
    if not row.quota:
        return ""
    if row.unit:
        return f"{amount(row.value)} / {amount(row.quota)}"
    return f"{quantity(row.value)} / {quantity(row.quota)}"


def _earned(row: Row) -> str:
    return "<br>".join(f"{amount(value)} {escape(currency)}" for currency, value in row.earned) or "0.00"


def _coverage(row: Row) -> str:
    if row.quota_reached:
        return "quota reached"
    if row.coverage is None:
        return ""
    return times(row.coverage) + (' <span class="risk">at risk</span>' if row.at_risk else "")
