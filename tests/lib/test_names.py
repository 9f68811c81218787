"""Enterprise names: the comparison key, branches, and when two names look like one enterprise."""

import random

import pytest

from crm.lib.names import (
    DEFAULT_THRESHOLD,
    earlier_lookalikes,
    is_branch_name,
    looks_like_same_enterprise,
    name_similarity,
    normalize_enterprise_name,
    split_branch,
)

HAITANG = "三亚海棠湾旅游发展"

KEYS = [
    # name as typed, key, what it shows
    ("三亚海棠湾旅游发展有限公司", HAITANG, "有限公司"),
    ("三亚海棠湾旅游发展有限责任公司", HAITANG, "有限责任公司"),
    ("三亚海棠湾旅游发展股份有限公司", HAITANG, "股份有限公司"),
    ("三亚海棠湾旅游发展集团有限公司", HAITANG, "集团有限公司, stripped as 有限公司 then 集团"),
    ("三亚海棠湾旅游发展集团", HAITANG, "集团 alone"),
    ("三亚 海棠湾旅游发展（集团）有限公司", HAITANG, "a space and a full-width (集团) insert"),
    ("三亚海棠湾旅游发展(集团)有限公司", HAITANG, "a half-width (集团) insert"),
    ("三亚海棠湾旅游发展【集团】有限公司", HAITANG, "square brackets"),
    ("  三亚　海棠湾 旅游发展 有限公司  ", HAITANG, "ideographic and ASCII spaces"),
    ("三亚海棠湾旅游发展有限公司\n", HAITANG, "a trailing newline pasted from Excel"),
    ("西门子（中国）有限公司", "西门子", "a (中国) insert"),
    ("西门子(中国)有限公司", "西门子", "a half-width (中国) insert"),
    ("深圳椰海文旅集团有限公司", "深圳椰海文旅", "the sample's first enterprise"),
    ("北京云帆数科技术有限公司（三亚分公司）", "北京云帆数科技术", "a bracketed branch: parent's key"),
    ("北京云帆数科技术有限公司三亚分公司", "北京云帆数科技术", "a branch written straight on"),
    ("中国工商银行股份有限公司三亚分行", "中国工商银行", "a bank branch"),
    ("ＡＢＣ科技有限公司", "abc科技", "full-width Latin letters"),
    ("ABC 科技有限公司", "abc科技", "a space between Latin and Chinese"),
    ("Siemens (China) Co., Ltd.", "siemens", "Latin (China) insert and Co., Ltd."),
    ("SIEMENS CO LTD", "siemens", "upper case without punctuation"),
    ("Ｓｉｅｍｅｎｓ　Ｌｔｄ．", "siemens", "full-width Latin with an ideographic space"),
    ("Siemens Limited", "siemens", "Limited"),
    ("Acme Corporation", "acme", "Corporation"),
    ("ACME Corp.", "acme", "Corp."),
    ("Acme, Inc.", "acme", "a comma before Inc."),
    ("Acme Ltd. (Sanya Branch)", "acme", "a Latin branch"),
    ("Blue Harbour Investment Holdings Pte. Ltd.", "blueharbourinvestmentholdings", "Pte. Ltd."),
    ("三亚湾邮轮服务有限公司(海南)", "三亚湾邮轮服务有限公司海南", "other brackets keep their content"),
    ("有限公司", "有限公司", "nothing but a legal form stays as it is"),
    ("Limited", "limited", "a lone Latin legal form stays as it is"),
    ("", "", "empty"),
    ("   ", "", "blank"),
    (None, "", "missing"),
]


@pytest.mark.parametrize(("name", "key", "why"), KEYS, ids=[row[2] for row in KEYS])
def test_normalized_key(name, key, why):
    assert normalize_enterprise_name(name) == key, why


