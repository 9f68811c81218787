"""Every security URL × every role, the two extra administrators included (see tests/url_matrix.py)."""

import pytest
from django.urls import get_resolver, reverse

from tests.security.url_matrix import CASES, ROLES


def test_every_security_url_has_a_permission_case():
    resolver = get_resolver()
    names = {f"security:{name}" for name in resolver.namespace_dict["security"][1].reverse_dict
             if isinstance(name, str)}
    assert names and names <= {case.name for case in CASES}, sorted(names - {case.name for case in CASES})


PAIRS = [(case, role) for case in CASES for role in ROLES if role in case.expect]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "role"), PAIRS, ids=[f"{c.label()}-{r}" for c, r in PAIRS])
def test_security_url_answers_each_role_as_the_access_rules_say(case, role, all_personas, client):
    url = reverse(case.name, kwargs=case.kwargs(all_personas))
    if role != "anon":
        client.force_login(all_personas[role])
    data = case.data(all_personas) if case.data else None
    response = getattr(client, case.method)(url, data) if data is not None else getattr(client, case.method)(url)
    assert response.status_code == case.expect[role], f"{role} {case.method.upper()} {url}"
