"""Password rules beyond Django's own (AUTH_PASSWORD_VALIDATORS): mixed character classes and no reuse of the
last few passwords. The history validator also remembers each new password (Django calls `password_changed`
whenever a password is saved), which starts the password's expiry period."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from security import audit
from security.choices import AuditAction
from security.services import password_record_change, password_was_used

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
        if password_record_change(user=user, password_hash=user.password):
            audit.record(action=AuditAction.PASSWORD_CHANGED, target=user)

    def get_help_text(self):
        return _("You cannot reuse one of your recent passwords.")
