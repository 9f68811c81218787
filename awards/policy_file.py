"""Award policies as human-readable files (YAML, or JSON), and a project's facts as JSON.

The format is documented with full examples in docs/award-policy.md. Its two rules about numbers:

* In a policy file every money value carries its unit ("5000万元", "2亿元", "1200元") and every rate its sign
  ("1%", "0.5‰"): a factor of 10,000 or 100 is too expensive a mistake to leave to a default.
* In a facts file a bare number is 万元, the unit people type; a string may carry its unit ("1.2亿元").
  Foreign capital is a list of records in 万美元 (or USD), each with the CNY rate of its own date.

Loading validates (``engine.validate_policy``) and refuses a bad file with messages naming the clause and the
field; ``dump_policy(load_policy(text))`` keeps the meaning (the same ``Policy``), though not the comments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.utils.translation import gettext

from .engine import (
    AMOUNT_FACTS,
    BY_YEAR_FACTS,
    FACT_NAMES,
    FLAG_FACTS,
    WHOLE_AT_ONCE,
    AppliesTo,
    Base,
    Beneficiary,
    Bonus,
    Bracket,
    Caps,
    Clause,
    Eligibility,
    Facts,
    FlagCondition,
    Instalment,
    Minimum,
    MoneyRecord,
    Policy,
    Problem,
    Shape,
    Threshold,
    Unit,
    YearRate,
    gettext_noop,
    validate_policy,
)

FORMAT_VERSION = 1

POLICY_FIELDS = (
    "format",
    "key",
    "title",
    "document_number",
    "issuer",
    "effective_from",
    "effective_to",
    "applies_to",
    "project_cap",
    "source",
    "notes",
    "clauses",
)
CLAUSE_FIELDS = (
    "key",
    "title",
    "article",
    "note",
    "beneficiary",
    "base",
    "shape",
    "rate",
    "brackets",
    "amount",
    "threshold",
    "schedule",
    "bonus",
    "caps",
    "eligibility",
    "exclusive_group",
    "instalments",
)
LOWER_WORDS = {"at_least": True, "over": False}  # 以上 includes the number, 超过 does not
UPPER_WORDS = {"at_most": True, "under": False}  # 以下/以内 include it, 不满 does not

_MONEY = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(元|万元|亿元)$")
_YEARS = re.compile(r"^(\d+)(?:\s*-\s*(\d+))?$")
_INDUSTRY = re.compile(r"^[A-T]?\d{0,4}$")
_FEN = Decimal("0.01")


class PolicyFileError(ValueError):
    """A policy file that cannot be used; ``problems`` says where (clause, field) and what, for each."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [describe_problem(problem) for problem in self.problems]


class FactsError(ValueError):
    """A facts file that cannot be used: ``field`` names the fact (and record) at fault."""

    def __init__(self, field: str, message: str, **params):
        self.field = field
        problem = gettext(message) % params
        super().__init__(gettext('Fact "%(field)s": %(problem)s') % {"field": field, "problem": problem})


def describe_problem(problem: Problem) -> str:
    """A translated sentence naming the clause (if any) and the field of a problem."""
    text = problem.render(gettext)
    if problem.clause:
        return gettext('Clause "%(clause)s", field "%(field)s": %(problem)s') % {
            "clause": problem.clause,
            "field": problem.field,
            "problem": text,
        }
    return gettext('Policy field "%(field)s": %(problem)s') % {"field": problem.field, "problem": text}


def _fail(clause: str, field: str, message: str, **params):
    raise PolicyFileError([Problem(clause, field, message, params)])


# --- reading text ---------------------------------------------------------------------------------


# A policy is a few pages; a longer document is refused before it is parsed, and so are YAML aliases, whose
# references let a few lines expand into millions of values (the "billion laughs").
MAX_DOCUMENT_CHARS = 500_000


