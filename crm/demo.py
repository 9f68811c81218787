"""Demo data for the shared core: bureaus' people, enterprises and contacts that look like the district.

Idempotent: every record is found by a natural key (username, credit code) before it is created, so
running seed_demo twice changes nothing. Later apps add their own `<app>/demo.py` with a `seed(out)`.
"""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from crm.choices import EnterpriseKind, Role
from crm.models import Bureau, Contact, Enterprise, Industry, KeyIndustry, User
from crm.services import user_set_role
from crm.validators import CHARSET, credit_code_check_char

DEMO_PASSWORD = "Jiyang@2026"

# The demo's stories (projects, awards, aftercare) are written as of this day. seed_demo moves every scripted
# day by the whole weeks between it and the day it runs, so a trial started in any year finds a district whose
# latest events are days old, with this year's and the two years before's history behind them. Whole weeks
# keep a weekday a weekday; a scripted year (a fiscal year, a project code, a document number) moves with the
# middle of that year.
STORY_DAY = date(2026, 12, 2)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(20\d\d)(?=年|〕|\))")
_CODE = re.compile(r"^(JY-)(\d{4})(-\d+)$")


def story_shift(today: date | None = None) -> timedelta:
    """How far the scripted stories move: the whole weeks from STORY_DAY to today (Asia/Shanghai)."""
    today = today or timezone.localdate()
    return timedelta(weeks=(today - STORY_DAY).days // 7)


def story_day(day: str | date) -> date:
    """A scripted day ("2026-03-16") as the day it falls on in this run's district."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return day + story_shift()


def story_year(year: int) -> int:
    """A scripted year as the year it becomes: the year its middle moves into."""
    return (date(year, 7, 1) + story_shift()).year


def story_text(text: str) -> str:
    """Years written in a scripted text ("2025年度", "〔2026〕") moved like story_year."""
    return _YEAR_IN_TEXT.sub(lambda m: str(story_year(int(m.group(1)))), text)


def story_code(code: str) -> str:
    """A scripted project code ("JY-2025-0001") with its year moved like story_year."""
    match = _CODE.match(code)
    return f"{match[1]}{story_year(int(match[2]))}{match[3]}" if match else code

# username, full name, role, bureau code
DEMO_USERS = [
    ("admin", "系统管理员", Role.ADMIN, None),
    ("leader.chen", "陈建国（局长）", Role.LEADER, "promotion"),
    ("leader.lin", "林海燕（副局长）", Role.LEADER, "promotion"),
    ("officer.wang", "王晓明", Role.OFFICER, "promotion"),
    ("officer.li", "李娜", Role.OFFICER, "promotion"),
    ("officer.zhang", "张伟", Role.OFFICER, "promotion"),
    ("officer.huang", "黄丽萍", Role.OFFICER, "promotion"),
    ("officer.fu", "符永强", Role.OFFICER, "promotion"),
    ("reviewer.talent", "吴敏（人才局）", Role.REVIEWER, "talent"),
    ("reviewer.ndrc", "周凯（发改委）", Role.REVIEWER, "ndrc"),
    ("reviewer.ecology", "郑洁（生态环境分局）", Role.REVIEWER, "ecology"),
    ("reviewer.market", "冯涛（市场监管分局）", Role.REVIEWER, "market"),
    ("reviewer.planning", "蔡文（资规分局）", Role.REVIEWER, "planning"),
]

# name, kind, industry section, key industry, origin province, origin country, capital (万元), address
DEMO_ENTERPRISES = [
    ("三亚海棠湾旅游发展有限公司", "domestic", "L", "tourism", "海南省", "", 50000, "吉阳区迎宾路"),
    ("海南鹿回头文化旅游有限公司", "domestic", "R", "tourism", "海南省", "", 12000, "吉阳区鹿回头路"),
    ("三亚亚龙湾度假酒店管理有限公司", "domestic", "H", "tourism", "广东省", "", 8000, "亚龙湾国家旅游度假区"),
    ("北京中科海洋信息技术有限公司", "domestic", "I", "high-tech", "北京市", "", 20000, "北京市海淀区中关村"),
    ("深圳鹏程数字科技股份有限公司", "domestic", "I", "high-tech", "广东省", "", 35000, "深圳市南山区科技园"),
    ("上海浦江融资租赁有限公司", "domestic", "J", "modern-services", "上海市", "", 100000, "上海市浦东新区陆家嘴"),
    ("杭州云栖跨境电子商务有限公司", "domestic", "F", "modern-services", "浙江省", "", 5000, "杭州市西湖区"),
    ("海南热带农业科技开发有限公司", "domestic", "A", "tropical-agriculture", "海南省", "", 3000, "吉阳区博后村"),
    ("三亚南繁种业科技有限公司", "domestic", "M", "tropical-agriculture", "海南省", "", 6000, "崖州湾科技城"),
    ("中国中医药健康产业集团有限公司", "domestic", "Q", "modern-services", "北京市", "", 80000, "北京市东城区"),
    ("广州珠江游艇制造有限公司", "domestic", "C", "tourism", "广东省", "", 15000, "广州市番禺区"),
    ("成都天府航空服务有限公司", "domestic", "G", "modern-services", "四川省", "", 10000, "成都市双流区"),
    ("武汉光谷生物医药有限公司", "domestic", "C", "high-tech", "湖北省", "", 25000, "武汉市东湖高新区"),
    ("南京紫金软件技术有限公司", "domestic", "I", "high-tech", "江苏省", "", 4000, "南京市玄武区"),
    ("三亚吉阳商业运营管理有限公司", "domestic", "L", "modern-services", "海南省", "", 2000, "吉阳区解放路"),
    ("海南自贸港国际会展有限公司", "domestic", "L", "modern-services", "海南省", "", 10000, "吉阳区凤凰路"),
    ("三亚大小洞天免税品经营有限公司", "domestic", "F", "tourism", "海南省", "", 30000, "吉阳区三亚湾路"),
    ("长沙湘江教育科技有限公司", "domestic", "P", "modern-services", "湖南省", "", 3000, "长沙市岳麓区"),
    ("重庆山城文化传媒有限公司", "domestic", "R", "tourism", "重庆市", "", 2500, "重庆市渝中区"),
    ("西安丝路数据服务有限公司", "domestic", "I", "high-tech", "陕西省", "", 6000, "西安市高新区"),
    ("福建闽海水产科技有限公司", "domestic", "A", "tropical-agriculture", "福建省", "", 4500, "福州市马尾区"),
    ("天津渤海保理有限公司", "domestic", "J", "modern-services", "天津市", "", 50000, "天津市滨海新区"),
    ("青岛蓝色海洋装备有限公司", "domestic", "C", "high-tech", "山东省", "", 18000, "青岛市黄岛区"),
    ("苏州工业园医疗器械有限公司", "domestic", "C", "high-tech", "江苏省", "", 12000, "苏州工业园区"),
    ("三亚凤凰岛邮轮服务有限公司", "domestic", "G", "tourism", "海南省", "", 9000, "凤凰岛"),
    ("海南椰风食品有限公司", "domestic", "C", "tropical-agriculture", "海南省", "", 5000, "海口市龙华区"),
    ("昆明彩云康养产业有限公司", "domestic", "Q", "tourism", "云南省", "", 7000, "昆明市官渡区"),
    ("合肥量子通信技术有限公司", "domestic", "I", "high-tech", "安徽省", "", 30000, "合肥市高新区"),
    ("郑州中原冷链物流有限公司", "domestic", "G", "modern-services", "河南省", "", 8000, "郑州市经开区"),
    ("厦门鹭岛商务咨询有限公司", "domestic", "L", "modern-services", "福建省", "", 1000, "厦门市思明区"),
    ("新加坡南洋酒店投资有限公司", "foreign", "H", "tourism", "", "新加坡", 20000, "Singapore"),
    ("日本株式会社海洋健康", "foreign", "Q", "modern-services", "", "日本", 15000, "東京都港区"),
    ("德国莱茵医疗技术有限公司", "foreign", "C", "high-tech", "", "德国", 25000, "Köln"),
    ("法国蔚蓝游艇俱乐部有限公司", "foreign", "R", "tourism", "", "法国", 6000, "Nice"),
    ("美国太平洋资本管理有限公司", "foreign", "J", "modern-services", "", "美国", 40000, "San Francisco"),
    ("韩国首尔美容医疗株式会社", "foreign", "Q", "modern-services", "", "韩国", 5000, "Seoul"),
    ("俄罗斯北极光旅游有限公司", "foreign", "L", "tourism", "", "俄罗斯", 3000, "Moscow"),
    ("香港维港投资控股有限公司", "hmt", "J", "modern-services", "", "中国香港", 60000, "香港中环"),
    ("澳门濠江娱乐文化有限公司", "hmt", "R", "tourism", "", "中国澳门", 8000, "澳门半岛"),
    ("台湾宝岛精密科技股份有限公司", "hmt", "C", "high-tech", "", "中国台湾", 12000, "新竹科学园区"),
    ("香港东方航运有限公司", "hmt", "G", "modern-services", "", "中国香港", 25000, "香港尖沙咀"),
    ("马来西亚云顶度假村有限公司", "foreign", "H", "tourism", "", "马来西亚", 35000, "Kuala Lumpur"),
    ("三亚红树林生态科技有限公司", "domestic", "N", "tropical-agriculture", "海南省", "", 2000, "吉阳区临春河"),
    ("海南吉阳建设工程有限公司", "domestic", "E", "", "海南省", "", 10000, "吉阳区荔枝沟"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["建华", "丽娟", "志强", "海燕", "国庆", "晓东", "美玲", "文斌", "秀英", "俊杰", "雪梅", "宏伟"]
TITLES = ["董事长", "总经理", "副总经理", "投资总监", "项目经理", "行政总监", "财务总监"]


def demo_credit_code(index: int) -> str:
    """A well-formed code for a Sanya (460200) enterprise: deterministic per index, valid check character."""
    rng = random.Random(index * 7919)
    body = "91460200" + "".join(rng.choice(CHARSET) for _ in range(9))
    return body + credit_code_check_char(body)


def seed(out=print):
    bureaus = {b.code: b for b in Bureau.objects.all()}
    users = {}
    for username, full_name, role, bureau_code in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, email=f"{username}@jiyang.invalid")
            user.set_password(DEMO_PASSWORD)
            user.role = role
            user.bureau = bureaus.get(bureau_code)
            user.save()
        if username == "admin" and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        user_set_role(user=user, role=role, bureau=bureaus.get(bureau_code))
        users[username] = user

    industries = {i.code: i for i in Industry.objects.all()}
    key_industries = {k.code: k for k in KeyIndustry.objects.all()}
    officers = [u for u in users.values() if u.role == Role.OFFICER]
    created = 0
    for index, (name, kind, section, key, province, country, capital, address) in enumerate(DEMO_ENTERPRISES):
        code = demo_credit_code(index)
        enterprise, was_created = Enterprise.objects.get_or_create(
            credit_code=code,
            defaults=dict(
                name=name, kind=EnterpriseKind(kind), industry=industries[section], origin_province=province,
                origin_country=country, registered_capital_wan=Decimal(capital), address=address,
                created_by=officers[index % len(officers)],
            ),
        )
        if was_created:
            created += 1
            if key:
                enterprise.key_industries.set([key_industries[key]])
            rng = random.Random(index)
            for n in range(1 + index % 3):
                Contact.objects.create(
                    enterprise=enterprise,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    title=TITLES[(index + n) % len(TITLES)],
                    mobile=f"13{rng.randint(100000000, 999999999)}",
                    email=f"contact{index}_{n}@example.com",
                    is_primary=n == 0,
                )
    out(f"core: {len(users)} users, {Enterprise.objects.count()} enterprises ({created} new)")
    return users
