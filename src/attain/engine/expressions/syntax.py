"""The grammar of plan expressions: a small Pratt parser that builds a tree of `Node`s.

Why a hand-written parser rather than Python's `ast.parse`: the plan language is not Python.
`if(c, a, b)` is not valid Python at all, `true`/`false` are not Python names, and Python's parser
accepts far more than we want (f-strings, exponents, lambdas, walrus, bytes, complex numbers …) and
reports errors in Python's words. This parser only knows the plan language, so user text is never
given to any Python evaluation machinery, every refusal names the column and a fix, and the
grammar fits on one screen:

    expression  := or
    or          := and ("or" and)*
    and         := not ("and" not)*
    not         := "not" not | comparison
    comparison  := sum [("==" | "!=" | "<" | "<=" | ">" | ">=") sum | ["not"] "in" list]
    sum         := product (("+" | "-") product)*
    product     := unary (("*" | "/") unary)*
    unary       := "-" unary | primary
    primary     := number | text | "true" | "false" | date("YYYY-MM-DD") | field
                 | function "(" [expression ("," expression)*] ")" | "(" expression ")"
    list        := "(" literal ("," literal)* ")"

Comparisons do not chain (`a < b < c` is refused; write `a < b and b < c`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import ExpressionError, did_you_mean
from .tokens import Token, tokenize
from .types import FieldType

MAX_LENGTH = 2000
MAX_DEPTH = 40  # brackets, function calls, `not` and unary minus inside one another
MAX_WHOLE_DIGITS, MAX_DECIMALS = 18, 12  # number literals, so that they fit exact database decimals
MAX_TREE_DEPTH = 120  # operators in a row (a + b + c + …) also nest, one level each
FUNCTIONS = ("min", "max", "abs", "round", "if", "coalesce", "year", "month", "days_between")
KEYWORDS = ("and", "or", "not", "in", "true", "false")
COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
LITERALS = ("number", "text", "bool", "date")


@dataclass(eq=False)
class Node:
    """One part of an expression: `kind` is a literal kind, "field", an operator or a function name."""

    kind: str
    position: int
    args: tuple[Node, ...] = ()
    value: object = None
    type: FieldType | None = field(default=None)


def parse_tree(text: str, field_names: set[str]) -> Node:
    """Parse the text into a tree; names must be fields or functions. Raises ExpressionError."""
    if not isinstance(text, str):
        raise ExpressionError("An expression must be text", 0, repr(text), "write it between quotes in the plan")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"The expression is {len(text)} characters long", MAX_LENGTH, text[: MAX_LENGTH + 20],
            f"keep it under {MAX_LENGTH} characters; split it into named measures",
        )
    if not text.strip():
        raise ExpressionError("The expression is empty", 0, text, "write a value, a field or a formula")
    tree = _Parser(text, field_names).parse()
    _check_tree_depth(tree, text)
    return tree


def _check_tree_depth(tree: Node, text: str) -> None:
    """Refuse trees too deep to check and evaluate safely (walked without recursion)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise ExpressionError("The expression is too long a chain of operations", node.position, text,
                                  f"use at most {MAX_TREE_DEPTH} operations in a row; split it into named measures")
        stack.extend((arg, depth + 1) for arg in node.args)


