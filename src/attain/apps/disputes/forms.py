"""The dispute forms: raising one (a comment, a deal, a file), the conversation, and the comp admin's decisions."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from attain.apps.disputes.attachments import KINDS, MAX_BYTES, attachment_problem
from attain.apps.disputes.services import MAX_TEXT


class RaiseForm(forms.Form):
    comment = forms.CharField(label="What looks wrong?", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="E.g. \"Deal A-2 closed on 28 February but is not on this statement.\"",
                              error_messages={"required": "Say what looks wrong: the comp team reads it."})
    deal = forms.CharField(label="Deal (optional)", max_length=100, required=False,
                           help_text="The deal's id, if the question is about one (e.g. one missing here).")
    attachment = forms.FileField(label="Attachment (optional)", required=False,
                                 help_text=f"A screenshot or document: {KINDS}; up to "
                                           f"{MAX_BYTES // 1024 // 1024} MB.")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            problem = attachment_problem(upload)
            if problem:
                raise forms.ValidationError(problem)
        return upload


class CommentForm(forms.Form):
    text = forms.CharField(label="Add to the conversation", max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Write the comment first."})


class ResolveForm(forms.Form):
    """Resolve with an adjustment (an amount and a month) or, with no amount, without a change."""

    resolution = forms.CharField(label="Answer to the payee", max_length=MAX_TEXT,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 error_messages={"required": "Write the answer: the payee reads it."})
    amount = forms.DecimalField(label="Adjustment (optional)", required=False, max_digits=18, decimal_places=2,
                                help_text="Added to the payee's pay (negative: taken from it), in their currency; "
                                          "empty: resolved without a change. It needs someone else's approval.")
    month = forms.ChoiceField(label="Paid in", required=False, choices=())

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.name, m.name) for m in months]

    def clean(self):
        data = super().clean()
        amount: Decimal | None = data.get("amount")
        if amount is not None and amount == 0:
            self.add_error("amount", "An adjustment of 0 changes nothing: leave it empty to resolve without a change.")
        if amount and not data.get("month"):
            self.add_error("month", "Choose the month the adjustment is paid in.")
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label="Why it is rejected", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why: the payee reads it."})
