"""Counts shown on the home page and printed by the CLI after loading data."""

from __future__ import annotations

from django.apps import apps

OVERVIEW_MODELS = [
    ("org", "Participant"), ("org", "Position"), ("catalog", "Account"), ("catalog", "Product"),
    ("territories", "Territory"), ("sales", "Transaction"), ("sales", "Opportunity"),
    ("sales", "Activity"), ("quotas", "Quota"), ("plans", "Plan"), ("core", "Period"),
]


def company_overview() -> list[dict]:
    rows = []
    for app_label, model_name in OVERVIEW_MODELS:
        model = apps.get_model(app_label, model_name)
        count = model._default_manager.count()
        rows.append({
            "label": str(model._meta.verbose_name_plural).capitalize(),
            "count": count,
            "count_display": f"{count:,}",
            "url": f"/admin/{app_label}/{model_name.lower()}/",
        })
    return rows
