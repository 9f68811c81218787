"""Enterprise names compared the way a person compares them, for duplicate detection.

Two officers type the same investor differently: with or without spaces, full-width or half-width brackets
and letters, "有限公司" or "有限责任公司", with a "(集团)" or "(中国)" insert, or as one of its branches
("XX有限公司三亚分公司"). ``normalize_enterprise_name`` reduces a name to a comparison key by removing what
does not identify the enterprise (legal form, group and country inserts, branch suffix, spacing, case and
punctuation); ``name_similarity`` compares two keys with difflib; ``looks_like_same_enterprise`` applies a
threshold. A branch is registered on its own, so it is only *related* to its parent: the key treats it as the
parent so that a duplicate warning is shown, and ``split_branch`` tells the two apart.

The distinctive part of a Chinese name (字号) is often two characters among ten, so a high threshold matters:
"三亚海棠湾旅游" and "三亚亚龙湾旅游" differ in two characters and must not match. The check warns a person;
it never merges records on its own.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

__all__ = [
    "DEFAULT_THRESHOLD",
    "earlier_lookalikes",
    "is_branch_name",
    "looks_like_same_enterprise",
    "name_similarity",
    "normalize_enterprise_name",
    "split_branch",
]

DEFAULT_THRESHOLD = 0.85

# Legal forms and group words at the end of a Chinese name, longest first; stripped repeatedly, so
# "集团有限公司" goes as "有限公司" then "集团".
_CHINESE_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "股份合作公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "集团",
    "总公司",
    "公司",
)

# Words for a branch, at the end of the name: 分公司 (branch company), 分行/支行 (bank branches),
# 办事处 (representative office), 分店, 营业部, 分部.
_BRANCH_WORDS = ("分公司", "分行", "支行", "办事处", "分店", "营业部", "分部")

# Where the parent's name ends inside a branch name: after its legal form, "集团" or a closing bracket.
_PARENT_END = re.compile(r"(?:公司|集团|\))")

# A Latin branch at the end, with or without brackets: "Acme Ltd. (Sanya Branch)", "Acme Ltd Hainan Branch".
_LATIN_BRANCH = re.compile(
    r"(?P<parent>.+?(?:\b(?:ltd|limited|inc|corp|corporation|llc|plc|co)\b\.?))[\s,]*"
    r"\(?(?P<branch>[^()]*\b(?:branch|branch office|representative office))\)?",
    re.IGNORECASE,
)

# Latin legal forms, as lower-case words at the end of the name.
_LATIN_SUFFIXES = frozenset(
    {
        "ltd",
        "limited",
        "co",
        "company",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "llc",
        "plc",
        "pte",
        "pty",
        "gmbh",
        "ag",
        "sa",
        "bv",
        "group",
    }
)

# Inserts that say where or what the enterprise is without telling it apart from the parent brand.
_INSERTS = re.compile(r"\((?:中国|中國|china|集团|group)\)")

_BRACKETS = str.maketrans(
    {"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"}
)
_PUNCTUATION_OR_SPACE = re.compile(r"[\s\W_]+")


def normalize_enterprise_name(name: str | None) -> str:
    """The comparison key of an enterprise name; two names with the same key are the same enterprise.

    A branch gives the key of its parent. An empty or blank name gives "".
    """
    parent, _branch = _split(_clean(name))
    return _key(parent)


def split_branch(name: str | None) -> tuple[str, str]:
    """``(parent name, branch part)`` of a branch's name, or ``(name, "")`` when it is not a branch.

    Both parts come back cleaned (NFKC, half-width brackets, spacing tidied), not reduced to keys:
    "北京云帆数科技术有限公司（三亚分公司）" gives ("北京云帆数科技术有限公司", "三亚分公司").
    """
    return _split(_clean(name))


def is_branch_name(name: str | None) -> bool:
    return bool(split_branch(name)[1])


def name_similarity(a: str | None, b: str | None) -> float:
    """How alike two enterprise names are, from 0 (nothing in common) to 1 (the same key).

    difflib's ratio of the two normalised keys; an empty name is alike to nothing.
    """
    return _ratio(normalize_enterprise_name(a), normalize_enterprise_name(b))


def looks_like_same_enterprise(a: str | None, b: str | None, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """Whether a person should be asked if ``a`` and ``b`` are the same enterprise (or a branch of it)."""
    return name_similarity(a, b) >= threshold


def earlier_lookalikes(names: Sequence[str | None], threshold: float = DEFAULT_THRESHOLD) -> list[int | None]:
    """For each name, the index of an earlier name that looks like the same enterprise, else None.

    The earliest name with the same key wins; failing that, the earliest similar one.

    The same answers as calling ``looks_like_same_enterprise`` on every earlier name, without comparing every
    pair: difflib's ratio cannot reach the threshold unless two keys share most of their characters, so each
    key is indexed by its few rarest characters (prefix filtering) and only keys sharing one are compared.
    A ledger of a few thousand names takes about a second instead of minutes.
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    keys = [normalize_enterprise_name(n) for n in names]
    # Each occurrence of a character is a token: ("三", 0), ("三", 1), ... so multisets become sets.
    tokens = [[(c, i) for c, count in Counter(k).items() for i in range(count)] for k in keys]
    frequency = Counter(t for ts in tokens for t in ts)
    index: dict[tuple[str, int], list[int]] = {}
    first_with_key: dict[str, int] = {}
    result: list[int | None] = []
    for position, key in enumerate(keys):
        if not key:
            result.append(None)
            continue
        ordered = sorted(tokens[position], key=lambda t: (frequency[t], t))
        # ratio = 2M / (la + lb) >= threshold needs a shared multiset of at least
        # threshold * la / (2 - threshold) characters (the shortest partner allowed), so two such keys
        # share one of their first la - overlap + 1 rarest tokens.
        overlap = max(1, math.ceil(threshold * len(key) / (2 - threshold) - 1e-9))
        prefix = ordered[: len(key) - overlap + 1]
        match = first_with_key.get(key)
        if match is None:
            # The cheap upper bounds are symmetric, so one matcher with the key as its (cached) second
            # sequence serves every candidate; the few that pass get the full comparison.
            matcher = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(key)
            candidates = sorted({c for t in prefix for c in index.get(t, ())})
            for candidate in candidates:
                matcher.set_seq1(keys[candidate])
                if (
                    matcher.real_quick_ratio() >= threshold
                    and matcher.quick_ratio() >= threshold
                    and _ratio(key, keys[candidate]) >= threshold
                ):
                    match = candidate
                    break
        result.append(match)
        first_with_key.setdefault(key, position)
        for token in prefix:
            index.setdefault(token, []).append(position)
    return result


