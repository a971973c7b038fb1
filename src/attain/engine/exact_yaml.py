"""YAML with exact numbers: 0.07 reads as Decimal("0.07"), never as a binary float."""

from __future__ import annotations

from decimal import Decimal

import yaml


class DecimalLoader(yaml.SafeLoader):
    """PyYAML's safe loader, with floats read as Decimal."""


DecimalLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))


def load(text: str) -> object:
    return yaml.load(text, Loader=DecimalLoader)  # noqa: S506 - a SafeLoader subclass


def load_all(text: str) -> list[object]:
    return list(yaml.load_all(text, Loader=DecimalLoader))  # noqa: S506 - a SafeLoader subclass
