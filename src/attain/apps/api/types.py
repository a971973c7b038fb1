"""What the API's schemas share: money as exact decimal strings, safe text parameters, the page of a list."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import PlainSerializer, StringConstraints, WithJsonSchema

MONEY_NOTE = ("An exact decimal written as a string with every stored decimal place (e.g. \"12500.0000\"), never a "
              "binary float: parse it with a decimal type.")


def _exact(value: Decimal) -> str:
    return format(value, "f")  # never exponent notation ("0E-10")


Money = Annotated[Decimal, PlainSerializer(_exact, return_type=str),
                  WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "description": MONEY_NOTE,
                                  "examples": ["12500.0000"]})]
# an amount sent to the API: a decimal string that fits a money column (15 digits, 4 decimal places)
AmountIn = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^-?\d{1,11}(\.\d{1,4})?$"),
                     WithJsonSchema({"type": "string", "pattern": r"^-?\d{1,11}(\.\d{1,4})?$",
                                     "description": "A decimal amount as a string, e.g. \"250\" or \"-1250.50\" "
                                                    "(at most 4 decimal places). Numbers are refused: a binary "
                                                    "float cannot hold every amount exactly.",
                                     "examples": ["250.00"]})]
# text parameters refuse control characters (a NUL byte never reaches the database)
Text = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x1f]*$")]
EmployeeId = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f/?#%\\]+$")]
PeriodName = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9-]+$"),
                       WithJsonSchema({"type": "string", "pattern": "^[A-Za-z0-9-]+$", "maxLength": 20,
                                       "description": "A month of the fiscal calendar, e.g. FY2026-M03.",
                                       "examples": ["FY2026-M03"]})]
Code = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f/?#%\\]+$")]
Id = Annotated[int, Field(ge=1, le=2**62)]


class Page(LimitOffsetPagination):
    """`limit` (1–500, default 50) items from `offset`; `count` is the number of items in all pages."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500, description="How many items (at most 500).")
        offset: int = Field(0, ge=0, le=10**9, description="How many items to skip.")

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=500, **kwargs)