class _DecimalLoader(yaml.SafeLoader):
    """The safe YAML loader, reading decimal numbers exactly as ``Decimal`` instead of binary floats, and
    refusing aliases (``*name``), which a policy does not need."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"alias *{event.anchor} is not allowed",
                                              event.start_mark)
        return super().compose_node(parent, index)


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise yaml.constructor.ConstructorError(None, None, f"not a finite number: {text}", node.start_mark)
    return value


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def parse_text(text: str, fmt: str = "yaml"):
    """The data of a YAML or JSON text, numbers exact; a syntax error is a ``PolicyFileError``."""
    if len(text) > MAX_DOCUMENT_CHARS:
        _fail("", "(file)", gettext_noop("the file is longer than %(limit)s characters; a policy is a few pages"),
              limit=MAX_DOCUMENT_CHARS)
    try:
        if fmt == "json":
            return json.loads(text, parse_float=Decimal)
        return yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - a SafeLoader subclass
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        _fail(
            "",
            "(file)",
            gettext_noop("the file is not valid %(format)s: %(error)s"),
            format=fmt.upper(),
            error=str(exc),
        )
    except RecursionError:
        _fail("", "(file)", gettext_noop("the file is not valid %(format)s: it is nested too deeply"),
              format=fmt.upper())


def load_policy(text: str, fmt: str = "yaml") -> Policy:
    """Read and validate a policy from YAML (the default) or JSON text."""
    return policy_from_data(parse_text(text, fmt))


def read_policy_file(path: str | Path) -> Policy:
    """Read and validate a policy file; ``.json`` files are JSON, anything else YAML."""
    path = Path(path)
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    return load_policy(path.read_text(encoding="utf-8"), fmt)


# --- data → Policy --------------------------------------------------------------------------------


def policy_from_data(data) -> Policy:
    """Build a policy from loaded data, refusing unknown fields and anything ``validate_policy`` refuses."""
    data = _mapping(data, "", "(file)")
    _known_fields(data, POLICY_FIELDS, "", "")
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        _fail("", "format", gettext_noop("only format %(version)s is understood"), version=FORMAT_VERSION)
    clauses_data = data.get("clauses") or []
    if not isinstance(clauses_data, list):
        _fail("", "clauses", gettext_noop("expected a list"))
    policy = Policy(
        key=_text(data.get("key"), "", "key"),
        title=_text(data.get("title"), "", "title"),
        document_number=_text(data.get("document_number"), "", "document_number"),
        issuer=_text(data.get("issuer"), "", "issuer"),
        effective_from=_date(data.get("effective_from"), "", "effective_from"),
        effective_to=_date(data.get("effective_to"), "", "effective_to"),
        applies_to=_choice(data.get("applies_to", AppliesTo.SIGNED.value), AppliesTo, "", "applies_to"),
        project_cap=_money(data.get("project_cap"), "", "project_cap"),
        source=_text(data.get("source"), "", "source"),
        notes=_text(data.get("notes"), "", "notes"),
        clauses=tuple(_clause(item, i) for i, item in enumerate(clauses_data)),
    )
    problems = validate_policy(policy)
    if problems:
        raise PolicyFileError(problems)
    return policy


def _clause(data, index: int) -> Clause:
    data = _mapping(data, f"clauses[{index}]", "")
    key = data.get("key") if isinstance(data.get("key"), str) and data.get("key") else f"clauses[{index}]"
    _known_fields(data, CLAUSE_FIELDS, key, "")
    for required in ("beneficiary", "base", "shape"):
        if data.get(required) is None:
            _fail(key, required, gettext_noop("this field is required"))
    return Clause(
        key=key,
        title=_text(data.get("title"), key, "title"),
        article=_text(data.get("article"), key, "article"),
        note=_text(data.get("note"), key, "note"),
        beneficiary=_choice(data["beneficiary"], Beneficiary, key, "beneficiary"),
        base=_choice(data["base"], Base, key, "base"),
        shape=_choice(data["shape"], Shape, key, "shape"),
        rate=_rate(data.get("rate"), key, "rate"),
        brackets=tuple(
            _bracket(item, key, f"brackets[{i}]") for i, item in enumerate(_list(data, "brackets", key))
        ),
        amount=_money(data.get("amount"), key, "amount"),
        threshold=_sole_threshold(data.get("threshold"), LOWER_WORDS, key, "threshold"),
        schedule=tuple(
            _year_rate(item, key, f"schedule[{i}]") for i, item in enumerate(_list(data, "schedule", key))
        ),
        bonus=_bonus(data.get("bonus"), key),
        caps=_caps(data.get("caps"), key),
        eligibility=_eligibility(data.get("eligibility"), key),
        exclusive_group=_text(data.get("exclusive_group"), key, "exclusive_group"),
        instalments=_instalments(data.get("instalments"), key),
    )


def _bracket(data, clause: str, where: str) -> Bracket:
    data = _mapping(data, clause, where)
    _known_fields(data, ("at_least", "over", "at_most", "under", "rate", "amount"), clause, where)
    return Bracket(
        lower=_threshold_in(data, LOWER_WORDS, clause, where),
        upper=_threshold_in(data, UPPER_WORDS, clause, where),
        rate=_rate(data.get("rate"), clause, f"{where}.rate"),
        amount=_money(data.get("amount"), clause, f"{where}.amount"),
    )


def _year_rate(data, clause: str, where: str) -> YearRate:
    data = _mapping(data, clause, where)
    _known_fields(data, ("years", "rate"), clause, where)
    value = data.get("years")
    match = _YEARS.match(str(value).strip()) if isinstance(value, (int, str)) else None
    if match is None:
        _fail(clause, f"{where}.years", gettext_noop('write a year ("4") or a range of years ("1-3")'))
    first = int(match.group(1))
    last = int(match.group(2) or first)
    rate = _rate(data.get("rate"), clause, f"{where}.rate")
    if rate is None:
        _fail(clause, f"{where}.rate", gettext_noop("this field is required"))
    return YearRate(first, last, rate)


def _bonus(data, clause: str) -> Bonus | None:
    if data is None:
        return None
    data = _mapping(data, clause, "bonus")
    _known_fields(data, ("rate", "when"), clause, "bonus")
    rate = _rate(data.get("rate"), clause, "bonus.rate")
    when = _text(data.get("when"), clause, "bonus.when")
    if rate is None or not when:
        _fail(clause, "bonus", gettext_noop("a bonus needs a rate and the flag it depends on (when)"))
    return Bonus(rate, when)


def _caps(data, clause: str) -> Caps:
    if data is None:
        return Caps()
    data = _mapping(data, clause, "caps")
    _known_fields(data, ("per_year", "total"), clause, "caps")
    return Caps(
        per_year=_money(data.get("per_year"), clause, "caps.per_year"),
        total=_money(data.get("total"), clause, "caps.total"),
    )


def _eligibility(data, clause: str) -> Eligibility:
    if data is None:
        return Eligibility()
    where = "eligibility"
    data = _mapping(data, clause, where)
    _known_fields(
        data, ("minimums", "flags", "industries", "excluded_industries", "years_since_signing"), clause, where
    )
    minimums = []
    for i, item in enumerate(_list(data, "minimums", clause, where)):
        place = f"{where}.minimums[{i}]"
        item = _mapping(item, clause, place)
        _known_fields(item, ("fact", "at_least", "over"), clause, place)
        minimums.append(
            Minimum(
                _text(item.get("fact"), clause, f"{place}.fact"),
                _threshold_in(item, LOWER_WORDS, clause, place, required=True),
            )
        )
    flags = _mapping(data.get("flags") or {}, clause, f"{where}.flags")
    for name, required in flags.items():
        if not isinstance(required, bool):
            _fail(clause, f"{where}.flags.{name}", gettext_noop("expected true or false"))
    return Eligibility(
        minimums=tuple(minimums),
        flags=tuple(FlagCondition(name, required) for name, required in flags.items()),
        industries=_codes(data, "industries", clause),
        excluded_industries=_codes(data, "excluded_industries", clause),
        years_since_signing=_sole_threshold(
            data.get("years_since_signing"), UPPER_WORDS, clause, f"{where}.years_since_signing", money=False
        ),
    )


def _codes(data: Mapping, name: str, clause: str) -> tuple[str, ...]:
    return tuple(
        _text(code, clause, f"eligibility.{name}").upper()
        for code in _list(data, name, clause, "eligibility")
    )


def _instalments(data, clause: str) -> tuple[Instalment, ...]:
    if data is None:
        return WHOLE_AT_ONCE
    if not isinstance(data, list) or not data:
        _fail(clause, "instalments", gettext_noop("expected a list of instalments"))
    instalments = []
    for i, item in enumerate(data):
        where = f"instalments[{i}]"
        item = _mapping(item, clause, where)
        _known_fields(item, ("share", "condition"), clause, where)
        share = _rate(item.get("share"), clause, f"{where}.share")
        if share is None:
            _fail(clause, f"{where}.share", gettext_noop("this field is required"))
        instalments.append(Instalment(share, _text(item.get("condition"), clause, f"{where}.condition")))
    return tuple(instalments)


# --- field readers --------------------------------------------------------------------------------


def _where(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _mapping(value, clause: str, where: str) -> Mapping:
    if not isinstance(value, Mapping):
        _fail(clause, where or "(clause)", gettext_noop("expected a mapping of field names to values"))
    return value


def _list(data: Mapping, name: str, clause: str, prefix: str = "") -> list:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        _fail(clause, _where(prefix, name), gettext_noop("expected a list"))
    return value


def _known_fields(data: Mapping, allowed: Sequence[str], clause: str, prefix: str) -> None:
    for name in data:
        if name not in allowed:
            _fail(
                clause,
                _where(prefix, str(name)),
                gettext_noop("unknown field (expected one of: %(allowed)s)"),
                allowed=", ".join(allowed),
            )


def _text(value, clause: str, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        _fail(clause, where, gettext_noop("expected text"))
    return value.strip()


def _choice(value, choices, clause: str, where: str):
    try:
        return choices(value)
    except ValueError:
        _fail(
            clause,
            where,
            gettext_noop("%(value)s is not one of: %(choices)s"),
            value=value,
            choices=", ".join(choice.value for choice in choices),
        )


def _date(value, clause: str, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        _fail(clause, where, gettext_noop("expected a date written YYYY-MM-DD"))


def _money(value, clause: str, where: str) -> Decimal | None:
    """A money value of a policy, in 元: always written with its unit (元, 万元 or 亿元)."""
    if value is None:
        return None
    match = _MONEY.match(str(value).replace(",", "").strip()) if isinstance(value, str) else None
    if match is None:
        _fail(clause, where, gettext_noop('write the amount with its unit, e.g. "5000万元" or "2亿元"'))
    yuan = Decimal(match.group(1)) * Unit(match.group(2)).factor
    if yuan != yuan.quantize(_FEN):
        _fail(clause, where, gettext_noop("an amount cannot be finer than 0.01 元"))
    return yuan


def _rate(value, clause: str, where: str) -> Decimal | None:
    """A rate written with its sign: "1%" or "0.5‰", returned as a fraction."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else ""
    divisor = {"%": Decimal(100), "‰": Decimal(1000)}.get(text[-1:])
    try:
        number = Decimal(text[:-1].strip()) if divisor else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        _fail(clause, where, gettext_noop('write the rate as a percentage ("2%%") or per mille ("0.5‰")'))
    return number / divisor


