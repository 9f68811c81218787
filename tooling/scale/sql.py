"""The headline indicators of the annual statistics as one hand-written SQL statement per period.

The benchmark runs it beside ``reports.services.statistics_for_period`` on the same database: the ratio of
the two times says what the service's ORM, pandas shaping and breakdowns cost over the bare aggregates, and
comparing the figures checks that both read the definitions the same way (DOMAIN.md, docs/statistics.md):
leads by the day received; milestones by their date (a capital increase is not a new signed, started or
operating project, and only a project without an earlier one lands); capital by its date; the stock in
negotiation at the period's end from the stage history (a project whose last move came before the moment is
in its current stage, as the service reads it). Portable SQL (PostgreSQL and SQLite 3.30+).
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.db import connection
from django.utils import timezone

SQL = """
WITH
  new_leads AS (
    SELECT COUNT(*) AS n FROM leads_lead WHERE received_on BETWEEN %(start)s AND %(end)s
  ),
  milestones AS (
    SELECT
      COUNT(*) FILTER (WHERE m.kind = 'contract' AND p.relation <> 'capital_increase') AS signed_projects,
      COALESCE(SUM(m.contract_amount_wan) FILTER (WHERE m.kind = 'contract'), 0) AS signed_amount,
      COUNT(*) FILTER (WHERE m.kind = 'registration' AND p.relation = '') AS landed_projects,
      COUNT(*) FILTER (WHERE m.kind = 'construction' AND p.relation <> 'capital_increase') AS started_projects,
      COUNT(*) FILTER (WHERE m.kind = 'operation' AND p.relation <> 'capital_increase') AS operating_projects
    FROM projects_milestone m JOIN projects_project p ON p.id = m.project_id
    WHERE m.date BETWEEN %(start)s AND %(end)s
  ),
  capital AS (
    SELECT
      COALESCE(SUM(amount_wan) FILTER (WHERE kind = 'domestic'), 0) AS domestic_capital,
      COALESCE(SUM(amount_usd_wan) FILTER (WHERE kind = 'foreign'), 0) AS foreign_capital
    FROM projects_capitalinplace WHERE date BETWEEN %(start)s AND %(end)s
  ),
  stock AS (
    SELECT COUNT(*) AS n FROM projects_project p
    WHERE p.created_at < %(moment)s AND p.relation <> 'capital_increase'
      AND CASE WHEN p.stage_changed_at < %(moment)s THEN p.stage ELSE COALESCE(
            (SELECT sc.to_stage FROM projects_stagechange sc
              WHERE sc.project_id = p.id AND sc.at < %(moment)s ORDER BY sc.at DESC, sc.id DESC LIMIT 1),
            NULLIF((SELECT sc.from_stage FROM projects_stagechange sc
              WHERE sc.project_id = p.id AND sc.at >= %(moment)s ORDER BY sc.at, sc.id LIMIT 1), ''),
            p.stage) END IN ('negotiating', 'review')
  )
SELECT new_leads.n, milestones.signed_projects, milestones.signed_amount, milestones.landed_projects,
       milestones.started_projects, milestones.operating_projects, capital.domestic_capital,
       capital.foreign_capital, stock.n
FROM new_leads, milestones, capital, stock
"""

COLUMNS = ("new_leads", "signed_projects", "signed_amount", "landed_projects", "started_projects",
           "operating_projects", "domestic_capital", "foreign_capital", "negotiating_projects")
MONEY = {"signed_amount", "domestic_capital", "foreign_capital"}


def headline_indicators(*, start, end, day_after) -> dict[str, int | Decimal]:
    """The nine headline figures of the period ``start``..``end`` (stock counted at ``day_after``'s midnight,
    Asia/Shanghai), as the statistics service reports them."""
    moment = timezone.make_aware(datetime.combine(day_after, time.min))
    with connection.cursor() as cursor:
        ops = connection.ops
        cursor.execute(SQL, {"start": ops.adapt_datefield_value(start), "end": ops.adapt_datefield_value(end),
                             "moment": ops.adapt_datetimefield_value(moment)})
        row = cursor.fetchone()
    return {key: (Decimal(str(value)).quantize(Decimal("0.01")) if key in MONEY else int(value))
            for key, value in zip(COLUMNS, row, strict=True)}