SAME = [
    # a, b, what makes them the same enterprise (or a branch of it)
    ("三亚海棠湾旅游发展有限公司", "三亚海棠湾旅游发展有限责任公司", "legal form"),
    ("三亚海棠湾旅游发展有限责任公司", "三亚 海棠湾旅游发展（集团）有限公司", "group insert and spacing"),
    ("三亚海棠湾旅游发展有限公司", "三亚 海棠湾旅游发展（集团）有限公司", "group insert and spacing"),
    ("浙江青禾农业科技股份有限公司", "浙江青禾农业科技有限公司", "股份"),
    ("北京云帆数科技术有限公司", "北京云帆数科技术有限公司（三亚分公司）", "branch of its parent"),
    ("北京云帆数科技术有限公司", "北京云帆数科技术有限公司三亚分公司", "a branch written straight on"),
    ("北京云帆数科技术有限公司（三亚分公司）", "北京云帆数科技术有限公司海南分公司", "two branches"),
    ("深圳市星河医疗器械有限公司", "深圳星河医疗器械有限公司", "市 left out of the place name"),
    ("西门子（中国）有限公司", "西门子有限公司", "(中国) insert"),
    ("Siemens (China) Co., Ltd.", "SIEMENS LIMITED", "Latin legal forms and case"),
    ("Blue Harbour Investment Holdings Pte. Ltd.", "BLUE HARBOUR INVESTMENT HOLDINGS PTE LTD", "Pte. Ltd."),
    ("Acme Corporation", "Acme, Inc.", "Latin legal forms"),
    ("中国工商银行三亚分行", "中国工商银行股份有限公司", "a bank branch written without its legal form"),
    ("新加坡蓝港投资控股有限公司", "新加坡蓝港投资有限公司", "a holding and its investment arm: ask"),
]

DIFFERENT = [
    ("三亚海棠湾旅游", "三亚亚龙湾旅游", "two bays"),
    ("三亚海棠湾旅游发展有限公司", "三亚亚龙湾旅游发展有限公司", "two bays, with legal forms"),
    ("三亚湾邮轮服务有限公司", "三亚湾游艇服务有限公司", "cruise ships are not yachts"),
    ("北京云帆数科技术有限公司", "北京米立方智能科技有限公司", "two Beijing tech companies"),
    ("深圳椰海文旅集团有限公司", "深圳市星河医疗器械有限公司", "two Shenzhen companies"),
    ("Acme Ltd", "Apex Ltd", "two Latin names"),
    ("有限公司", "有限责任公司", "legal forms alone identify nobody"),
    ("", "", "two empty names"),
    ("三亚海棠湾旅游发展有限公司", None, "a missing name"),
]


@pytest.mark.parametrize(("a", "b", "why"), SAME, ids=[row[2] for row in SAME])
def test_names_that_look_like_the_same_enterprise(a, b, why):
    assert looks_like_same_enterprise(a, b), (why, name_similarity(a, b))
    assert looks_like_same_enterprise(b, a), why


@pytest.mark.parametrize(("a", "b", "why"), DIFFERENT, ids=[row[2] for row in DIFFERENT])
def test_names_that_are_different_enterprises(a, b, why):
    assert not looks_like_same_enterprise(a, b), (why, name_similarity(a, b))
    assert not looks_like_same_enterprise(b, a), why


@pytest.mark.parametrize(("a", "b", "why"), SAME + DIFFERENT, ids=[row[2] for row in SAME + DIFFERENT])
def test_similarity_is_symmetric_and_between_zero_and_one(a, b, why):
    score = name_similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert score == name_similarity(b, a)


def test_similarity_does_not_depend_on_the_order_of_the_names():
    # difflib alone gives 8/13 one way and 6/13 the other for these two keys.
    assert name_similarity("北京亚北北展", "北京三展亚帆北") == pytest.approx(8 / 13)
    assert name_similarity("北京三展亚帆北", "北京亚北北展") == pytest.approx(8 / 13)


def test_similarity_of_variants_of_one_key_is_exactly_one():
    variants = [name for name, key, _why in KEYS if key == HAITANG]
    assert len(variants) >= 8
    for a in variants:
        for b in variants:
            assert name_similarity(a, b) == 1.0, (a, b)


def test_two_bays_score_what_difflib_says():
    # 三亚 and 湾旅游 match: 2 * 5 / (7 + 7).
    assert name_similarity("三亚海棠湾旅游", "三亚亚龙湾旅游") == pytest.approx(10 / 14)
    assert DEFAULT_THRESHOLD == 0.85


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(0.7, True), (0.714, True), (0.72, False), (0.85, False), (1.0, False)],
)
def test_the_threshold_is_the_callers_choice(threshold, expected):
    assert looks_like_same_enterprise("三亚海棠湾旅游", "三亚亚龙湾旅游", threshold=threshold) is expected


