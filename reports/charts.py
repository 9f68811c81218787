"""Plotly figures of the dashboard: large type for a projector, plain colours that also print, and every bar or
funnel segment carrying the address of the records behind it (customdata), opened by reports/charts.js.

Figures are rendered as HTML fragments without plotly.js; the page loads plotly.js once, from this server.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go
from django.utils.translation import gettext as _

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"
THIS_YEAR, LAST_YEAR, ACCENT = "#1f3a5f", "#9db4cf", "#c8553d"
CONFIG = {"displaylogo": False, "responsive": True,
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"]}


# What plotly shows as text: it renders some HTML there (<a href>, <b>, <span style>), so every label is escaped.
_SHOWN_TEXT = ("x", "y", "text", "hovertext", "name")


def plain_text(value):
    """A label as plotly shows it, with no markup: "<a href=…>省</a>" stays those characters, never a link.

    Plotly decodes the entities of its text back to the characters, so escaping changes nothing a reader sees
    except that tags are not rendered. Numbers and empty values are left as they are.
    """
    return html.escape(value, quote=False) if isinstance(value, str) else value


def _plain_figure(fig: go.Figure) -> go.Figure:
    """Escape every label of every trace: names of provinces, industries, officers and bureaus come from records
    that users typed, and a chart must never turn them into links or styled text."""
    for trace in fig.data:
        for attribute in _SHOWN_TEXT:
            value = getattr(trace, attribute, None)
            if isinstance(value, str):
                setattr(trace, attribute, plain_text(value))
            elif isinstance(value, (list, tuple)):
                setattr(trace, attribute, [plain_text(v) for v in value])
    return fig


def _layout(fig: go.Figure, title: str, *, height: int = 380) -> go.Figure:
    _plain_figure(fig)
    fig.update_layout(
        title={"text": plain_text(title), "font": {"size": 20}, "x": 0.01}, height=height,
        font={"family": FONT, "size": 15, "color": "#1d2733"}, paper_bgcolor="white", plot_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 60, "b": 50}, legend={"orientation": "h", "y": -0.15},
        hoverlabel={"font": {"family": FONT, "size": 15}},
    )
    fig.update_xaxes(gridcolor="#e3e8ef", automargin=True)
    fig.update_yaxes(gridcolor="#e3e8ef", automargin=True)
    return fig


def to_html(fig: go.Figure, div_id: str) -> str:
    # post_script runs after the plot exists: it wires the click-through to the records behind a segment.
    return fig.to_html(full_html=False, include_plotlyjs=False, config=CONFIG, div_id=div_id,
                       post_script="window.reportsChartLinks && window.reportsChartLinks('{plot_id}');")


def trend(*, months: list[str], this: list, last: list, this_urls: list[str], last_urls: list[str],
          this_name: str, last_name: str, title: str) -> go.Figure:
    fig = go.Figure([
        go.Bar(name=last_name, x=months, y=last, marker_color=LAST_YEAR, customdata=last_urls),
        go.Bar(name=this_name, x=months, y=this, marker_color=THIS_YEAR, customdata=this_urls,
               text=[v if v else "" for v in this], textposition="outside"),
    ])
    fig.update_layout(barmode="group")
    return _layout(fig, title)


def split(*, labels: list[str], values: list, urls: list[str], title: str) -> go.Figure:
    """A horizontal bar per category, largest on top."""
    fig = go.Figure(go.Bar(x=values[::-1], y=labels[::-1], orientation="h", marker_color=THIS_YEAR,
                           customdata=urls[::-1], text=values[::-1], textposition="auto"))
    return _layout(fig, title, height=max(300, 90 + 42 * len(labels)))


def funnel(*, stages: list[str], counts: list[int], medians: list[str], urls: list[str], title: str) -> go.Figure:
    fig = go.Figure(go.Funnel(y=stages, x=counts, customdata=urls, text=medians,
                              texttemplate="%{x} · %{text}", textposition="inside",
                              marker={"color": THIS_YEAR}, connector={"line": {"color": LAST_YEAR}}))
    return _layout(fig, title, height=420)


def turnaround(*, bureaus: list[str], medians: list, hover: list[str], urls: list[str], title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=bureaus, y=medians, customdata=urls, hovertext=hover, hoverinfo="text+x",
                           marker_color=ACCENT, text=medians, textposition="outside"))
    fig.update_yaxes(title_text=_("Median working days"))
    return _layout(fig, title)
