"""What a person sees on the core pages: language, search, errors, history, 404s."""

import pytest
from django.urls import reverse

from crm.models import Enterprise
from tests.factories import EnterpriseFactory


@pytest.mark.django_db
def test_the_login_page_speaks_chinese_by_default_and_english_on_request(client):
    response = client.get(reverse("login"))
    assert "登录" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    response = client.get(reverse("login"))
    assert "Log in" in response.content.decode()


@pytest.mark.django_db
def test_an_officer_finds_an_enterprise_by_name_or_credit_code(login, officer):
    target = EnterpriseFactory(name="三亚海棠湾旅游发展有限公司")
    EnterpriseFactory(name="北京中科海洋信息技术有限公司")
    client = login(officer)
    by_name = client.get(reverse("crm:enterprise_list"), {"q": "海棠湾"}).content.decode()
    assert "三亚海棠湾旅游发展有限公司" in by_name and "北京中科" not in by_name
    by_code = client.get(reverse("crm:enterprise_list"), {"q": target.credit_code[-8:].lower()}).content.decode()
    assert "三亚海棠湾旅游发展有限公司" in by_code and "北京中科" not in by_code


@pytest.mark.django_db
def test_a_wrong_credit_code_on_the_form_shows_a_chinese_field_error_and_saves_nothing(login, officer):
    response = login(officer).post(reverse("crm:enterprise_create"), {
        "name": "错码测试有限公司", "credit_code": "91350100M000100Y44", "kind": "domestic",
    })
    assert response.status_code == 200
    assert "校验" in response.content.decode()
    assert not Enterprise.objects.filter(name="错码测试有限公司").exists()


@pytest.mark.django_db
def test_an_officer_edits_an_enterprise_and_the_page_shows_who_changed_what(login, officer):
    enterprise = EnterpriseFactory(address="旧地址")
    client = login(officer)
    response = client.post(reverse("crm:enterprise_edit", args=[enterprise.pk]), {
        "name": enterprise.name, "credit_code": enterprise.credit_code, "kind": "domestic",
        "address": "吉阳区迎宾路88号", "version": enterprise.version,
    })
    assert response.status_code == 302
    page = client.get(reverse("crm:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "吉阳区迎宾路88号" in page and "旧地址" in page and "王晓明" in page


@pytest.mark.django_db
def test_a_stale_edit_shows_a_conflict_and_keeps_the_first_save(login, officer, other_officer):
    enterprise = EnterpriseFactory(address="旧地址")
    form = {"name": enterprise.name, "credit_code": enterprise.credit_code, "kind": "domestic",
            "version": enterprise.version}
    login(officer).post(reverse("crm:enterprise_edit", args=[enterprise.pk]), {**form, "address": "第一次保存"})
    response = login(other_officer).post(reverse("crm:enterprise_edit", args=[enterprise.pk]),
                                         {**form, "address": "第二次保存"})
    assert response.status_code == 200
    assert "其他人" in response.content.decode() or "someone else" in response.content.decode().lower()
    enterprise.refresh_from_db()
    assert enterprise.address == "第一次保存"


@pytest.mark.django_db
def test_an_officer_adds_a_contact(login, officer):
    enterprise = EnterpriseFactory()
    login(officer).post(reverse("crm:contact_create", args=[enterprise.pk]),
                        {"name": "赵经理", "title": "总经理", "mobile": "13907551234"})
    assert enterprise.contacts.get().name == "赵经理"


@pytest.mark.django_db
def test_a_reviewer_gets_the_app_styled_404_for_an_enterprise_typed_by_hand(login, reviewer):
    enterprise = EnterpriseFactory()
    response = login(reviewer).get(reverse("crm:enterprise_detail", args=[enterprise.pk]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert enterprise.name not in response.content.decode()


@pytest.mark.django_db
def test_a_reviewer_lands_on_an_empty_review_inbox(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("projects:my_reviews")
    assert "发展改革" in response.content.decode()


@pytest.mark.django_db
def test_navigation_depends_on_the_role(login, officer, reviewer):
    officer_page = login(officer).get(reverse("crm:enterprise_list")).content.decode()
    assert reverse("crm:enterprise_list") in officer_page and reverse("admin:index") not in officer_page
    reviewer_page = login(reviewer).get(reverse("projects:my_reviews")).content.decode()
    assert reverse("crm:enterprise_list") not in reviewer_page


@pytest.mark.django_db
def test_the_administrator_manages_users_bureaus_and_industries_in_the_back_office(login, administrator, officer):
    client = login(administrator)
    for name in ("crm_user_changelist", "crm_bureau_changelist", "crm_industry_changelist",
                 "crm_keyindustry_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200
    assert login(officer).get(reverse("admin:crm_user_changelist")).status_code == 302