def _threshold_in(
    data, words: Mapping[str, bool], clause: str, where: str, required: bool = False, money: bool = True
) -> Threshold | None:
    """The one threshold of ``data`` written with one of ``words`` (e.g. at_least: 以上, over: 超过)."""
    if data is None:
        return None
    data = _mapping(data, clause, where)
    found = [word for word in words if word in data]
    if len(found) > 1:
        _fail(clause, where, gettext_noop("give only one of %(words)s"), words=", ".join(found))
    if not found:
        if required:
            _fail(clause, where, gettext_noop("give one of %(words)s"), words=", ".join(words))
        return None
    word = found[0]
    place = _where(where, word)
    value = _money(data[word], clause, place) if money else _plain_number(data[word], clause, place)
    return Threshold(value, inclusive=words[word])


def _sole_threshold(data, words: Mapping[str, bool], clause: str, where: str, money: bool = True):
    """A field that holds nothing but a threshold, e.g. ``threshold: {at_least: 1亿元}``."""
    if data is None:
        return None
    _known_fields(_mapping(data, clause, where), tuple(words), clause, where)
    return _threshold_in(data, words, clause, where, required=True, money=money)


def _plain_number(value, clause: str, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        _fail(clause, where, gettext_noop("expected a number"))
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        _fail(clause, where, gettext_noop("expected a number"))


# --- Policy → data --------------------------------------------------------------------------------


def dump_policy(policy: Policy, fmt: str = "yaml") -> str:
    """The policy as YAML (the default) or JSON text that ``load_policy`` reads back to the same policy."""
    data = policy_to_data(policy)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=110)


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def policy_to_data(policy: Policy) -> dict:
    """Plain data for a policy: money with units, rates with %, defaults left out so the file stays short."""
    data = {"format": FORMAT_VERSION, "key": policy.key, "title": policy.title}
    _put(data, "document_number", policy.document_number)
    _put(data, "issuer", policy.issuer)
    data["effective_from"] = policy.effective_from
    _put(data, "effective_to", policy.effective_to)
    data["applies_to"] = policy.applies_to.value
    _put(data, "project_cap", money_text(policy.project_cap))
    _put(data, "source", policy.source)
    _put(data, "notes", policy.notes)
    data["clauses"] = [_clause_data(clause) for clause in policy.clauses]
    return data