class _Parser:
    def __init__(self, text: str, field_names: set[str]) -> None:
        self.text = text
        self.fields = field_names
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = -1  # the whole expression is level 0

    # -- tokens --------------------------------------------------------------------------------
    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.token
        self.index += 1
        return token

    def at(self, *texts: str) -> bool:
        return self.token.kind in ("op", "name") and self.token.text in texts

    def error(self, message: str, hint: str, position: int | None = None) -> ExpressionError:
        return ExpressionError(message, self.token.position if position is None else position, self.text, hint)

    def expect_close(self, opening: Token) -> None:
        if not self.at(")"):
            found = f"found {self.describe()}" if self.token.kind != "end" else "the expression ends"
            raise self.error(
                f"Missing ')': {found}", f"close the '(' opened at column {opening.position}",
            )
        self.advance()

    def describe(self) -> str:
        return "the end" if self.token.kind == "end" else f"'{self.token.text}'"

    # -- grammar -------------------------------------------------------------------------------
    def parse(self) -> Node:
        node = self.expression()
        if self.token.kind != "end":
            if self.at(")"):
                raise self.error("Unbalanced ')'", "remove it, or add the matching '(' before it")
            if self.at(*COMPARISONS):
                raise self.error("Comparisons cannot be chained", "write a < b and b < c")
            if self.token.kind == "name" and self.token.text.lower() in KEYWORDS:
                word = self.token.text
                raise self.error(f"'{word}' must be written in lower case", f"write '{word.lower()}'")
            raise self.error(f"Unexpected {self.describe()}", "is an operator or a comma missing before it?")
        return node

    def expression(self) -> Node:
        return self.nested(lambda: self.binary("or", self.conjunction))

    def binary(self, word: str, operand) -> Node:
        node = operand()
        while self.at(word):
            token = self.advance()
            node = Node(token.text, token.position, (node, operand()))
        return node

    def conjunction(self) -> Node:
        return self.binary("and", self.negation)

    def negation(self) -> Node:
        if self.at("not"):
            token = self.advance()
            return Node("not", token.position, (self.nested(self.negation),))
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum()
        if self.at(*COMPARISONS):
            token = self.advance()
            return Node(token.text, token.position, (left, self.sum()))
        if self.at("in") or (self.at("not") and self.tokens[self.index + 1].text == "in"):
            position = self.token.position
            kind = "in" if self.advance().text == "in" else "not in"
            if kind == "not in":
                self.advance()
            return Node(kind, position, (left, *self.literal_list()))
        return left

    def sum(self) -> Node:
        node = self.product()
        while self.at("+", "-"):
            token = self.advance()
            node = Node(token.text, token.position, (node, self.product()))
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.at("*", "/"):
            token = self.advance()
            node = Node(token.text, token.position, (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.at("-"):
            token = self.advance()
            return Node("neg", token.position, (self.nested(self.unary),))
        return self.primary()

    def nested(self, rule) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("The expression is nested too deeply",
                             f"use at most {MAX_DEPTH} levels of brackets, functions, not and minus")
        node = rule()
        self.depth -= 1
        return node

    def primary(self) -> Node:
        token = self.token
        if token.kind == "number":
            whole, _, decimals = token.text.partition(".")
            if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS or len(decimals) > MAX_DECIMALS:
                raise self.error("The number is too long", f"write at most {MAX_WHOLE_DIGITS} digits before the "
                                 f"decimal point and {MAX_DECIMALS} after it")
            self.advance()
            return Node("number", token.position, value=Decimal(token.text))
        if token.kind == "text":
            self.advance()
            return Node("text", token.position, value=token.text[1:-1])
        if token.kind == "name":
            return self.name()
        if self.at("("):
            self.advance()
            node = self.expression()
            self.expect_close(token)
            return node
        return self.missing_value()

    def missing_value(self) -> Node:
        previous = self.tokens[self.index - 1].text if self.index else ""
        after = f" after '{previous}'" if previous else ""
        if self.token.kind == "end":
            raise self.error(f"A value is missing{after}", "the expression ends too early; complete it or remove the operator")
        if self.at(")") and previous == "(":
            raise self.error("Empty brackets", "write a value between '(' and ')'")
        raise self.error(f"A value is missing{after}: found {self.describe()}", "write a number, \"text\", a field or a function here")

    def name(self) -> Node:
        token = self.advance()
        name = token.text
        if self.at("("):
            return self.call(token)
        if name in ("true", "false"):
            return Node("bool", token.position, value=name == "true")
        if name in KEYWORDS:
            raise self.error(f"A value is missing before '{name}'", "write a value on both sides", token.position)
        if name.lower() in KEYWORDS:
            raise self.error(f"'{name}' must be written in lower case", f"write '{name.lower()}'", token.position)
        if name in FUNCTIONS or name == "date":
            raise self.error(f"'{name}' is a function", f"write {name}(…) with its arguments", token.position)
        if name not in self.fields:
            raise self.error(
                f"Unknown field '{name}'", did_you_mean(name, self.fields, "check the field list of the plan's data"),
                token.position,
            )
        return Node("field", token.position, value=name)

    def call(self, token: Token) -> Node:
        if token.text == "date":
            return self.date_literal(token)
        if token.text not in FUNCTIONS:
            raise self.error(
                f"Unknown function '{token.text}'",
                did_you_mean(token.text, (*FUNCTIONS, "date"), f"the functions are {', '.join(FUNCTIONS)}, date"),
                token.position,
            )
        opening = self.advance()
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.expression())
            while self.at(","):
                self.advance()
                args.append(self.expression())
        self.expect_close(opening)
        return Node(token.text, token.position, tuple(args))

    def date_literal(self, token: Token) -> Node:
        opening = self.advance()
        text = self.token
        if text.kind != "text":
            raise self.error("date() takes one text such as \"2026-07-01\"", "write date(\"YYYY-MM-DD\")")
        self.advance()
        self.expect_close(opening)
        try:
            value = datetime.date.fromisoformat(text.text[1:-1])
            if len(text.text) != 12:
                raise ValueError
        except ValueError:
            raise self.error(f"{text.text} is not a date", "write the date as \"YYYY-MM-DD\", e.g. \"2026-07-01\"",
                             text.position) from None
        return Node("date", token.position, value=value)

    def literal_list(self) -> tuple[Node, ...]:
        if not self.at("("):
            raise self.error("'in' needs a list in brackets", "write x in (\"a\", \"b\")")
        opening = self.advance()
        items = [self.list_item()]
        while self.at(","):
            self.advance()
            items.append(self.list_item())
        self.expect_close(opening)
        return tuple(items)

    def list_item(self) -> Node:
        position = self.token.position
        node = self.unary()
        if node.kind == "neg" and node.args[0].kind == "number":
            return Node("number", position, value=-node.args[0].value)
        if node.kind not in LITERALS:
            raise self.error("A list after 'in' may only hold fixed values", "write numbers, \"text\", dates or true/false",
                             position)
        return node
