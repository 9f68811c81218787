from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crm import services
from crm.models import Enterprise
from tests.factories import EnterpriseFactory


@pytest.mark.django_db
def test_a_duplicate_credit_code_names_the_enterprise_that_holds_it(officer):
    existing = EnterpriseFactory(name="三亚海棠湾旅游发展有限公司")
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(by=officer, name="另一家公司", credit_code=existing.credit_code.lower())
    assert "三亚海棠湾旅游发展有限公司" in exc.value.message_dict["credit_code"][0]
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"name": "长" * 121}, "name"),
        ({"name": "负资本公司", "registered_capital_wan": Decimal("-1")}, "registered_capital_wan"),
        ({"name": "错码公司", "credit_code": "91350100M000100Y44"}, "credit_code"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(officer, fields, bad_field):
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(by=officer, **fields)
    assert bad_field in exc.value.message_dict
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_negative_capital_even_past_the_validators():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(name="绕过校验", registered_capital_wan=Decimal("-5"))


@pytest.mark.django_db
def test_an_edit_from_a_stale_page_is_refused_and_keeps_the_other_edit(officer, other_officer):
    enterprise = EnterpriseFactory(address="旧地址")
    page_version = enterprise.version
    services.enterprise_update(enterprise=enterprise, by=officer, version=page_version, address="王的地址")
    with pytest.raises(services.StaleEdit) as exc:
        services.enterprise_update(enterprise=enterprise, by=other_officer, version=page_version, address="李的地址")
    assert exc.value.current.address == "王的地址"
    enterprise.refresh_from_db()
    assert enterprise.address == "王的地址"
    assert enterprise.version == page_version + 1


@pytest.mark.django_db
def test_every_change_is_recorded_with_who_made_it(officer):
    enterprise = services.enterprise_create(by=officer, name="历史测试有限公司")
    services.enterprise_update(enterprise=enterprise, by=officer, version=1, address="吉阳区迎宾路1号")
    history = list(enterprise.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[-1].history_user == officer
    assert history[-1].address == "吉阳区迎宾路1号"


@pytest.mark.django_db
def test_a_reviewer_needs_a_bureau(db):
    from crm.choices import Role

    with pytest.raises(ValidationError):
        services.user_create(username="nobureau", password=None, role=Role.REVIEWER)
