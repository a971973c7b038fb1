"""docs/data-formats.md is generated from the column specs and must be current."""

from __future__ import annotations

from pathlib import Path

from attain.io.docs import render
from attain.io.entities import ENTITIES
from attain.io.mappings import MAPPINGS

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-formats.md"


def test_committed_data_formats_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m attain.io.docs > docs/data-formats.md"


def test_doc_lists_every_entity_column_and_mapping():
    text = render()
    for spec in ENTITIES.values():
        assert f"### `{spec.name}`" in text
        for column in spec.columns:
            assert f"| `{column.name}` |" in text
    for crm, name in MAPPINGS:
        assert f"### `--mapping {crm}` for `{name}`" in text
