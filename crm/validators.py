"""The unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters from the set 0-9 A-H J-N P-R T U W-Y (no I, O, S, V, Z); the 18th is a check character:
31 - (sum of value x weight over the first 17) mod 31, where 31 maps back to 0.
"""

import unicodedata

from django.core.exceptions import ValidationError
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