def _put(data: dict, name: str, value) -> None:
    """Set a field only when it says something, so defaults stay out of the file."""
    if value is None or (isinstance(value, (str, list, tuple, dict)) and not value):
        return
    data[name] = value


def _clause_data(clause: Clause) -> dict:
    data = {"key": clause.key}
    _put(data, "title", clause.title)
    _put(data, "article", clause.article)
    _put(data, "note", clause.note)
    data.update(beneficiary=clause.beneficiary.value, base=clause.base.value, shape=clause.shape.value)
    _put(data, "rate", rate_text(clause.rate))
    _put(data, "brackets", [_bracket_data(bracket) for bracket in clause.brackets])
    _put(data, "amount", money_text(clause.amount))
    _put(data, "threshold", _threshold_data(clause.threshold, LOWER_WORDS))
    _put(data, "schedule", [_year_rate_data(year_rate) for year_rate in clause.schedule])
    if clause.bonus is not None:
        data["bonus"] = {"rate": rate_text(clause.bonus.rate), "when": clause.bonus.when}
    caps = {"per_year": money_text(clause.caps.per_year), "total": money_text(clause.caps.total)}
    _put(data, "caps", {name: value for name, value in caps.items() if value is not None})
    _put(data, "eligibility", _eligibility_data(clause.eligibility))
    _put(data, "exclusive_group", clause.exclusive_group)
    if clause.instalments != WHOLE_AT_ONCE:
        data["instalments"] = [_instalment_data(instalment) for instalment in clause.instalments]
    return data