BRANCHES = [
    ("北京云帆数科技术有限公司（三亚分公司）", ("北京云帆数科技术有限公司", "三亚分公司")),
    ("北京云帆数科技术有限公司三亚分公司", ("北京云帆数科技术有限公司", "三亚分公司")),
    ("北京云帆数科技术有限公司 三亚市分公司", ("北京云帆数科技术有限公司", "三亚市分公司")),
    ("深圳椰海文旅集团三亚分公司", ("深圳椰海文旅集团", "三亚分公司")),
    ("中国工商银行股份有限公司三亚分行", ("中国工商银行股份有限公司", "三亚分行")),
    ("中国工商银行股份有限公司三亚吉阳支行", ("中国工商银行股份有限公司", "三亚吉阳支行")),
    ("新加坡蓝港投资控股有限公司海南代表处办事处", ("新加坡蓝港投资控股有限公司", "海南代表处办事处")),
    ("云帆三亚分公司", ("云帆三亚", "分公司")),
    ("Acme Ltd. (Sanya Branch)", ("Acme Ltd.", "Sanya Branch")),
    ("Acme Ltd Hainan Representative Office", ("Acme Ltd", "Hainan Representative Office")),
    ("北京云帆数科技术有限公司", ("北京云帆数科技术有限公司", "")),
    ("三亚 海棠湾旅游发展（集团）有限公司", ("三亚海棠湾旅游发展(集团)有限公司", "")),
    ("分公司", ("分公司", "")),
]


@pytest.mark.parametrize(("name", "parts"), BRANCHES, ids=[row[0] for row in BRANCHES])
def test_split_branch(name, parts):
    assert split_branch(name) == parts
    assert is_branch_name(name) is bool(parts[1])


def test_earlier_lookalikes_points_each_name_to_an_earlier_one():
    names = [
        "北京云帆数科技术有限公司",
        "三亚海棠湾旅游发展有限公司",
        "北京云帆数科技术有限公司（三亚分公司）",
        "三亚亚龙湾旅游发展有限公司",
        "三亚 海棠湾旅游发展（集团）有限公司",
        "",
        "深圳市星河医疗器械有限公司",
        "深圳星河医疗器械有限公司",
        None,
    ]
    assert earlier_lookalikes(names) == [None, None, 0, None, 1, None, None, 6, None]


def test_earlier_lookalikes_prefers_the_same_key_to_a_similar_name():
    names = ["深圳市星河医疗器械有限公司", "深圳星河医疗器械有限公司", "深圳星河医疗器械有限责任公司"]
    assert earlier_lookalikes(names) == [None, 0, 1]


@pytest.fixture(scope="module")
def many_alike_names():
    """Variants of a few base names (a character changed, added or dropped) and every pair's similarity."""
    rng = random.Random(20250101)
    alphabet = "三亚海棠湾龙旅游发展科技医疗农业服务深圳北京星河云帆"
    bases = ["".join(rng.choice(alphabet) for _ in range(rng.randint(4, 12))) for _ in range(30)]
    names = []
    for _ in range(200):
        name = list(rng.choice(bases))
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            at = rng.randrange(len(name))
            edit = rng.choice(["change", "add", "drop"])
            if edit == "change":
                name[at] = rng.choice(alphabet)
            elif edit == "add":
                name.insert(at, rng.choice(alphabet))
            elif len(name) > 2:
                del name[at]
        names.append("".join(name) + rng.choice(["有限公司", "有限责任公司", "（集团）有限公司", ""]))
    similarity = {(i, j): name_similarity(names[i], names[j]) for i in range(len(names)) for j in range(i)}
    return names, similarity


@pytest.mark.parametrize("threshold", [0.6, 0.75, 0.85, 0.95, 1.0])
def test_earlier_lookalikes_finds_what_comparing_every_pair_finds(many_alike_names, threshold):
    names, similarity = many_alike_names
    found = earlier_lookalikes(names, threshold=threshold)
    for position, name in enumerate(names):
        similar = [i for i in range(position) if similarity[position, i] >= threshold]
        if not similar:
            assert found[position] is None, name
        else:
            same_key = [i for i in similar if similarity[position, i] == 1.0]
            assert found[position] == (same_key[0] if same_key else similar[0]), name
    assert sum(f is not None for f in found) > 40


@pytest.mark.parametrize("threshold", [0, -0.5, 1.5])
def test_earlier_lookalikes_refuses_a_meaningless_threshold(threshold):
    with pytest.raises(ValueError):
        earlier_lookalikes(["a", "b"], threshold=threshold)
