"""The statistics in words: period titles as the bureau writes them and the drafted paragraph of the monthly
briefing, from the figures reports.services returns."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from reports.choices import Indicator
from reports.indicators import number_text, percent_text


def period_label(period: dict) -> str:
    """"2026年1-10月" (or "2026年1月", "2025年1-12月")."""
    if period["through_month"] == 1:
        return _("January %(year)s") % {"year": period["year"]}
    return _("January to month %(month)s of %(year)s") % {"year": period["year"], "month": period["through_month"]}


def report_title(period: dict) -> str:
    """The title of the monthly statistics table, as the bureau writes it."""
    return _("Jiyang District investment attraction statistics, %(period)s") % {"period": period_label(period)}


def _growth_words(ratio: Decimal | None) -> str:
    if ratio is None:
        return _("none in the same period last year")
    if ratio >= 0:
        return _("up %(pct)s year on year") % {"pct": percent_text(ratio)}
    return _("down %(pct)s year on year") % {"pct": percent_text(-ratio)}


def briefing_paragraph(statistics: dict) -> str:
    """A drafted paragraph of the monthly briefing (1-10月，全区共签约项目…个…) from the figures."""
    figures = {row["key"]: row for row in statistics["indicators"]}

    def value(key):
        return number_text(figures[key]["actual"], figures[key]["unit"])

    text = _(
        "%(period)s, the district signed %(signed)s projects with a contract amount of %(amount)s (10k CNY), "
        "%(amount_growth)s; %(landed)s projects landed, %(started)s started construction and %(operating)s went "
        "into operation; domestic capital in place was %(domestic)s (10k CNY), %(domestic_growth)s, and foreign "
        "capital actually used was %(foreign)s (10k USD), %(foreign_growth)s; %(leads)s new leads were received "
        "and %(negotiating)s projects are in negotiation."
    ) % {
        "period": _("Month 1 to %(month)s") % {"month": statistics["period"]["through_month"]}
        if statistics["period"]["through_month"] > 1 else _("In January"),
        "signed": value(Indicator.SIGNED_PROJECTS), "amount": value(Indicator.SIGNED_AMOUNT),
        "amount_growth": _growth_words(figures[Indicator.SIGNED_AMOUNT]["growth"]),
        "landed": value(Indicator.LANDED_PROJECTS), "started": value(Indicator.STARTED_PROJECTS),
        "operating": value(Indicator.OPERATING_PROJECTS), "domestic": value(Indicator.DOMESTIC_CAPITAL),
        "domestic_growth": _growth_words(figures[Indicator.DOMESTIC_CAPITAL]["growth"]),
        "foreign": value(Indicator.FOREIGN_CAPITAL),
        "foreign_growth": _growth_words(figures[Indicator.FOREIGN_CAPITAL]["growth"]),
        "leads": value(Indicator.NEW_LEADS), "negotiating": value(Indicator.NEGOTIATING_PROJECTS),
    }
    done = [_("%(indicator)s %(pct)s") % {"indicator": Indicator(row["key"]).label,
                                          "pct": percent_text(row["completion"])}
            for row in statistics["indicators"] if row["completion"] is not None]
    if done:
        text += " " + _("Completion of the annual targets: %(list)s.") % {"list": _(", ").join(done)}
    return text