def _bracket_data(bracket: Bracket) -> dict:
    data = {**_threshold_data(bracket.lower, LOWER_WORDS), **_threshold_data(bracket.upper, UPPER_WORDS)}
    _put(data, "rate", rate_text(bracket.rate))
    _put(data, "amount", money_text(bracket.amount))
    return data


def _threshold_data(threshold: Threshold | None, words: Mapping[str, bool], money: bool = True) -> dict:
    if threshold is None:
        return {}
    word = next(word for word, inclusive in words.items() if inclusive is threshold.inclusive)
    return {word: money_text(threshold.value) if money else _number_value(threshold.value)}


def _year_rate_data(year_rate: YearRate) -> dict:
    years = (
        str(year_rate.first_year)
        if year_rate.first_year == year_rate.last_year
        else (f"{year_rate.first_year}-{year_rate.last_year}")
    )
    return {"years": years, "rate": rate_text(year_rate.rate)}


def _eligibility_data(eligibility: Eligibility) -> dict:
    data = {}
    _put(
        data,
        "minimums",
        [{"fact": m.fact, **_threshold_data(m.threshold, LOWER_WORDS)} for m in eligibility.minimums],
    )
    _put(data, "flags", {flag.fact: flag.required for flag in eligibility.flags})
    _put(data, "industries", list(eligibility.industries))
    _put(data, "excluded_industries", list(eligibility.excluded_industries))
    _put(
        data,
        "years_since_signing",
        _threshold_data(eligibility.years_since_signing, UPPER_WORDS, money=False),
    )
    return data


