"""The estimator's form: one of the rep's open opportunities, or an amount typed in; a deal type, a product
family and a close date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms

from attain.apps.catalog.models import ProductFamily
from attain.apps.org.models import Participant, PositionHolder
from attain.apps.portal.estimator import Deal
from attain.apps.sales.models import DealType, Opportunity


def open_opportunities(participant: Participant, day: date):
    """The open opportunities owned by a seat the participant holds on `day`."""
    seats = PositionHolder.objects.filter(PositionHolder.valid_on(day), participant=participant).values("position_id")
    return (Opportunity.objects.filter(owner_position__in=seats, outcome=Opportunity.Outcome.OPEN)
            .select_related("account", "product_family").order_by("expected_close_date", "external_id"))


class EstimateForm(forms.Form):
    opportunity = forms.ModelChoiceField(queryset=Opportunity.objects.none(), required=False, to_field_name="external_id",
                                         label="Opportunity", empty_label="None: I type an amount")
    amount = forms.DecimalField(required=False, min_value=Decimal("0.01"), max_digits=15, decimal_places=2,
                                label="Amount", help_text="Leave empty to use the opportunity's amount.")
    deal_type = forms.ChoiceField(choices=DealType.choices, initial=DealType.NEW, label="Deal type")
    product_family = forms.ModelChoiceField(queryset=ProductFamily.objects.order_by("code"), required=False,
                                            to_field_name="code", label="Product family", empty_label="Any")
    close_date = forms.DateField(label="Close date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, participant: Participant, day: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.fields["opportunity"].queryset = open_opportunities(participant, day)
        self.fields["opportunity"].label_from_instance = (
            lambda o: f"{o.external_id} · {o.name} · {o.amount:,.2f} {o.currency_id} · closes {o.expected_close_date}")

    def clean(self):
        data = super().clean()
        chosen, amount = data.get("opportunity"), data.get("amount")
        if chosen is None and amount is None and "amount" not in self.errors:
            self.add_error("amount", "Type an amount, or choose one of your opportunities.")
        return data

    def deal(self) -> Deal:
        data, chosen = self.cleaned_data, self.cleaned_data.get("opportunity")
        family = data.get("product_family")
        if chosen is not None:
            return Deal(data.get("amount") or chosen.amount, chosen.currency_id, data["close_date"],
                        data["deal_type"], family.code if family else (chosen.product_family.code
                                                                       if chosen.product_family else None),
                        chosen.account.external_id, chosen.external_id, chosen.name)
        return Deal(data["amount"], self.participant.currency_id, data["close_date"], data["deal_type"],
                    family.code if family else None)
