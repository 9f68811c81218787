"""Every product URL × every role answers as the access rules say (see tests/url_matrix.py)."""

from importlib import import_module

import pytest
from django.urls import get_resolver, reverse

from tests.url_matrix import PRODUCT_NAMESPACES, ROLES

MATRIX_MODULES = ["tests.crm.url_matrix", "tests.leads.url_matrix", "tests.projects.url_matrix",
                  "tests.reports.url_matrix", "tests.api.url_matrix", "tests.awards.url_matrix",
                  "tests.aftercare.url_matrix"]


def _all_cases():
    cases = []
    for name in MATRIX_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
            continue
        cases.extend(module.CASES)
    return cases


CASES = _all_cases()


def _product_url_names():
    names = set()

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                ns = pattern.namespace
                walk(pattern, f"{prefix}{ns}:" if ns else prefix)
            elif pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver(), "")
    return {n for n in names if n.split(":")[0] in PRODUCT_NAMESPACES or n == "home"}


def test_every_product_url_has_a_permission_case():
    covered = {case.name for case in CASES}
    missing = sorted(_product_url_names() - covered)
    assert not missing, f"URLs without a permission case in tests/<app>/url_matrix.py: {missing}"


PAIRS = [(case, role) for case in CASES for role in ROLES if role in case.expect]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role"), PAIRS, ids=[f"{c.label()}-{r}" for c, r in PAIRS])
def test_url_answers_each_role_as_the_access_rules_say(case, role, personas, client):
    url = reverse(case.name, kwargs=case.kwargs(personas))
    if role != "anon":
        client.force_login(personas[role])
    data = case.data(personas) if case.data else None
    response = getattr(client, case.method)(url, data) if data is not None else getattr(client, case.method)(url)
    assert response.status_code == case.expect[role], f"{role} {case.method.upper()} {url}"
