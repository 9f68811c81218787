"""Factories for the project pipeline, and small helpers that drive a project through the services."""

from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from crm.models import Industry
from projects import services
from projects.choices import MilestoneKind, Outcome, Stage
from projects.models import Project
from tests.factories import EnterpriseFactory, bureau

PDF = b"%PDF-1.4\n%test\n"


def pdf(name="材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project in negotiation (use the helpers below to move it on: they go through the services)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"JY-2026-{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"测试招商项目{n}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    industry = factory.LazyFunction(lambda: Industry.objects.get(code="C"))
    total_investment_wan = Decimal("20000")
    fixed_asset_investment_wan = Decimal("15000")
    land_mu = Decimal("40")
    expected_output_wan = Decimal("30000")
    expected_tax_wan = Decimal("800")
    expected_jobs = 120
    stage = Stage.NEGOTIATING
    owner = factory.SubFactory("tests.factories.UserFactory")


def open_round(project, by, codes=("ndrc", "ecology", "market")):
    return services.review_round_open(project=project, by=by, bureaus=[bureau(c) for c in codes])


def answer(review_round, reviewers, outcome=Outcome.AGREE, reason=""):
    """Every request of the round answered by the reviewer of its bureau (reviewers: code -> user)."""
    for request in review_round.requests.select_related("bureau"):
        services.opinion_submit(request=request, by=reviewers[request.bureau.code], outcome=outcome,
                                reason=reason or ("" if outcome == Outcome.AGREE else "理由"))


def sign(project, by, on=None):
    from datetime import date

    return services.milestone_record(project=project, kind=MilestoneKind.CONTRACT, by=by,
                                     date=on or date(2026, 11, 20), contract_amount_wan=Decimal("18000"),
                                     contract_file=pdf("合同.pdf"))
