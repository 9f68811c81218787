"""``manage.py award_preview POLICY_FILE FACTS_FILE``: the JSON it prints and the input it refuses."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests read the English source messages; the product's default language is Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield

POLICIES = Path(__file__).resolve().parents[2] / "awards" / "policies"
SANYA = POLICIES / "sanya-2018-headquarters.yaml"


def preview(policy_file: Path, facts: dict | str, tmp_path: Path) -> dict:
    facts_file = tmp_path / "facts.json"
    facts_file.write_text(facts if isinstance(facts, str) else json.dumps(facts, ensure_ascii=False), "utf-8")
    out = StringIO()
    call_command("award_preview", str(policy_file), str(facts_file), stdout=out)
    return json.loads(out.getvalue())


def test_preview_prints_the_total_and_every_line_with_decimals_as_strings(tmp_path):
    facts = {
        "paid_in_registered_capital": 10000,  # 1亿元
        "is_newly_settled": True,
        "is_international_organisation_hq": False,
        "rent": {"1": 300, "2": 200},
    }

    result = preview(SANYA, facts, tmp_path)

    # Start-up subsidy 50万 + 100万 = 150万; rent 300万 × 50% = 150万 held to 120万, 200万 × 50% = 100万.
    assert result["total"] == "3700000.00"
    assert [(line["clause"], line["year"], line["amount"]) for line in result["lines"]] == [
        ("startup_subsidy", None, "1500000.00"),
        ("rent_subsidy", 1, "1200000.00"),
        ("rent_subsidy", 2, "1000000.00"),
    ]
    startup = result["lines"][0]
    assert [(b["part"], b["rate"], b["amount"]) for b in startup["brackets"]] == [
        ("50000000", "0.01", "500000"),
        ("50000000", "0.02", "1000000"),
        ("0", "0.03", "0"),
    ]
    assert result["lines"][1]["caps"] == [
        {"kind": "per_year", "limit": "1200000.00", "before": "1500000.00", "after": "1200000.00"}
    ]
    assert result["missing_facts"] == ["local_fiscal_contribution", "purchase_price"]
    assert result["complete"] is False


def test_preview_reads_a_json_policy_too(tmp_path):
    policy_file = tmp_path / "policy.json"
    policy_file.write_text(
        json.dumps(
            {
                "key": "flat",
                "title": "到位资金奖励",
                "effective_from": "2024-01-01",
                "clauses": [
                    {
                        "key": "introducer",
                        "beneficiary": "introducer",
                        "base": "foreign_capital_usd",
                        "shape": "flat",
                        "rate": "1%",
                    }
                ],
            },
            ensure_ascii=False,
        ),
        "utf-8",
    )
    facts = {"foreign_capital_usd": [{"date": "2024-05-06", "amount": 100, "unit": "万美元", "rate": "7.1"}]}

    result = preview(policy_file, facts, tmp_path)

    # 100万美元 × 7.1 = 7,100,000元; × 1% = 71,000元.
    assert result["total"] == "71000.00"
    assert result["by_beneficiary"] == {"introducer": "71000.00"}
    assert result["lines"][0]["base"]["records"] == [
        {"amount": "100", "unit": "万美元", "rate": "7.1", "date": "2024-05-06", "yuan": "7100000"}
    ]


@pytest.mark.parametrize(
    ("facts", "named"),
    [
        ({"paid_in_capital": 10000}, 'Fact "paid_in_capital"'),
        ({"paid_in_registered_capital": "ten thousand"}, 'Fact "paid_in_registered_capital"'),
        ({"rent": {"1": [300]}}, 'Fact "rent[1]"'),
        ("{not json", 'Fact "(file)"'),
    ],
)
def test_bad_facts_are_a_command_error_naming_the_field(tmp_path, facts, named):
    with pytest.raises(CommandError, match=r"facts\.json") as caught:
        preview(SANYA, facts, tmp_path)

    assert named in str(caught.value)


def test_a_bad_policy_is_a_command_error_naming_the_clause_and_field(tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(SANYA.read_text("utf-8").replace("rate: 8%", "rate: -8%"), "utf-8")

    with pytest.raises(CommandError) as caught:
        preview(policy_file, {}, tmp_path)

    assert 'Clause "purchase_subsidy", field "rate": a rate cannot be negative' in str(caught.value)


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="nowhere.yaml"):
        preview(tmp_path / "nowhere.yaml", {}, tmp_path)
