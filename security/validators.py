"""Password rules beyond Django's own (AUTH_PASSWORD_VALIDATORS): mixed character classes, no guessable pattern
(a common password or word with a year added, a keyboard walk) and no reuse of the last few passwords. The
history validator also remembers each new password (Django calls `password_changed` whenever a password is
saved), which starts the password's expiry period."""

import functools
import re
import string
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from security import audit
from security.choices import AuditAction
from security.services import password_record_change, password_set_by_another, password_was_used

# Lowercase letters, uppercase letters, digits, symbols (a Chinese character counts as a symbol).
CHARACTER_CLASSES = (
    lambda c: c in string.ascii_lowercase,
    lambda c: c in string.ascii_uppercase,
    lambda c: c in string.digits,
    lambda c: not (c.isascii() and c.isalnum()),
)


class CharacterClassesValidator:
    """At least `min_classes` of: lowercase letters, uppercase letters, digits, symbols (等保: complexity)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(1 for test in CHARACTER_CLASSES if any(test(c) for c in password))
        if used < self.min_classes:
            raise ValidationError(self._message(), code="password_too_simple")

    def get_help_text(self):
        return self._message()

    def _message(self):
        return ngettext(
            "Your password must mix at least %(n)d kind of character: lowercase letters, uppercase letters, "
            "digits and symbols.",
            "Your password must mix at least %(n)d kinds of characters: lowercase letters, uppercase "
            "letters, digits and symbols.",
            self.min_classes,
        ) % {"n": self.min_classes}


# Common words and breached passwords beyond Django's list (one a line, compared in lowercase): the ones seen
# in Chinese breaches and the product's own vocabulary.
PRODUCT_PASSWORD_LIST = Path(__file__).resolve().parent / "common_passwords.txt"

# Keyboard rows and columns (the columns chained, so "1qaz2wsx" is one walk) and the alphabet, shifted digits
# read as digits. A walk of four or more keys in either direction counts as a pattern.
KEYBOARD_SEQUENCES = (
    "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "abcdefghijklmnopqrstuvwxyz",
)
SHIFTED_DIGITS = str.maketrans("!@#$%^&*()", "1234567890")
LEET = str.maketrans({"@": "a", "4": "a", "8": "b", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s",
                      "7": "t", "+": "t"})
MIN_KEYBOARD_WALK = 4
# What is left of a password once its keyboard walks, digits and symbols are taken away must be this long.
MIN_LETTERS_BESIDE_WALKS = 4
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@functools.cache
def _common_passwords(extra_list: str) -> frozenset[str]:
    """Django's 20,000 common passwords and the product's list, lowercased; read once per process."""
    words = set(CommonPasswordValidator().passwords)
    path = Path(extra_list)
    if path.exists():
        words.update(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))
    return frozenset(words)


def _keyboard_pairs() -> tuple[frozenset, frozenset]:
    forward = {(a, b) for seq in KEYBOARD_SEQUENCES for a, b in zip(seq, seq[1:], strict=False)}
    return frozenset(forward), frozenset((b, a) for a, b in forward)


KEYBOARD_FORWARD, KEYBOARD_BACKWARD = _keyboard_pairs()


def without_keyboard_walks(text: str) -> tuple[str, bool]:
    """`text` with every walk of MIN_KEYBOARD_WALK or more neighbouring keys removed, and whether any was."""
    kept, found, start = [], False, 0
    while start < len(text):
        run = 1
        for pairs in (KEYBOARD_FORWARD, KEYBOARD_BACKWARD):
            stop = start + 1
            while stop < len(text) and (text[stop - 1], text[stop]) in pairs:
                stop += 1
            run = max(run, stop - start)
        if run >= MIN_KEYBOARD_WALK:
            found = True
            start += run
        else:
            kept.append(text[start])
            start += 1
    return "".join(kept), found


def guessable_pattern(password: str, extra_list: str = str(PRODUCT_PASSWORD_LIST)) -> str | None:
    """Why a password follows a pattern attackers try first ("common" or "keyboard"), or None.

    "common": a common or breached password, or a common word (letters swapped for look-alike digits and
    symbols read back) with digits or symbols before or after it, such as a year (`P@ssw0rd2026`,
    `Password123!`). "keyboard": little beyond keyboard walks, digits and symbols (`1qaz2wsx`, `Qwer!2026zz`).
    """
    lowered = password.lower()
    common = _common_passwords(extra_list)
    for text in (lowered, lowered.translate(LEET)):
        if _EDGES.sub("", text) in common or text in common:
            return "common"
    remainder, walked = without_keyboard_walks(lowered.translate(SHIFTED_DIGITS))
    if walked:
        letters = [c for c in remainder if c.isalpha()]
        if len(letters) < MIN_LETTERS_BESIDE_WALKS or _EDGES.sub("", remainder.translate(LEET)) in common:
            return "keyboard"
    return None


class GuessablePatternValidator:
    """Refuses common and breached passwords with a year or digits around them, and keyboard walks (等保:
    complexity). Works offline: the lists ship with Django and the product."""

    def __init__(self, password_list_path: str = str(PRODUCT_PASSWORD_LIST)):
        self.password_list_path = password_list_path

    def validate(self, password, user=None):
        kind = guessable_pattern(password, self.password_list_path)
        if kind == "common":
            raise ValidationError(
                _("This password is a common word or password with digits or symbols added, which attackers "
                  "try first."), code="password_common_pattern")
        if kind == "keyboard":
            raise ValidationError(
                _("This password is mostly a run of neighbouring keys (such as qwer or 1qaz), which attackers "
                  "try first."), code="password_keyboard_pattern")

    def get_help_text(self):
        return _("Your password cannot be a common password or word with digits or a year added, nor a run of "
                 "neighbouring keys.")


class PasswordHistoryValidator:
    """Refuses the account's last CRM_PASSWORD_HISTORY passwords and remembers every new one."""

    def validate(self, password, user=None):
        if user is not None and password_was_used(user=user, password=password):
            raise ValidationError(
                _("You used this password recently. Choose one you have not used before."),
                code="password_reused",
            )

    def password_changed(self, password, user=None):
        if user is None or not user.pk or not user.has_usable_password():
            return
        replaced = password_record_change(user=user, password_hash=user.password)
        meta = audit.current_meta()
        actor = meta.user() if meta.user else None
        if actor is not None and getattr(actor, "pk", None) and actor.pk != user.pk:
            password_set_by_another(user=user, by=actor)
            audit.record(action=AuditAction.PASSWORD_CHANGED, target=user, actor=actor,
                         detail={"set_by_another": True, "must_change": True})
        elif replaced:
            audit.record(action=AuditAction.PASSWORD_CHANGED, target=user)

    def get_help_text(self):
        return _("You cannot reuse one of your recent passwords.")
