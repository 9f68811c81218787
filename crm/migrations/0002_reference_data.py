"""Reference data: the bureaus of the responsibility list (boundary row 3), GB/T 4754-2017 sections and
Hainan's key industries. All of it stays editable in the back office."""

from django.db import migrations

BUREAUS = [
    # code, name, short name, kind, scope, by default, only with land, order
    ("promotion", "吉阳区商务和金融发展局（吉阳区投资促进局）", "商务金融局", "promotion",
     "招商引资、企业对接洽谈、招商项目的政策保障和跟踪协调", False, False, 0),
    ("talent", "吉阳区人才发展局", "人才局", "partner",
     "人才落户政策；答复企业人才落户诉求", True, False, 10),
    ("ndrc", "吉阳区发展改革委员会", "发改委", "partner",
     "固定资产投资总额和投资强度是否达到准入条件", True, False, 20),
    ("ecology", "市生态环境局吉阳分局", "生态环境分局", "partner",
     "项目生态环境问题", True, False, 30),
    ("market", "市市场监督管理局吉阳分局", "市场监管分局", "partner",
     "企业注册", True, False, 40),
    ("planning", "市资规局吉阳分局", "资规分局", "partner",
     "空间规划和控详规划", True, True, 50),
]

INDUSTRIES = [
    ("A", "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
    ("B", "采矿业", "Mining"),
    ("C", "制造业", "Manufacturing"),
    ("D", "电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water production and supply"),
    ("E", "建筑业", "Construction"),
    ("F", "批发和零售业", "Wholesale and retail trade"),
    ("G", "交通运输、仓储和邮政业", "Transport, storage and postal services"),
    ("H", "住宿和餐饮业", "Accommodation and catering"),
    ("I", "信息传输、软件和信息技术服务业", "Information transmission, software and IT services"),
    ("J", "金融业", "Finance"),
    ("K", "房地产业", "Real estate"),
    ("L", "租赁和商务服务业", "Leasing and business services"),
    ("M", "科学研究和技术服务业", "Scientific research and technical services"),
    ("N", "水利、环境和公共设施管理业", "Water conservancy, environment and public facilities management"),
    ("O", "居民服务、修理和其他服务业", "Resident services, repair and other services"),
    ("P", "教育", "Education"),
    ("Q", "卫生和社会工作", "Health and social work"),
    ("R", "文化、体育和娱乐业", "Culture, sports and entertainment"),
    ("S", "公共管理、社会保障和社会组织", "Public administration, social security and social organisations"),
    ("T", "国际组织", "International organisations"),
]

KEY_INDUSTRIES = [
    ("tourism", "旅游业", 10),
    ("modern-services", "现代服务业", 20),
    ("high-tech", "高新技术产业", 30),
    ("tropical-agriculture", "热带特色高效农业", 40),
]


def load(apps, schema_editor):
    Bureau = apps.get_model("crm", "Bureau")
    Industry = apps.get_model("crm", "Industry")
    KeyIndustry = apps.get_model("crm", "KeyIndustry")
    for code, name, short, kind, scope, default, land, order in BUREAUS:
        Bureau.objects.update_or_create(code=code, defaults=dict(
            name=name, short_name=short, kind=kind, review_scope=scope, reviews_by_default=default,
            reviews_only_with_land=land, sort_order=order))
    for code, name, name_en in INDUSTRIES:
        Industry.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})
    for code, name, order in KEY_INDUSTRIES:
        KeyIndustry.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


def unload(apps, schema_editor):
    apps.get_model("crm", "KeyIndustry").objects.filter(code__in=[k[0] for k in KEY_INDUSTRIES]).delete()
    apps.get_model("crm", "Industry").objects.filter(code__in=[i[0] for i in INDUSTRIES]).delete()
    apps.get_model("crm", "Bureau").objects.filter(code__in=[b[0] for b in BUREAUS]).delete()


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_core_records")]
    operations = [migrations.RunPython(load, unload)]
