"""The entry pre-check: a table of cases on both sides of each threshold, and the per-亩 edge cases."""

from decimal import Decimal as D

import pytest

from projects.precheck import Comparator, Facts, Metric, Threshold, Verdict, figure, run

AGRI_PARK = [  # an agricultural-processing park: 300万元/亩 and 10万元/亩
    Threshold(Metric.INVESTMENT_INTENSITY, Comparator.GTE, D("300"), area_specific=True),
    Threshold(Metric.TAX_PER_MU, Comparator.GTE, D("10"), area_specific=True),
]
CBD = [  # Sanya's central business district: 1,600万元/亩 and 120万元/亩
    Threshold(Metric.INVESTMENT_INTENSITY, Comparator.GTE, D("1600"), area_specific=True),
    Threshold(Metric.TAX_PER_MU, Comparator.GTE, D("120"), area_specific=True),
]


def facts(fixed="0", land="0", tax="0", total=None):
    return Facts(total_investment_wan=D(total or max(D(fixed), D("1"))), fixed_asset_investment_wan=D(fixed),
                 land_mu=D(land), expected_tax_wan=D(tax))


def verdicts(result):
    return {c.metric: c.verdict for c in result.checks}


CASES = [
    # id, facts, thresholds, expected verdicts
    ("agri intensity exactly 300 passes (以上 includes)", facts("6000", "20", "200"), AGRI_PARK,
     {Metric.INVESTMENT_INTENSITY: Verdict.PASS, Metric.TAX_PER_MU: Verdict.PASS}),
    ("agri intensity 299.95 fails", facts("5999", "20", "200"), AGRI_PARK,
     {Metric.INVESTMENT_INTENSITY: Verdict.FAIL, Metric.TAX_PER_MU: Verdict.PASS}),
    ("agri tax 9.99 per mu fails", facts("6000", "20", "199.8"), AGRI_PARK,
     {Metric.INVESTMENT_INTENSITY: Verdict.PASS, Metric.TAX_PER_MU: Verdict.FAIL}),
    ("agri tax 10.01 per mu passes", facts("6000", "20", "200.2"), AGRI_PARK,
     {Metric.INVESTMENT_INTENSITY: Verdict.PASS, Metric.TAX_PER_MU: Verdict.PASS}),
    ("cbd 1600 and 120 exactly pass", facts("16000", "10", "1200"), CBD,
     {Metric.INVESTMENT_INTENSITY: Verdict.PASS, Metric.TAX_PER_MU: Verdict.PASS}),
    ("cbd 1599.99 fails", facts("15999.9", "10", "1200"), CBD,
     {Metric.INVESTMENT_INTENSITY: Verdict.FAIL, Metric.TAX_PER_MU: Verdict.PASS}),
    ("cbd tax 119.99 fails", facts("16000", "10", "1199.9"), CBD,
     {Metric.INVESTMENT_INTENSITY: Verdict.PASS, Metric.TAX_PER_MU: Verdict.FAIL}),
    ("an office project needs no land: per-mu figures do not apply", facts("2000", "0", "500"), CBD,
     {Metric.INVESTMENT_INTENSITY: Verdict.NOT_APPLICABLE, Metric.TAX_PER_MU: Verdict.NOT_APPLICABLE}),
    ("land with no fixed assets has an intensity of 0 and fails", facts("0", "10", "0", total="100"), AGRI_PARK,
     {Metric.INVESTMENT_INTENSITY: Verdict.FAIL, Metric.TAX_PER_MU: Verdict.FAIL}),
    ("total investment at least 5000: 5000 passes", facts("100", "0", "0", total="5000"),
     [Threshold(Metric.TOTAL_INVESTMENT, Comparator.GTE, D("5000"))], {Metric.TOTAL_INVESTMENT: Verdict.PASS}),
    ("total investment at least 5000: 4999.99 fails", facts("100", "0", "0", total="4999.99"),
     [Threshold(Metric.TOTAL_INVESTMENT, Comparator.GTE, D("5000"))], {Metric.TOTAL_INVESTMENT: Verdict.FAIL}),
    ("more than 5000 (超过 excludes): 5000 fails", facts("100", "0", "0", total="5000"),
     [Threshold(Metric.TOTAL_INVESTMENT, Comparator.GT, D("5000"))], {Metric.TOTAL_INVESTMENT: Verdict.FAIL}),
    ("more than 5000: 5000.01 passes", facts("100", "0", "0", total="5000.01"),
     [Threshold(Metric.TOTAL_INVESTMENT, Comparator.GT, D("5000"))], {Metric.TOTAL_INVESTMENT: Verdict.PASS}),
    ("at most 50 mu-intensity style ceiling: 50 passes", facts("500", "10", "0"),
     [Threshold(Metric.INVESTMENT_INTENSITY, Comparator.LTE, D("50"))], {Metric.INVESTMENT_INTENSITY: Verdict.PASS}),
    ("less than 50: 50 fails", facts("500", "10", "0"),
     [Threshold(Metric.INVESTMENT_INTENSITY, Comparator.LT, D("50"))], {Metric.INVESTMENT_INTENSITY: Verdict.FAIL}),
]


@pytest.mark.parametrize(("case", "project", "thresholds", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_figure_is_compared_with_its_threshold_on_the_right_side(case, project, thresholds, expected):
    assert verdicts(run(project, thresholds)) == expected


def test_the_figures_are_rounded_to_what_people_read():
    project = facts("1000", "3", "100")
    assert figure(Metric.INVESTMENT_INTENSITY, project) == D("333.33")
    assert figure(Metric.TAX_PER_MU, project) == D("33.33")
    assert figure(Metric.TOTAL_INVESTMENT, project) == D("1000")


def test_an_areas_own_threshold_overrides_the_district_wide_one():
    district = Threshold(Metric.INVESTMENT_INTENSITY, Comparator.GTE, D("100"))
    result = run(facts("4000", "10", "0"), [district, AGRI_PARK[0]])
    assert [(c.threshold, c.verdict) for c in result.checks] == [(D("300"), Verdict.PASS)]
    result = run(facts("2000", "10", "0"), [AGRI_PARK[0], district])
    assert [(c.threshold, c.verdict) for c in result.checks] == [(D("300"), Verdict.FAIL)]


def test_no_thresholds_means_no_verdict_rather_than_a_pass():
    result = run(facts("1000", "10", "10"), [])
    assert result.checks == () and not result.passed


def test_negative_figures_are_refused():
    with pytest.raises(ValueError):
        Facts(total_investment_wan=D("1"), fixed_asset_investment_wan=D("1"), land_mu=D("-1"),
              expected_tax_wan=D("0"))
    with pytest.raises(TypeError):
        Facts(total_investment_wan=1.5, fixed_asset_investment_wan=D("1"), land_mu=D("1"), expected_tax_wan=D("0"))
