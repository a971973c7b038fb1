"""Charts: Plotly figures built on the server, drawn in the browser by plotly.js served by the app itself.

A page with charts passes `Chart`s to the template and includes `site/chart.html` for each; the template
loads `plotly/plotly.min.js` (from the installed plotly package, through `PlotlyFinder`: no CDN, works
air-gapped) and `attain/charts.js`, which draws every `[data-chart]` element from the figure JSON kept in a
`<script type="application/json">` beside it. Pages without charts load neither.

Every chart carries its own text alternative: a caption that says what it shows in a sentence, and a
table of the same numbers (`Chart.table`) that screen readers and keyboard users reach without the
picture; the drawing itself is `role="img"` with an `aria-label`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from django.utils.html import json_script

PLOTLY_JS = "plotly/plotly.min.js"
CONFIG = {"displaylogo": False, "responsive": True,
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"]}
FONT = "system-ui, sans-serif"
COLOURS = {"ink": "#1d2433", "muted": "#5b6475", "line": "#dde2ea", "accent": "#2353c9", "good": "#2f8f4e",
           "warn": "#d08a00", "bad": "#b42318", "budget": "#5b6475"}


@dataclass(frozen=True)
class Table:
    """The chart's numbers as a table: column headings and rows of text (the text alternative)."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()  # per column: right-aligned figures

    def heading_cells(self) -> list[tuple[str, bool]]:
        return [(heading, i < len(self.numeric) and self.numeric[i]) for i, heading in enumerate(self.headings)]

    def aligned(self) -> list[list[tuple[str, bool]]]:
        return [[(cell, i < len(self.numeric) and self.numeric[i]) for i, cell in enumerate(row)]
                for row in self.rows]


@dataclass(frozen=True)
class Chart:
    id: str  # unique on the page; the element ids derive from it
    title: str
    summary: str  # one or two sentences with the point of the chart (caption and aria-label)
    figure: dict  # the Plotly figure as plain JSON-ready data
    table: Table
    height: int = 300
    notes: tuple[str, ...] = field(default_factory=tuple)

    def figure_json(self):
        """The figure as a <script type="application/json"> element (escaped for HTML)."""
        return json_script(self.figure, f"{self.id}-figure", encoder=_encoder())

    @property
    def config_json(self) -> str:
        return json.dumps(CONFIG)


def figure(traces: list, **layout) -> dict:
    """A Plotly figure (plotly.graph_objects, validated) as plain data, in the app's look, without Plotly's
    default template (smaller JSON, the page's own font and colours). `layout` is merged into the base
    layout (its `xaxis` and `yaxis` into the base axes)."""
    import plotly.graph_objects as go  # imported when first drawn: commands that draw nothing never load it

    axes = {"xaxis": {"showline": True, "linecolor": COLOURS["line"], "gridcolor": COLOURS["line"], "automargin": True},
            "yaxis": {"gridcolor": COLOURS["line"], "zerolinecolor": COLOURS["line"], "automargin": True}}
    for name, base in axes.items():
        layout[name] = {**base, **layout.get(name, {})}
    base = {"template": "none", "font": {"family": FONT, "size": 13, "color": COLOURS["ink"]},
            "margin": {"l": 56, "r": 16, "t": 16, "b": 56}, "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)", "hoverlabel": {"font": {"family": FONT}},
            "legend": {"orientation": "h", "y": -0.25}}
    return go.Figure(data=traces, layout={**base, **layout}).to_plotly_json()


def graph_objects():
    """plotly.graph_objects, for building traces."""
    import plotly.graph_objects as go

    return go


def _encoder():
    from plotly.utils import PlotlyJSONEncoder

    return PlotlyJSONEncoder


def plotly_folder() -> Path:
    """The installed plotly package's data folder, which holds plotly.min.js."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        raise RuntimeError("the plotly package is not installed: pip install plotly (it ships plotly.min.js)")
    return Path(spec.origin).parent / "package_data"


class PlotlyFinder(BaseFinder):
    """A static files finder for one file, `plotly/plotly.min.js`, from the installed plotly package.

    WhiteNoise (with WHITENOISE_USE_FINDERS) serves it and `collectstatic` copies it like any app's static
    file, so the chart library comes from the app, never from a CDN, and follows the installed plotly.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(plotly_folder()))
        self.storage.prefix = "plotly"

    def check(self, **kwargs) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        found = str(plotly_folder() / "plotly.min.js") if path == PLOTLY_JS else None
        if find_all or kwargs.get("all"):
            return [found] if found else []
        return found

    def list(self, ignore_patterns):
        yield "plotly.min.js", self.storage
