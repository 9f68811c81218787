"""The permission matrix: every named URL of the product × every role.

Each app lists its cases in tests/<app>/url_matrix.py as CASES. test_url_permissions runs every case for
every role and fails when a named URL of the product has no case at all, so a new page cannot ship
without its permission test.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anon", "officer", "other_officer", "leader", "admin", "reviewer")
PRODUCT_NAMESPACES = ("crm", "leads", "projects", "reports", "api", "awards", "aftercare")


@dataclass(frozen=True)
class UrlCase:
    name: str
    expect: dict  # role -> status code; roles left out are not checked
    kwargs: Callable[[dict], dict] = field(default=lambda p: {})
    method: str = "get"
    data: Callable[[dict], dict] | None = None
    id: str = ""

    def label(self):
        return self.id or self.name


def staff_only(ok=200):
    """A bureau page: the bureau's people see it; partner reviewers get 404; strangers go to the login page."""
    return {"anon": 302, "officer": ok, "other_officer": ok, "leader": ok, "admin": ok, "reviewer": 404}
