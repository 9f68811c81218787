from tests.factories import ContactFactory, EnterpriseFactory
from tests.url_matrix import UrlCase


def api_staff(ok=200):
    """An API resource of the bureau: 401 without credentials; reviewers see an empty list or 404."""
    return {"anon": 401, "officer": ok, "other_officer": ok, "leader": ok, "admin": ok, "reviewer": ok}


def _enterprise(p):
    return {"pk": EnterpriseFactory().pk}


def _contact(p):
    return {"pk": ContactFactory().pk}


def _bureau(p):
    from crm.models import Bureau

    return {"pk": Bureau.objects.get(code="ndrc").pk}


def _industry(p):
    from crm.models import Industry

    return {"pk": Industry.objects.get(code="I").pk}


EVERYONE = {"anon": 401, "officer": 200, "leader": 200, "admin": 200, "reviewer": 200}

CASES = [
    UrlCase("api:api-root", EVERYONE),
    UrlCase("api:schema", EVERYONE),
    UrlCase("api:docs", EVERYONE),
    UrlCase("api:enterprise-list", api_staff()),
    UrlCase("api:enterprise-detail", {**api_staff(), "reviewer": 404}, _enterprise),
    UrlCase("api:contact-list", api_staff()),
    UrlCase("api:contact-detail", {**api_staff(), "reviewer": 404}, _contact),
    UrlCase("api:bureau-list", EVERYONE),
    UrlCase("api:bureau-detail", EVERYONE, _bureau),
    UrlCase("api:industry-list", EVERYONE),
    UrlCase("api:industry-detail", EVERYONE, _industry),
]
