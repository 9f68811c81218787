"""Factories and helpers for award tests: landed projects with their records, introducers, policies."""

from datetime import date
from decimal import Decimal

from awards.models import AwardPolicy
from crm.models import KeyIndustry
from leads.models import Introducer
from projects.choices import CapitalKind, MilestoneKind, Stage
from projects.models import CapitalInPlace, Milestone
from tests.projects.factories import ProjectFactory

SANYA = "sanya-2018-headquarters"
YUNNAN = "yunnan-2016-intermediary"

# A district policy with instalments, written for these tests in the policy file format.
INSTALMENT_POLICY = """
format: 1
key: test-district-capital
title: 吉阳区测试奖励办法
effective_from: 2024-01-01
applies_to: signed
clauses:
  - key: capital_award
    title: 到位资金奖励
    beneficiary: enterprise
    base: capital_in_place
    shape: flat
    rate: 1%
    caps: {total: 500万元}
    instalments:
      - {share: 30%, condition: 当年实际到位}
      - {share: 30%}
      - {share: 40%, condition: 投产满一年}
  - key: introducer_award
    title: 中介奖励
    beneficiary: introducer
    base: capital_in_place
    shape: flat
    rate: 0.5‰
"""


def policy(key: str = SANYA) -> AwardPolicy:
    """A shipped policy, loaded by the awards data migration."""
    return AwardPolicy.objects.get(key=key, is_current=True)


def landed_project(owner, *, signed_on=date(2025, 3, 10), registered_on=date(2025, 4, 15), high_tech=False,
                   **fields):
    """A project signed and registered in the district (milestones written directly: these tests are about
    awards, the pipeline's own tests cover how milestones are recorded)."""
    project = ProjectFactory(owner=owner, stage=Stage.REGISTERED if registered_on else Stage.SIGNED, **fields)
    Milestone.objects.create(project=project, kind=MilestoneKind.CONTRACT, date=signed_on,
                             contract_amount_wan=Decimal("18000"), recorded_by=owner)
    if registered_on:
        Milestone.objects.create(project=project, kind=MilestoneKind.REGISTRATION, date=registered_on,
                                 credit_code=project.enterprise.credit_code, recorded_by=owner)
    if high_tech:
        project.enterprise.key_industries.add(KeyIndustry.objects.get(code="high-tech"))
    return project


def capital(project, by, *, on=date(2025, 5, 1), wan=None, usd_wan=None, rate=None):
    """A capital-in-place record: domestic in 万元, or foreign in 万美元 with the rate of its date."""
    if usd_wan is not None:
        return CapitalInPlace.objects.create(
            project=project, date=on, kind=CapitalKind.FOREIGN, amount_usd_wan=Decimal(str(usd_wan)),
            usd_cny_rate=Decimal(str(rate)), cny_equivalent_wan=Decimal(str(usd_wan)) * Decimal(str(rate)),
            recorded_by=by)
    return CapitalInPlace.objects.create(project=project, date=on, kind=CapitalKind.DOMESTIC,
                                         amount_wan=Decimal(str(wan)), cny_equivalent_wan=Decimal(str(wan)),
                                         recorded_by=by)


def introducer(name="海南招商顾问有限公司", registered_at=date(2024, 12, 1), **fields) -> Introducer:
    return Introducer.objects.create(name=name, registered_at=registered_at, id_number=fields.pop("id_number", ""),
                                     **fields)
