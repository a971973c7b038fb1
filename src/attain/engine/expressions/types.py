"""The four types of values in plan expressions."""

from __future__ import annotations

from enum import Enum


class FieldType(Enum):
    """The type of a field or of an expression's result."""

    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    BOOL = "bool"

    @property
    def label(self) -> str:
        """How a plan author reads the type in an error message."""
        return "true/false" if self is FieldType.BOOL else self.value


NUMBER, TEXT, DATE, BOOL = FieldType.NUMBER, FieldType.TEXT, FieldType.DATE, FieldType.BOOL
