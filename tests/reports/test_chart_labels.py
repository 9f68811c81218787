"""Every label a dashboard chart shows is plain text: plotly renders some HTML in labels (links, styles), so a
name typed into a record must never become a live link on the dashboard."""

import pytest

from crm.models import Enterprise
from reports import charts, presentation, services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

LINK = '<a href="//ev.il/x">省</a>'


def _figures(monkeypatch, report, indicator):
    built = {}
    monkeypatch.setattr(charts, "to_html", lambda fig, div_id: built.setdefault(div_id, fig) and div_id)
    presentation.dashboard_charts(report, indicator)
    return built


def test_an_origin_province_written_as_a_link_is_shown_as_text_in_the_dashboard_chart(data, monkeypatch):
    Enterprise.objects.filter(origin_province="广东省").update(origin_province=LINK)
    report = services.report_for_period(year=2026, through_month=10, major_projects=False)
    figure = _figures(monkeypatch, report, "signed_projects")["chart-origin"]
    labels = list(figure.data[0].y)
    assert '&lt;a href="//ev.il/x"&gt;省&lt;/a&gt;' in labels
    assert not any("<a" in label for label in labels)


def test_every_text_of_a_chart_is_escaped_and_numbers_stay_numbers():
    figure = charts.turnaround(bureaus=["<b>发改</b>"], medians=[3.0], hover=['<span style="x">h</span>'],
                               urls=["/r"], title="<i>T</i>")
    bar = figure.data[0]
    assert list(bar.x) == ["&lt;b&gt;发改&lt;/b&gt;"]
    assert list(bar.hovertext) == ['&lt;span style="x"&gt;h&lt;/span&gt;']
    assert list(bar.y) == [3.0]
    assert figure.layout.title.text == "&lt;i&gt;T&lt;/i&gt;"
