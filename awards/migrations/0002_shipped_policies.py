"""Load the policies shipped in awards/policies/ (Sanya 2018 headquarters measures, Yunnan 2016
intermediary award), each with its source, so an administrator starts from them rather than from nothing."""

from pathlib import Path

from django.db import migrations

POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"
SHIPPED = ("sanya-2018-headquarters.yaml", "yunnan-2016-intermediary.yaml")


def load(apps, schema_editor):
    from awards.policy_file import load_policy

    AwardPolicy = apps.get_model("awards", "AwardPolicy")
    for name in SHIPPED:
        text = (POLICY_DIR / name).read_text(encoding="utf-8")
        policy = load_policy(text)
        if AwardPolicy.objects.filter(key=policy.key).exists():
            continue
        AwardPolicy.objects.create(
            key=policy.key, version=1, title=policy.title, document_number=policy.document_number,
            issuer=policy.issuer, effective_from=policy.effective_from, effective_to=policy.effective_to,
            applies_to=policy.applies_to.value, source=policy.source, document=text, is_current=True,
        )


def unload(apps, schema_editor):
    AwardPolicy = apps.get_model("awards", "AwardPolicy")
    keys = [name.removesuffix(".yaml") for name in SHIPPED]
    AwardPolicy.objects.filter(key__in=keys, version=1, applications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_policies_facts_applications")]

    operations = [migrations.RunPython(load, unload)]
