"""The shared core at scale: accounts for every role, enterprises with valid credit codes, contacts."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from crm.choices import BureauKind, EnterpriseKind, Role
from crm.demo import GIVEN, SURNAMES, TITLES, demo_credit_code
from crm.models import Bureau, Contact, Enterprise, Industry, KeyIndustry, User
from crm.roles import ROLE_GROUP_NAMES
from tooling.scale.common import Context, chunks, explicit_timestamps, insert

# Every account the seed creates is scale.<role>.<n>, with this password (documented in docs/performance.md;
# the load test logs in with it). A data set for measuring, never for production.
SCALE_PASSWORD = "Scale@2026-bench"
USERNAME_PREFIX = "scale."

# Where investors come from: mostly Hainan and the big eastern provinces; foreign and HMT as the demo shows.
PROVINCES = [("海南省", 30), ("广东省", 14), ("北京市", 9), ("上海市", 8), ("浙江省", 7), ("江苏省", 6),
             ("福建省", 4), ("四川省", 3), ("湖北省", 3), ("山东省", 3), ("湖南省", 2), ("河南省", 2),
             ("天津市", 2), ("重庆市", 2), ("陕西省", 2), ("安徽省", 1), ("云南省", 1), ("辽宁省", 1)]
COUNTRIES = [("新加坡", 6), ("美国", 5), ("日本", 4), ("德国", 3), ("韩国", 3), ("法国", 2), ("英国", 2),
             ("马来西亚", 2), ("俄罗斯", 2), ("泰国", 1), ("澳大利亚", 1), ("阿联酋", 1)]
HMT = [("中国香港", 7), ("中国澳门", 2), ("中国台湾", 2)]
# GB/T 4754 sections as they show up in Sanya: services and tourism far ahead of mining.
INDUSTRY_WEIGHTS = {"L": 16, "I": 12, "H": 10, "F": 10, "R": 7, "K": 6, "J": 6, "Q": 5, "G": 5, "M": 5, "C": 5,
                    "A": 4, "E": 3, "P": 3, "N": 1, "O": 1, "D": 1, "B": 0.2, "S": 0.1, "T": 0.1}

def _split(pairs):
    return [p[0] for p in pairs], [p[1] for p in pairs]


PROVINCE_CHOICES, COUNTRY_CHOICES, HMT_CHOICES = _split(PROVINCES), _split(COUNTRIES), _split(HMT)
NAME_PLACES = ["三亚", "海南", "吉阳", "鹿城", "海棠", "亚龙", "凤凰", "椰城", "南海", "琼州", "天涯", "崖州",
               "深圳", "广州", "北京", "上海", "杭州", "成都", "武汉", "厦门", "南京", "香港", "新加坡"]
NAME_WORDS = ["旅游发展", "数字科技", "酒店管理", "文化传媒", "健康产业", "融资租赁", "跨境电商", "农业科技",
              "海洋科技", "航运服务", "教育科技", "商业运营", "医疗器械", "免税品经营", "游艇服务", "会展服务",
              "信息技术", "冷链物流", "生物医药", "新能源", "供应链管理", "品牌管理", "康养产业", "种业科技"]
NAME_FORMS = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]


def seed_users(ctx: Context) -> None:
    """Officers (40 at factor 1), leaders, and reviewers in every partner bureau, all with one password hash."""
    promotion = Bureau.objects.get(code="promotion")
    partners = list(Bureau.objects.filter(kind=BureauKind.PARTNER, is_active=True))
    password = make_password(SCALE_PASSWORD)
    specs = [(f"officer.{i:04d}", Role.OFFICER, promotion) for i in range(1, ctx.n(40, 4) + 1)]
    specs += [(f"leader.{i:03d}", Role.LEADER, promotion) for i in range(1, ctx.n(4, 2) + 1)]
    for bureau in partners:
        specs += [(f"reviewer.{bureau.code}.{i:03d}", Role.REVIEWER, bureau) for i in range(1, ctx.n(3, 1) + 1)]
    users = insert(User, [
        User(username=USERNAME_PREFIX + name, password=password, role=role, bureau=bureau,
             full_name=ctx.rng.choice(SURNAMES) + ctx.rng.choice(GIVEN), email=f"{name}@scale.invalid")
        for name, role, bureau in specs
    ])
    groups = {role: Group.objects.get_or_create(name=name)[0] for role, name in ROLE_GROUP_NAMES.items()}
    insert(User.groups.through, [User.groups.through(user_id=u.pk, group_id=groups[u.role].pk) for u in users])
    for u in users:
        if u.role == Role.OFFICER:
            ctx.officers.append(u.pk)
        elif u.role == Role.LEADER:
            ctx.leaders.append(u.pk)
        else:
            ctx.reviewers.setdefault(u.bureau_id, []).append(u.pk)
            if u.bureau.code == "talent":
                ctx.talent_reviewers.append(u.pk)
    ctx.officer_weights = [1 / (rank + 2) ** 0.8 for rank in range(len(ctx.officers))]
    ctx.count("users", len(users))


def _enterprise_name(ctx: Context, index: int) -> str:
    rng = ctx.rng
    return f"{rng.choice(NAME_PLACES)}{rng.choice(NAME_WORDS)}{index:06d}{rng.choice(NAME_FORMS)}"


def seed_enterprises(ctx: Context) -> None:
    """20,000 enterprises at factor 1, each with a valid credit code except one in ten prospects (who have
    none yet), a key-industry tag on four in ten, and one to three contacts."""
    industries = {i.code: i.pk for i in Industry.objects.all()}
    sections = [c for c in INDUSTRY_WEIGHTS if c in industries]
    section_weights = [INDUSTRY_WEIGHTS[c] for c in sections]
    key_ids = list(KeyIndustry.objects.values_list("pk", flat=True))
    taken = set(Enterprise.objects.exclude(credit_code=None).values_list("credit_code", flat=True))
    total = ctx.n(20_000, 10)
    # Compact records for later generators: (id, has code, industry id, kind, contact ids)
    with_code: list[int] = []
    prospects: list[int] = []
    kinds: dict[int, str] = {}
    industry_of: dict[int, int] = {}
    contacts_of: dict[int, list[int]] = {}
    offset = 2_000_000 + len(taken)  # far from the demo's and the test factories' code indexes
    created = 0
    with explicit_timestamps(Enterprise, Contact):
        for block in chunks(total):
            batch = []
            for i in block:
                kind = ctx.pick([EnterpriseKind.DOMESTIC, EnterpriseKind.FOREIGN, EnterpriseKind.HMT], [85, 9, 6])
                code = None
                if ctx.rng.random() >= 0.1:
                    index = offset + i
                    code = demo_credit_code(index)
                    while code in taken:
                        index += 7_919_000
                        code = demo_credit_code(index)
                    taken.add(code)
                created_at = ctx.at(ctx.day_in_window())
                batch.append(Enterprise(
                    name=_enterprise_name(ctx, i), credit_code=code, kind=kind,
                    industry_id=industries[ctx.pick(sections, section_weights)],
                    origin_province=ctx.pick(*PROVINCE_CHOICES) if kind == EnterpriseKind.DOMESTIC else "",
                    origin_country=(ctx.pick(*COUNTRY_CHOICES) if kind == EnterpriseKind.FOREIGN
                                    else ctx.pick(*HMT_CHOICES) if kind == EnterpriseKind.HMT else ""),
                    registered_capital_wan=Decimal(round(ctx.skewed_amount(2000, 1.4, 10, 5_000_000), 2)),
                    address=f"{ctx.rng.choice(NAME_PLACES)}市{ctx.rng.randint(1, 999)}号",
                    created_by_id=ctx.officer(), created_at=created_at, updated_at=created_at,
                ))
            insert(Enterprise, batch)
            created += len(batch)
            tags, contacts = [], []
            for e in batch:
                (with_code if e.credit_code else prospects).append(e.pk)
                kinds[e.pk] = e.kind
                industry_of[e.pk] = e.industry_id
                if key_ids and ctx.rng.random() < 0.4:
                    tags.append(Enterprise.key_industries.through(enterprise_id=e.pk,
                                                                  keyindustry_id=ctx.rng.choice(key_ids)))
                for n in range(ctx.pick([1, 2, 3], [55, 30, 15])):
                    contacts.append(Contact(
                        enterprise_id=e.pk, name=ctx.rng.choice(SURNAMES) + ctx.rng.choice(GIVEN),
                        title=TITLES[(e.pk + n) % len(TITLES)], mobile=f"13{ctx.rng.randint(100000000, 999999999)}",
                        email=f"c{e.pk}_{n}@example.com", is_primary=n == 0, created_at=e.created_at,
                    ))
            insert(Enterprise.key_industries.through, tags)
            insert(Contact, contacts)
            for c in contacts:
                contacts_of.setdefault(c.enterprise_id, []).append(c.pk)
            ctx.count("contacts", len(contacts))
            ctx.count("enterprise key-industry tags", len(tags))
    ctx.count("enterprises", created)
    ctx.store.update(enterprises_with_code=with_code, prospects=prospects, enterprise_kind=kinds,
                     enterprise_industry=industry_of, contacts_of=contacts_of)