def _ratio(key_a: str, key_b: str) -> float:
    if not key_a or not key_b:
        return 0.0
    if key_a == key_b:
        return 1.0
    # difflib's ratio depends on which sequence comes first ("北京亚北北展" against "北京三展亚帆北" is 0.62
    # one way and 0.46 the other); the better alignment is the one a person sees.
    return max(
        SequenceMatcher(None, key_a, key_b, autojunk=False).ratio(),
        SequenceMatcher(None, key_b, key_a, autojunk=False).ratio(),
    )


def _clean(name: str | None) -> str:
    # NFKC turns full-width letters, digits, brackets and the ideographic space into their ASCII forms.
    text = unicodedata.normalize("NFKC", name or "").translate(_BRACKETS)
    text = re.sub(r"\s+", " ", text).strip()
    # Spaces mean nothing next to a Chinese character; between Latin words they separate "Co" from "Ltd".
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def _split(text: str) -> tuple[str, str]:
    # A branch written as an insert at the end: "XX有限公司(三亚分公司)".
    bracketed = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", text)
    if bracketed and bracketed.group(2).endswith(_BRANCH_WORDS):
        return bracketed.group(1), bracketed.group(2)
    latin = _LATIN_BRANCH.fullmatch(text)
    if latin:
        return latin.group("parent"), latin.group("branch").strip()
    for word in _BRANCH_WORDS:
        if text.endswith(word) and len(text) > len(word):
            head = text[: -len(word)]
            ends = [m.end() for m in _PARENT_END.finditer(head)]
            if ends:
                cut = ends[-1]
                return head[:cut], text[cut:]
            # No legal form to cut at ("云帆三亚分公司"): the whole head stands for the parent.
            return head, text[len(head) :]
    return text, ""


def _key(text: str) -> str:
    text = _INSERTS.sub(" ", text.casefold())
    # "(中国)" and "(集团)" are gone; other brackets keep their content, which may tell two enterprises
    # apart ("(海南)"), and lose only the brackets below.
    text = _strip_chinese_suffixes(text)
    words = [w for w in re.split(r"[\W_]+", text) if w]
    while len(words) > 1 and words[-1] in _LATIN_SUFFIXES:
        words.pop()
    text = _strip_chinese_suffixes("".join(words))
    return _PUNCTUATION_OR_SPACE.sub("", text)


def _strip_chinese_suffixes(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _CHINESE_SUFFIXES:
            if text.endswith(suffix):
                if text == suffix:  # nothing left to tell the enterprise by: keep the word
                    return text
                text = text[: -len(suffix)].rstrip(" .,·-")
                changed = True
                break
    return text