def _instalment_data(instalment: Instalment) -> dict:
    data = {"share": rate_text(instalment.share)}
    _put(data, "condition", instalment.condition)
    return data


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _number_value(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else _plain(value)


def money_text(yuan: Decimal | None) -> str | None:
    """元 written for a person: whole 亿 as 亿元, whole hundreds as 万元, anything finer as 元."""
    if yuan is None:
        return None
    if yuan and yuan % Unit.YI_YUAN.factor == 0:
        return f"{_plain(yuan / Unit.YI_YUAN.factor)}亿元"
    if yuan % 100 == 0:
        return f"{_plain(yuan / Unit.WAN_YUAN.factor)}万元"
    return f"{_plain(yuan)}元"


def rate_text(rate: Decimal | None) -> str | None:
    """A fraction written as a percentage ("2%")."""
    return None if rate is None else f"{_plain(rate * 100)}%"


# --- facts ----------------------------------------------------------------------------------------


def load_facts(text: str) -> Facts:
    """Read a project's facts from JSON text (numbers exact)."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FactsError(
            "(file)", gettext_noop("the file is not valid JSON: %(error)s"), error=str(exc)
        ) from exc
    return facts_from_data(data)


def facts_from_data(data) -> Facts:
    """Build ``Facts`` from a mapping of fact names, refusing unknown names and values of the wrong kind."""
    if not isinstance(data, Mapping):
        raise FactsError("(file)", gettext_noop("expected an object of fact names and values"))
    values = {}
    for name, value in data.items():
        if name not in FACT_NAMES:
            raise FactsError(
                name, gettext_noop("unknown fact (known: %(known)s)"), known=", ".join(FACT_NAMES)
            )
        if value is not None:
            values[name] = _fact(name, value)
    return Facts(**values)


def _fact(name: str, value):
    if name in AMOUNT_FACTS:
        return _amount_fact(name, value)
    if name in BY_YEAR_FACTS:
        return _yearly_fact(name, value)
    if name in FLAG_FACTS:
        if not isinstance(value, bool):
            raise FactsError(name, gettext_noop("expected true or false"))
        return value
    if name == "industry":
        code = value.strip().upper() if isinstance(value, str) else ""
        if not code or not _INDUSTRY.match(code):
            raise FactsError(name, gettext_noop('expected a GB/T 4754 code such as "M" or "M7320"'))
        return code
    return _fact_number(value, name)  # years_since_signing


def _amount_fact(name: str, value) -> tuple[MoneyRecord, ...]:
    """A number (万元), a string with its unit, or a list of records (the only form foreign capital takes)."""
    foreign = name == "foreign_capital_usd"
    if isinstance(value, list):
        return tuple(_record(item, f"{name}[{i}]", foreign) for i, item in enumerate(value))
    if foreign:
        raise FactsError(name, gettext_noop("expected a list of records, each with its amount and rate"))
    amount, unit = _fact_money(value, name)
    return (MoneyRecord(amount, unit),)


def _record(data, field: str, foreign: bool) -> MoneyRecord:
    if not isinstance(data, Mapping):
        raise FactsError(field, gettext_noop("expected a record with amount, unit, rate and date"))
    for key in data:
        if key not in ("amount", "unit", "rate", "date"):
            raise FactsError(
                f"{field}.{key}", gettext_noop("unknown field (expected amount, unit, rate, date)")
            )
    default_unit = Unit.WAN_USD if foreign else Unit.WAN_YUAN
    try:
        unit = Unit(data.get("unit", default_unit.value))
    except ValueError:
        raise FactsError(
            f"{field}.unit",
            gettext_noop("expected one of: %(units)s"),
            units=", ".join(unit.value for unit in Unit),
        ) from None
    if foreign and not unit.is_usd:
        raise FactsError(f"{field}.unit", gettext_noop("foreign capital is recorded in 万美元 or USD"))
    amount = _fact_number(data.get("amount"), f"{field}.amount")
    rate = None
    if unit.is_usd:
        rate = _fact_number(data.get("rate"), f"{field}.rate")
        if rate == 0:
            raise FactsError(f"{field}.rate", gettext_noop("an exchange rate cannot be zero"))
    elif "rate" in data:
        raise FactsError(f"{field}.rate", gettext_noop("only an amount in USD takes an exchange rate"))
    on = data.get("date")
    try:
        on = None if on is None else date.fromisoformat(str(on))
    except ValueError:
        raise FactsError(f"{field}.date", gettext_noop("expected a date written YYYY-MM-DD")) from None
    return MoneyRecord(amount, unit, rate, on)


def _yearly_fact(name: str, value) -> dict[int, Decimal]:
    """An object of award year ("0", "1", ...) to amount in 万元 (or a string with its unit), kept in 元."""
    if not isinstance(value, Mapping):
        raise FactsError(name, gettext_noop('expected an object of years and amounts, e.g. {"1": 500}'))
    series = {}
    for year, amount in value.items():
        if not str(year).isdigit():
            raise FactsError(f"{name}[{year}]", gettext_noop("a year is a whole number from 0"))
        number, unit = _fact_money(amount, f"{name}[{year}]")
        series[int(year)] = number * unit.factor
    return series


def _fact_money(value, field: str) -> tuple[Decimal, Unit]:
    if isinstance(value, str):
        match = _MONEY.match(value.replace(",", "").strip())
        if match:
            return _not_negative(Decimal(match.group(1)), field), Unit(match.group(2))
    return _fact_number(value, field), Unit.WAN_YUAN


def _fact_number(value, field: str) -> Decimal:
    """A non-negative number: a JSON number or a numeric string (thousands separators allowed)."""
    if isinstance(value, bool) or value is None:
        raise FactsError(field, gettext_noop("expected a number"))
    try:
        number = (
            Decimal(str(value).replace(",", "").strip())
            if isinstance(value, (int, float, Decimal, str))
            else None
        )
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise FactsError(
            field, gettext_noop("%(value)s is not a number"), value=json.dumps(value, default=str)
        )
    return _not_negative(number, field)


def _not_negative(number: Decimal, field: str) -> Decimal:
    if number < 0:
        raise FactsError(field, gettext_noop("cannot be negative"))
    return number
