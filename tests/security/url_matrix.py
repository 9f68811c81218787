"""Permission cases for the security pages. Run by tests/security/test_url_permissions.py with the two extra
administrator personas (security_admin, audit_admin) beside the shared ones."""

from tests.url_matrix import UrlCase

ROLES = ("anon", "officer", "leader", "admin", "reviewer", "security_admin", "audit_admin")
SIGNED_IN = ("officer", "leader", "admin", "reviewer", "security_admin", "audit_admin")


def only(role, ok=200, others=404):
    """A page for one administrator: everyone else gets 404; strangers go to the login page."""
    return {"anon": 302, **{r: others for r in SIGNED_IN}, role: ok}


def everyone(ok=200):
    return {"anon": 302, **{r: ok for r in SIGNED_IN}}


def _officer(p):
    return {"pk": p["officer"].pk}


def _own(p):
    return {"pk": p["security_admin"].pk}


def _officers_token(p):
    from crm.api.tokens import api_token_issue

    return {"pk": api_token_issue(user=p["officer"], name="matrix", by=p["officer"])[0].pk}


CASES = [
    UrlCase("security:account_security", everyone()),
    UrlCase("security:password_change", everyone()),
    UrlCase("security:otp_enrol", everyone()),
    UrlCase("security:otp_verify", everyone(302)),  # nothing enrolled yet: sent to the enrolment page
    UrlCase("security:otp_recovery_codes", everyone(403), method="post", data=lambda p: {}),
    UrlCase("security:otp_recovery_codes", everyone(405), id="security:otp_recovery_codes-get"),
    UrlCase("security:account_list", only("security_admin")),
    UrlCase("security:account_role", only("security_admin"), _officer),
    UrlCase("security:account_role", {**only("security_admin", ok=403)}, _own, id="security:account_role-own"),
    UrlCase("security:account_otp_reset", only("security_admin", ok=302), _officer, method="post",
            data=lambda p: {}),
    UrlCase("security:account_unlock", only("security_admin", ok=302), _officer, method="post", data=lambda p: {}),
    # A person's own tokens open only in a session that passed the second factor: the matrix's sessions did not,
    # so everyone is sent to it first (tests/security/test_api_tokens.py goes through it).
    UrlCase("security:api_token_list", everyone(302)),
    UrlCase("security:api_token_list", everyone(302), method="post", data=lambda p: {"name": "matrix"},
            id="security:api_token_list-post"),
    UrlCase("security:api_token_revoke", everyone(302), _officers_token, method="post", data=lambda p: {}),
    UrlCase("security:account_token_list", only("security_admin")),
    UrlCase("security:account_token_revoke", only("security_admin", ok=302), _officers_token, method="post",
            data=lambda p: {}),
    UrlCase("security:audit_list", only("audit_admin")),
    UrlCase("security:audit_export", only("audit_admin")),
    UrlCase("security:audit_verify", only("audit_admin", ok=302), method="post", data=lambda p: {}),
]
