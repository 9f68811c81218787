"""Changes to the shared core records. Views, the admin, imports and the API call these; none take a request."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crm.choices import Role
from crm.models import Bureau, Contact, Enterprise, User
from crm.roles import ROLE_GROUP_NAMES


class StaleEdit(ValidationError):
    """Raised when a save is based on an older version of a record than the one now stored."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _("Someone else saved this record while you were editing it. Your changes were not saved; "
              "the current version is shown below."),
            code="stale",
        )


def locked_at_version(instance, *, version: int | None):
    """The record's stored row, locked for this transaction; StaleEdit when its version is no longer the one
    the page or the API client read (`version`). The caller saves it with `version + 1`."""
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    if version is None or current.version != version:
        raise StaleEdit(current)
    return current


def user_set_role(*, user: User, role: str, bureau: Bureau | None = None) -> User:
    """Give a user exactly one role: the role field, the matching group, and staff access for administrators."""
    if role == Role.REVIEWER and bureau is None:
        raise ValidationError(_("A partner reviewer must belong to a bureau."))
    user.role = role
    user.bureau = bureau
    user.is_staff = role == Role.ADMIN
    user.save()
    user.groups.set([Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])[0]])
    return user


def user_create(*, username: str, password: str | None, role: str, full_name: str = "",
                bureau: Bureau | None = None, email: str = "") -> User:
    user = User(username=username, full_name=full_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.role = role
    user.bureau = bureau
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        user_set_role(user=user, role=role, bureau=bureau)
    return user


def _clean_and_save(instance, *, fields=None):
    instance.full_clean()
    instance.save(update_fields=fields)
    return instance


@transaction.atomic
def enterprise_create(*, by: User, key_industries=(), **fields) -> Enterprise:
    """Register a new enterprise; field validators refuse a bad credit code, a duplicate or negative capital."""
    enterprise = Enterprise(created_by=by, **fields)
    enterprise.full_clean()
    enterprise.save()
    if key_industries:
        enterprise.key_industries.set(key_industries)
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, by: User, version: int, key_industries=None,
                      **fields) -> Enterprise:
    """Save changes made on a page that showed `version`; refuse if someone saved in between."""
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if current.version != version:
        raise StaleEdit(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    # The row is locked (select_for_update), so a plain increment cannot race.
    current.version = version + 1
    current._history_user = by
    current.save()
    if key_industries is not None:
        current.key_industries.set(key_industries)
    return current


def contact_create(*, enterprise: Enterprise, **fields) -> Contact:
    contact = Contact(enterprise=enterprise, **fields)
    return _clean_and_save(contact)


@transaction.atomic
def contact_update(*, contact: Contact, version: int | None, **fields) -> Contact:
    """Save changes made on a page (or by an API client) that read `version`; StaleEdit if someone saved since."""
    current = locked_at_version(contact, version=version)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.version = version + 1
    current.save()
    return current
