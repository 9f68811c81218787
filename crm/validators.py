"""The unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters from the set 0-9 A-H J-N P-R T U W-Y (no I, O, S, V, Z); the 18th is a check character:
31 - (sum of value x weight over the first 17) mod 31, where 31 maps back to 0.
"""

import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {c: i for i, c in enumerate(CHARSET)}


def normalize_credit_code(raw: str | None) -> str:
    """Upper-case, half-width, no spaces: what a person means when they paste a code."""
    if raw is None:
        return ""
    return unicodedata.normalize("NFKC", str(raw)).replace(" ", "").replace("-", "").strip().upper()


def credit_code_check_char(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why a (normalised) code is not a valid GB 32100-2015 code, or None when it is."""
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)}
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return _(
            "A unified social credit code uses only digits and the letters A-H, J-N, P-R, T, U, W-Y; "
            "“%(chars)s” is not allowed."
        ) % {"chars": "".join(bad)}
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return _(
            "The check character of this unified social credit code is wrong "
            "(the 18th character should be %(expected)s, not %(actual)s). Please check the code."
        ) % {"expected": expected, "actual": code[17]}
    return None


def validate_credit_code(value: str) -> None:
    """Field validator: refuses an invalid code unless an administrator verified it against the registry."""
    code = normalize_credit_code(value)
    if not code:
        return
    problem = credit_code_problem(code)
    if problem is None:
        return
    from crm.models import VerifiedCreditCode  # a late import: validators are loaded by models

    if VerifiedCreditCode.objects.filter(code=code).exists():
        return
    raise ValidationError(problem, code="invalid_credit_code")


# --- dates: one sane range for each kind of date ----------------------------------------------------------------
# The floor and the database's ceiling are fixed days, so the CheckConstraints of every app share them
# (`date_in_range`); how far ahead a date may lie depends on today, so it is a validator function (migrations
# keep a reference to it, not a value) run by full_clean in the services, hence by the pages, the API, the
# import and the back office alike.
EARLIEST_DAY = date(1990, 1, 1)  # before the bureau's records begin: a mistyped year, not history
LATEST_DAY = date(2100, 12, 31)  # beyond any plan: what the database itself refuses
EVENT_AHEAD_DAYS = 366  # something that happens (a lead received, a meeting, a payment) is dated at most a year ahead
DUE_AHEAD_YEARS = 10  # something due or planned (a follow-up, a condition, an event) at most ten years ahead


def _local_day(value) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _check_range(value, latest: date) -> None:
    if value is None:
        return
    day = _local_day(value)
    if not EARLIEST_DAY <= day <= latest:
        raise ValidationError(
            _("%(day)s is not a plausible date here: give a date from %(earliest)s to %(latest)s."),
            code="date_out_of_range",
            params={"day": day.isoformat(), "earliest": EARLIEST_DAY.isoformat(), "latest": latest.isoformat()})


def validate_event_date(value) -> None:
    """A business event that happened or is about to (received, met, paid in, signed): 1990 to a year ahead."""
    _check_range(value, min(timezone.localdate() + timedelta(days=EVENT_AHEAD_DAYS), LATEST_DAY))


def validate_due_date(value) -> None:
    """Something due or planned (a follow-up, a condition, a promotion event): 1990 to ten years ahead."""
    today = timezone.localdate()
    try:
        latest = today.replace(year=today.year + DUE_AHEAD_YEARS)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + DUE_AHEAD_YEARS, day=28)
    _check_range(value, min(latest, LATEST_DAY))


def date_in_range(field: str, *, name: str, is_datetime: bool = False, nullable: bool = False):
    """The database's own refusal of a date outside EARLIEST_DAY..LATEST_DAY (a datetime: in UTC, a day's margin)."""
    if is_datetime:
        low = datetime.combine(EARLIEST_DAY - timedelta(days=1), time(), tzinfo=UTC)
        high = datetime.combine(LATEST_DAY + timedelta(days=1), time(), tzinfo=UTC)
    else:
        low, high = EARLIEST_DAY, LATEST_DAY
    condition = Q(**{f"{field}__gte": low, f"{field}__lte": high})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return CheckConstraint(condition=condition, name=name)


# --- names ------------------------------------------------------------------------------------------------------
# Characters nobody can see (zero-width spaces and joiners, the byte-order mark, direction marks, control
# characters): a name made only of them looks empty and would hide a duplicate, so they go before any check.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def strip_invisible(value: str) -> str:
    """The text without invisible characters, and without spaces at its ends: "\u200b三亚\ufeff " -> "三亚"."""
    if not isinstance(value, str):
        return value
    return "".join(c for c in value if unicodedata.category(c) not in _INVISIBLE_CATEGORIES).strip()
