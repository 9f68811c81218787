"""Masking personal data for people whose role does not need it (个人信息保护法: minimum necessary).

Pure module: text in, text out. Whether a user sees data in full is `crm.access.can_see_personal_data(user)`;
every page, export and API field showing a contact's mobile, phone, e-mail or ID number goes through `masked`
(see docs/security.md, "Masking personal data"):

    shown = masked({"mobile": contact.mobile, "email": contact.email}, reveal=can_see_personal_data(user))
"""

import re
from collections.abc import Callable, Mapping

MASK = "*"


def mask_mobile(value: str) -> str:
    """A phone number with only its first 3 and last 4 digits: "13907551234" -> "139****1234".

    Numbers shorter than a mobile number keep only their last third; separators and "+" stay in place.
    """
    value = value or ""
    positions = [i for i, char in enumerate(value) if char.isdigit()]
    keep_start, keep_end = (3, 4) if len(positions) >= 11 else (0, min(4, len(positions) // 3))
    hidden = set(positions[keep_start: len(positions) - keep_end])
    return "".join(MASK if i in hidden else char for i, char in enumerate(value))


def mask_id_number(value: str) -> str:
    """An ID number with its first 3 and last 4 characters: "460200199001011234" -> "460***********1234".

    Shorter documents (passports, permits) keep their first and last character only.
    """
    value = (value or "").strip()
    keep_start, keep_end = (3, 4) if len(value) >= 15 else (1, 1)
    if len(value) <= keep_start + keep_end:
        return MASK * len(value)
    return value[:keep_start] + MASK * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_email(value: str) -> str:
    """An e-mail address with only the first character of its name: "zhao@example.cn" -> "z***@example.cn"."""
    name, at, domain = (value or "").partition("@")
    if not at:
        return MASK * len(name)
    return f"{name[:1]}{MASK * 3}@{domain}"


# Inside free text ("何经理 13907560001"): e-mail addresses, 15- or 18-character ID numbers, then any run of at
# least 7 digits (with spaces, hyphens or a leading "+"), which is how phone numbers are written.
_IN_TEXT = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?<![0-9A-Za-z])(?P<id_number>\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z])(?P<phone>\+?\d(?:[\d -]{5,}\d))(?![0-9A-Za-z])",
)


def mask_text(value: str) -> str:
    """Free text with the numbers and e-mail addresses in it masked; words such as a name stay:
    "何经理 13907560001" -> "何经理 139****0001"."""

    def one(match: re.Match) -> str:
        kind = match.lastgroup
        text = match.group(kind)
        if kind == "phone" and sum(char.isdigit() for char in text) < 7:
            return text
        return MASKERS[kind](text)

    return _IN_TEXT.sub(one, value or "")


MASKERS: dict[str, Callable[[str], str]] = {
    "mobile": mask_mobile,
    "phone": mask_mobile,
    "email": mask_email,
    "id_number": mask_id_number,
    "text": mask_text,
}


def masked(values: Mapping[str, str], *, reveal: bool) -> dict[str, str]:
    """The values as this user may see them: unchanged when `reveal`, else each masked by its kind (the key)."""
    if reveal:
        return dict(values)
    return {kind: MASKERS[kind](value) if value else value for kind, value in values.items()}
