from tests.factories import ContactFactory, EnterpriseFactory
from tests.url_matrix import UrlCase, staff_only


def _enterprise(p):
    return {"pk": EnterpriseFactory().pk}


def _enterprise_fk(p):
    return {"enterprise_pk": EnterpriseFactory().pk}


def _contact(p):
    return {"pk": ContactFactory().pk}


CASES = [
    UrlCase("home", {"anon": 302, "officer": 302, "leader": 302, "admin": 302, "reviewer": 302}),
    UrlCase("crm:enterprise_list", staff_only()),
    UrlCase("crm:enterprise_export", staff_only()),
    UrlCase("crm:enterprise_create", {**staff_only(), "admin": 403}),
    UrlCase("crm:enterprise_detail", staff_only(), _enterprise),
    UrlCase("crm:enterprise_edit", {**staff_only(), "admin": 403}, _enterprise),
    UrlCase("crm:contact_create", {**staff_only(), "admin": 403}, _enterprise_fk),
    UrlCase("crm:contact_edit", {**staff_only(), "admin": 403}, _contact),
    UrlCase("crm:notification_list", {"anon": 302, "officer": 200, "leader": 200, "admin": 200, "reviewer": 200}),
    UrlCase("projects:my_reviews",
            {"anon": 302, "officer": 404, "leader": 404, "admin": 404, "reviewer": 200}),
]
