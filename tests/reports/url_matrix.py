"""Permission cases of the statistics pages (see tests/url_matrix.py)."""

from tests.url_matrix import UrlCase, staff_only

PERIOD = {"year": 2026, "month": 10}

CASES = [
    UrlCase("reports:dashboard", staff_only()),
    UrlCase("reports:records", staff_only(), data=lambda p: {"indicator": "signed_projects", **PERIOD}),
    UrlCase("reports:export", staff_only(), data=lambda p: PERIOD),
    # Only a leader publishes; the others may see the dashboard but not act (403); reviewers see nothing (404).
    UrlCase("reports:publish", {"anon": 302, "officer": 403, "other_officer": 403, "leader": 302, "admin": 403,
                                "reviewer": 404}, method="post", data=lambda p: PERIOD),
    UrlCase("reports:work_plan", {"anon": 302, "officer": 403, "other_officer": 403, "leader": 200, "admin": 200,
                                  "reviewer": 404}, kwargs=lambda p: {"year": 2026}),
    UrlCase("reports:my_turnaround", {"anon": 302, "officer": 404, "leader": 404, "admin": 404, "reviewer": 200}),
    UrlCase("reports:plotly_js", {"anon": 200, "officer": 200, "leader": 200, "reviewer": 200}),
]
