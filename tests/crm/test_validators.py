import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from crm.models import Enterprise, VerifiedCreditCode
from crm.validators import credit_code_problem, normalize_credit_code, validate_credit_code

VALID = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", VALID)
def test_published_codes_pass_the_check(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("91350100M000100Y44", "check character"),  # last character changed
        ("91350100M000100Y4", "18 characters"),  # too short
        ("91350100M000100Y433", "18 characters"),  # too long
        ("91350100M000I00Y43", "“I”"),  # I is not in the character set
        ("91350100M000O00Y43", "“O”"),
        ("91350100M000S00Y43", "“S”"),
        ("91350100M000V00Y43", "“V”"),
        ("91350100M000Z00Y43", "“Z”"),
    ],
)
def test_bad_codes_are_refused_with_the_reason(raw, fragment):
    with translation.override("en"):
        problem = credit_code_problem(normalize_credit_code(raw))
    assert problem is not None and fragment in str(problem)


def test_lower_case_full_width_and_spaces_are_normalised():
    assert normalize_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


@pytest.mark.django_db
def test_model_field_stores_the_normalised_code():
    e = Enterprise(name="测试企业", credit_code="91350100m000100y43")
    e.full_clean()
    e.save()
    e.refresh_from_db()
    assert e.credit_code == "91350100M000100Y43"


@pytest.mark.django_db
def test_model_field_refuses_a_wrong_check_character_in_chinese():
    e = Enterprise(name="测试企业", credit_code="91350100M000100Y44")
    with pytest.raises(ValidationError) as exc:
        e.full_clean()
    assert "校验" in exc.value.message_dict["credit_code"][0]


@pytest.mark.django_db
def test_a_code_verified_by_an_administrator_is_accepted_despite_its_check_character(administrator):
    pilot_code = "91350100M000100Y44"
    with pytest.raises(ValidationError):
        validate_credit_code(pilot_code)
    VerifiedCreditCode.objects.create(
        code=pilot_code, reason="试点地区早期代码，已与国家库核对", verified_by=administrator
    )
    validate_credit_code(pilot_code)
    e = Enterprise(name="早期试点企业", credit_code=pilot_code)
    e.full_clean()
