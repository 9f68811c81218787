"""Duplicate detection: the same enterprise written differently is found; a different one is not."""

import pytest

from leads.choices import LeadSource, LeadStatus
from leads.services import PossibleDuplicate, lead_create, lead_find_duplicates
from tests.factories import EnterpriseFactory
from tests.leads.factories import LeadFactory

REGISTERED = "三亚椰林数字科技有限公司"

SAME_ENTERPRISE = [
    "三亚椰林数字科技有限公司",
    "三亚椰林数字科技 有限公司",  # a space
    "三亚 椰林 数字 科技有限公司",  # spaces everywhere
    "三亚椰林数字科技有限责任公司",  # another legal form
    "三亚椰林数字科技集团有限公司",  # a group
    "三亚椰林数字科技(中国)有限公司",  # a country insert
    "三亚椰林数字科技（中国）有限公司",  # full-width brackets
    "三亚椰林数字科技",  # no suffix at all
    "三亚椰林数字科技有限公司三亚分公司",  # its branch
]

DIFFERENT_ENTERPRISES = [
    "三亚椰风智能装备有限公司",  # the same city and a similar start, another enterprise
    "海口椰林数字科技有限公司",
    "三亚海棠湾旅游发展有限公司",
]


@pytest.fixture
def registered(other_officer):
    return LeadFactory(enterprise=EnterpriseFactory(name=REGISTERED), owner=other_officer)


@pytest.mark.django_db
@pytest.mark.parametrize("name", SAME_ENTERPRISE)
def test_a_lead_of_someone_else_is_found_however_the_name_is_written(registered, name):
    matches = lead_find_duplicates(name=name)
    assert [m.enterprise for m in matches] == [registered.enterprise]
    assert list(matches[0].leads) == [registered]


@pytest.mark.django_db
def test_full_width_letters_in_a_mixed_name_are_no_disguise(other_officer):
    lead = LeadFactory(enterprise=EnterpriseFactory(name="ABC数字科技有限公司"), owner=other_officer)
    assert [m.enterprise for m in lead_find_duplicates(name="ＡＢＣ数字科技有限公司")] == [lead.enterprise]


@pytest.mark.django_db
@pytest.mark.parametrize("name", DIFFERENT_ENTERPRISES)
def test_a_different_enterprise_is_not_a_duplicate(registered, name):
    assert lead_find_duplicates(name=name) == []


@pytest.mark.django_db
def test_the_same_credit_code_is_a_duplicate_whatever_the_name(registered):
    matches = lead_find_duplicates(name="完全不同的名字有限公司", credit_code=registered.enterprise.credit_code.lower())
    assert matches[0].reason == "credit_code" and matches[0].enterprise == registered.enterprise


@pytest.mark.django_db
def test_an_invalid_lead_is_not_a_reason_to_warn(registered):
    registered.status, registered.status_reason = LeadStatus.INVALID, "虚假投资意向"
    registered.save()
    matches = lead_find_duplicates(enterprise=registered.enterprise)
    assert matches == []


@pytest.mark.django_db
def test_adding_a_lead_warns_and_a_stated_reason_lets_the_officer_proceed(registered, officer):
    fields = {"by": officer, "title": "二期项目", "source": LeadSource.INBOUND,
              "new_enterprise": {"name": "三亚椰林数字科技有限责任公司"}}
    with pytest.raises(PossibleDuplicate) as warned:
        lead_create(**fields)
    assert warned.value.matches[0].leads == (registered,)
    lead = lead_create(**fields, duplicate_reason="同一集团的独立新项目，已与李娜沟通")
    assert lead.duplicate_reason.startswith("同一集团")
    assert lead.enterprise != registered.enterprise


@pytest.mark.django_db
def test_a_picked_enterprise_that_already_has_a_lead_warns(registered, officer):
    with pytest.raises(PossibleDuplicate):
        lead_create(by=officer, enterprise=registered.enterprise, title="再来一个", source=LeadSource.INBOUND)
