"""The bench command on a small scale data set: every page answers, the statistics service and the
hand-written SQL agree on every headline figure, and the JSON says what was measured."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tooling.scale.seed import seed_scale


def test_the_bench_refuses_a_database_without_a_scale_data_set(db, tmp_path):
    with pytest.raises(CommandError, match="seed_scale"):
        call_command("bench", runs=1, only=["lists"], output=str(tmp_path / "b.json"), stdout=StringIO())


def test_the_bench_measures_pages_and_the_statistics_agree_with_the_sql(db, tmp_path):
    seed_scale(factor=0.002, out=lambda line: None)
    out, path = StringIO(), tmp_path / "bench.json"
    call_command("bench", runs=1, only=["lists", "work_pages", "statistics"], output=str(path), stdout=out)
    data = json.loads(path.read_text())
    figures = {f["name"]: f for f in data["figures"]}
    pages = [f for f in data["figures"] if f["section"] in ("lists", "pages")]
    assert len(pages) >= 30 and all(f["extra"]["status"] == 200 and f["queries"] for f in pages)
    # the last page costs the queries page 1 costs
    for name in ("enterprises", "leads", "meetings", "projects", "awards"):
        assert figures[f"{name}: last page"]["queries"] == figures[f"{name}: page 1"]["queries"]
    comparisons = [f for f in data["figures"] if f["name"].startswith("service ÷ SQL")]
    assert comparisons and all(f["extra"]["disagreements"] == {} for f in comparisons), comparisons
    assert "figures agree" in out.getvalue() and "DIFFER" not in out.getvalue()
    assert data["environment"]["rows"]["leads.Lead"] == 100
