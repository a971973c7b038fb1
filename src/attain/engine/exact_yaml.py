"""YAML with exact numbers: 0.07 reads as Decimal("0.07"), never as a binary float."""

from __future__ import annotations

from decimal import Decimal

import yaml


class DecimalLoader(yaml.SafeLoader):
    """PyYAML's safe loader, with floats read as Decimal."""


DecimalLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node)))


def _timestamp(loader: DecimalLoader, node: yaml.Node) -> object:
    """A date (or date and time); a date-shaped text that is no date (2026-13-01) stays text, so that the
    document's own checks report it where it stands instead of the reader failing."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


DecimalLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load(text: str) -> object:
    return yaml.load(text, Loader=DecimalLoader)  # noqa: S506 - a SafeLoader subclass


def load_all(text: str) -> list[object]:
    return list(yaml.load_all(text, Loader=DecimalLoader))  # noqa: S506 - a SafeLoader subclass
