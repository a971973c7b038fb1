"""Effective-dated models: valid_from and valid_to (both inclusive; empty valid_to = open-ended).

A model lists in `overlap_keys` the field groups that must not have two records valid on the same
day (e.g. a position has one manager at a time). `clean()` checks them against the database with
the framework-free `attain.engine.effective` rules, so the admin and the importers agree.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from attain.engine.effective import Span, span_errors


class EffectiveDated(models.Model):
    valid_from = models.DateField(db_index=True, help_text="First day this record applies.")
    valid_to = models.DateField(
        null=True, blank=True, db_index=True, help_text="Last day this record applies (empty = until further notice)."
    )

    overlap_keys: tuple[tuple[str, ...], ...] = ()

    class Meta:
        abstract = True

    def span(self, key: object = None) -> Span:
        return Span(key, self.valid_from, self.valid_to, self.pk)

    def is_valid_on(self, day: date) -> bool:
        return self.span().contains(day)

    def clean(self) -> None:
        super().clean()
        if self.valid_from is None:
            return
        errors = span_errors(self.span())
        if errors:
            raise ValidationError({"valid_to": errors})
        for key in self.overlap_keys:
            clash = self.overlapping(key).first()
            if clash is not None:
                fields = ", ".join(key)
                raise ValidationError(
                    f"{self._meta.verbose_name.capitalize()} overlaps {clash} "
                    f"({clash.span().describe()}) for the same {fields}: end the earlier record "
                    f"the day before {self.valid_from} or change the dates."
                )

    def overlapping(self, key: tuple[str, ...]) -> models.QuerySet:
        """Other records with the same key values whose validity overlaps this one."""
        columns = [self._meta.get_field(name).attname for name in key]  # position → position_id
        others = type(self)._default_manager.filter(**{c: getattr(self, c) for c in columns}).exclude(pk=self.pk)
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        return others

    @classmethod
    def valid_on(cls, day: date) -> Q:
        """A filter for records valid on a day."""
        return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
