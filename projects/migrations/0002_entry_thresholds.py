"""Example entry thresholds (准入指标) with Hainan figures; administrators keep them current in the back office."""

from decimal import Decimal

from django.db import migrations

AGRI_PARK = "农产品加工园区"
CBD = "三亚中央商务区"
AGRI_SOURCE = "海南省农产品加工园区项目准入示例：投资强度不低于300万元/亩，亩均税收不低于10万元/亩"
CBD_SOURCE = "三亚中央商务区产业项目准入示例：投资强度不低于1600万元/亩，亩均税收不低于120万元/亩"
DISTRICT_SOURCE = "示例数据：区级最低总投资，以现行政策为准修改"

# industry, area (None: the whole district), metric, comparator, value (万元 or 万元/亩), source
THRESHOLDS = [
    ("A", AGRI_PARK, "intensity", "gte", "300", AGRI_SOURCE),
    ("A", AGRI_PARK, "tax_per_mu", "gte", "10", AGRI_SOURCE),
    ("C", AGRI_PARK, "intensity", "gte", "300", AGRI_SOURCE),
    ("C", AGRI_PARK, "tax_per_mu", "gte", "10", AGRI_SOURCE),
    ("F", CBD, "intensity", "gte", "1600", CBD_SOURCE),
    ("F", CBD, "tax_per_mu", "gte", "120", CBD_SOURCE),
    ("J", CBD, "intensity", "gte", "1600", CBD_SOURCE),
    ("J", CBD, "tax_per_mu", "gte", "120", CBD_SOURCE),
    ("L", CBD, "intensity", "gte", "1600", CBD_SOURCE),
    ("L", CBD, "tax_per_mu", "gte", "120", CBD_SOURCE),
    ("I", CBD, "intensity", "gte", "1600", CBD_SOURCE),
    ("I", CBD, "tax_per_mu", "gte", "120", CBD_SOURCE),
    ("A", None, "total_investment", "gte", "1000", DISTRICT_SOURCE),
    ("C", None, "total_investment", "gte", "5000", DISTRICT_SOURCE),
    ("F", None, "total_investment", "gte", "1000", DISTRICT_SOURCE),
    ("H", None, "total_investment", "gte", "5000", DISTRICT_SOURCE),
    ("I", None, "total_investment", "gte", "1000", DISTRICT_SOURCE),
    ("J", None, "total_investment", "gte", "5000", DISTRICT_SOURCE),
    ("L", None, "total_investment", "gte", "1000", DISTRICT_SOURCE),
    ("M", None, "total_investment", "gte", "1000", DISTRICT_SOURCE),
    ("Q", None, "total_investment", "gte", "3000", DISTRICT_SOURCE),
    ("R", None, "total_investment", "gte", "3000", DISTRICT_SOURCE),
]


def load(apps, schema_editor):
    Area = apps.get_model("projects", "Area")
    Industry = apps.get_model("crm", "Industry")
    EntryThreshold = apps.get_model("projects", "EntryThreshold")
    industries = {i.code: i for i in Industry.objects.all()}
    for code, area_name, metric, comparator, value, source in THRESHOLDS:
        if code not in industries:
            continue
        area = Area.objects.get_or_create(name=area_name)[0] if area_name else None
        EntryThreshold.objects.update_or_create(
            industry=industries[code], area=area, metric=metric,
            defaults={"comparator": comparator, "value": Decimal(value), "source": source})


def unload(apps, schema_editor):
    apps.get_model("projects", "EntryThreshold").objects.all().delete()
    apps.get_model("projects", "Area").objects.filter(name__in=[AGRI_PARK, CBD]).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_pipeline"), ("crm", "0002_reference_data")]
    operations = [migrations.RunPython(load, unload)]
