"""factory_boy factories for the shared core. Later apps add theirs in tests/<app>/factories.py."""

import itertools

import factory
from django.contrib.auth.models import Group

from crm.choices import Role
from crm.demo import demo_credit_code
from crm.models import Bureau, Contact, Enterprise, Industry, User
from crm.roles import ROLE_GROUP_NAMES

_codes = itertools.count(10_000)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", "Correct-horse-9")

    @factory.post_generation
    def role_group(self, create, extracted, **kwargs):
        if create:
            self.save()
            self.groups.set([Group.objects.get_or_create(name=ROLE_GROUP_NAMES[self.role])[0]])


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"三亚测试企业{n}有限公司")
    credit_code = factory.LazyFunction(lambda: demo_credit_code(next(_codes)))
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="L"))
    origin_province = "海南省"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    mobile = "13800138000"


def bureau(code: str) -> Bureau:
    return Bureau.objects.get(code=code)
