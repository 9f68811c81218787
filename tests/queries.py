"""Counting a page's queries, and the registry of the lists whose query counts are pinned.

Every list page costs the same number of queries for a few rows or many (STYLE: query counts are tested). The
tests measure a page with ``count_queries`` at two data sizes and pin the number, with a comment explaining
it. ``LIST_QUERY_COUNTS`` names, for every list page of the URLconf, the test that does so;
tests/test_query_count_registry.py fails when a list page has no entry, so a new list cannot ship without its
count.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url: str, params: dict | None = None) -> int:
    """The number of database queries one GET of ``url`` costs, after checking the page answered 200."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(context.captured_queries)


# What makes a page a list: its URL name ends in ``_list``, or it is one of these lists named for what its
# reader does with it. The API is outside the registry (tests/api/test_query_counts.py pins some of its lists).
LISTS_NAMED_OTHERWISE = frozenset({
    "aftercare:complaint_overview",  # the complaints by bureau and status
    "leads:lead_pipeline",  # the open leads by officer and status
    "leads:my_work",  # the officer's follow-ups, leads and meetings
    "projects:my_reviews",  # a reviewer's inbox of review and talent requests
    "projects:overdue_reviews",  # the late review requests
    "projects:pipeline_board",  # the projects by stage
    "reports:my_turnaround",  # a partner bureau's overdue requests beside its figures
    "reports:records",  # the records behind one figure of the statistics
})

# Every list page and the test that pins its query count at two data sizes ("module::test").
LIST_QUERY_COUNTS = {
    "aftercare:complaint_list":
        "tests.aftercare.test_pages::test_the_complaint_list_costs_the_same_queries_for_3_or_30_rows",
    "aftercare:complaint_overview":
        "tests.aftercare.test_pages::test_the_overview_shows_open_complaints_by_bureau_and_age_and_the_rates",
    "aftercare:foreign_list":
        "tests.aftercare.test_pages::test_the_register_lists_foreign_capital_by_year_at_a_constant_query_count",
    "aftercare:key_list":
        "tests.aftercare.test_pages::test_the_key_enterprise_list_costs_the_same_queries_for_3_or_30_rows",
    "aftercare:organisation_list":
        "tests.aftercare.test_pages::"
        "test_the_organisation_list_costs_the_same_queries_and_masks_phones_for_administrators",
    "awards:application_list":
        "tests.awards.test_pages::test_the_award_list_costs_the_same_queries_for_2_or_12_applications",
    "awards:policy_list":
        "tests.awards.test_pages::test_the_policy_list_costs_the_same_queries_for_few_or_many_policies",
    "crm:enterprise_list":
        "tests.crm.test_query_counts::test_the_enterprise_list_costs_the_same_queries_for_3_or_30_rows",
    "crm:notification_list":
        "tests.crm.test_query_counts::test_the_notification_list_costs_the_same_queries_for_3_or_30_notifications",
    "leads:event_list":
        "tests.leads.test_query_counts::test_the_event_list_and_page_cost_the_same_for_few_or_many_leads",
    "leads:lead_list": "tests.leads.test_query_counts::test_the_lead_list_costs_the_same_for_3_or_30_leads",
    "leads:lead_pipeline": "tests.leads.test_query_counts::test_the_pipeline_costs_the_same_for_few_or_many_officers",
    "leads:meeting_list":
        "tests.leads.test_query_counts::test_the_meeting_list_costs_the_same_for_3_or_30_meetings",
    "leads:my_work": "tests.leads.test_query_counts::test_the_work_page_costs_the_same_for_2_or_20_leads",
    "projects:my_reviews":
        "tests.projects.test_query_counts::test_the_reviewer_inbox_costs_the_same_for_2_or_12_requests",
    "projects:overdue_reviews":
        "tests.projects.test_query_counts::test_the_overdue_page_costs_the_same_for_1_or_6_late_requests",
    "projects:pipeline_board":
        "tests.projects.test_query_counts::test_the_pipeline_board_costs_the_same_for_8_or_40_projects",
    "projects:project_list":
        "tests.projects.test_query_counts::test_the_project_list_costs_the_same_for_3_or_30_projects",
    "reports:my_turnaround":
        "tests.reports.test_query_counts::"
        "test_the_bureaus_turnaround_page_costs_the_same_queries_for_1_or_6_late_requests",
    "reports:records":
        "tests.reports.test_pages::test_the_records_page_costs_the_same_queries_whatever_the_data",
    "security:account_token_list":
        "tests.security.test_api_tokens::"
        "test_the_security_administrators_token_list_costs_the_same_queries_for_1_or_30_tokens",
    "security:api_token_list":
        "tests.security.test_api_tokens::test_my_token_list_costs_the_same_queries_for_1_or_12_tokens",
    "security:account_list":
        "tests.security.test_query_counts::test_the_account_list_costs_the_same_queries_for_few_or_many_accounts",
    "security:audit_list":
        "tests.security.test_query_counts::test_the_audit_log_costs_the_same_queries_for_3_or_30_entries",
}
