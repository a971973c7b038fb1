"""Splitting expression text into tokens: numbers, text, names and operators.

Only the characters of the plan language become tokens; anything else (brackets, braces,
attribute dots, `=`, `%`, `**`, `&&` …) is refused here with a message that says what to write
instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ExpressionError

NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
TOKEN = re.compile(
    rf"(?P<space>\s+)|(?P<number>[0-9]+(?:\.[0-9]+)?)|(?P<name>{NAME})"
    r"|(?P<text>\"[^\"\n]*\"|'[^'\n]*')"
    r"|(?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|,)"
)

# Characters that are not in the language, with the advice shown to the plan author.
REFUSED = [
    ("**", "there is no power operator; multiply instead (x * x)"),
    ("<>", "write '!=' for 'is not equal to'"),
    ("&&", "write 'and'"),
    ("||", "write 'or'"),
    ("=", "write '==' to compare (keyword arguments such as n=2 are not supported)"),
    ("!", "write 'not' or '!='"),
    ("%", "write percentages as decimals (5% is 0.05)"),
    ("[", "square brackets are not part of the language; write a list as (\"a\", \"b\")"),
    ("]", "square brackets are not part of the language; write a list as (\"a\", \"b\")"),
    ("{", "braces are not part of the language"),
    ("}", "braces are not part of the language"),
    (".", "a dot may only join the parts of a field name, such as product.family"),
    (":", "colons are not part of the language; use if(condition, a, b)"),
    (";", "write one expression, without ';'"),
]


@dataclass(frozen=True)
class Token:
    """One token: its kind (number, text, name, op, end), its text and its column."""

    kind: str
    text: str
    position: int


def tokenize(text: str) -> list[Token]:
    """The tokens of an expression, ending with an `end` token; refuses unknown characters."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = None if text.startswith(("**", "<>"), position) else TOKEN.match(text, position)
        if match is None:
            raise _refusal(text, position)
        kind = match.lastgroup or ""
        if kind == "number" and _glued_to_number(text, match.end()):
            raise ExpressionError(
                "Malformed number", position, text,
                "write numbers like 1234.56 (no exponent, underscore, thousands separator or unit)",
            )
        if kind != "space":
            tokens.append(Token(kind, match.group(), position))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _glued_to_number(text: str, end: int) -> bool:
    return end < len(text) and (text[end].isalnum() or text[end] in "._")


def _refusal(text: str, position: int) -> ExpressionError:
    rest = text[position:]
    if rest[0] in "\"'":
        return ExpressionError(
            "Text is not closed", position, text,
            f"add the closing {rest[0]} on the same line (a text cannot contain its own quote mark)",
        )
    for refused, advice in REFUSED:
        if rest.startswith(refused):
            return ExpressionError(f"'{refused}' is not allowed", position, text, advice)
    return ExpressionError(
        f"Character {rest[0]!r} is not allowed", position, text,
        "use numbers, \"text\", field names, + - * /, comparisons, and, or, not, in, and functions",
    )
