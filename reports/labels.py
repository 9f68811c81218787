"""Words for the figures: the labels of breakdown rows, stages and units, in the reader's language.

Snapshots store keys and the records' own names; labels are given when a page, a workbook or a command shows
them, so a published month reads in whichever language its reader uses.
"""

from django.utils.translation import gettext as _

from crm.choices import EnterpriseKind
from leads.choices import LeadSource
from projects.choices import Stage
from reports.indicators import BY_KEY
from reports.selectors import BLANK


def row_label(dimension: str, row: dict) -> str:
    """The label of one breakdown row ("C 制造业", "广东省", "以商招商", "王晓明", "3月")."""
    key = row["key"]
    if dimension == "industry":
        return _("Not recorded") if key == BLANK else f"{key} {row['name']}"
    if dimension == "key_industry":
        return _("Not a key industry") if key == BLANK else row["name"]
    if dimension == "origin":
        return _("Not recorded") if key == BLANK else key
    if dimension == "source":
        return _("No lead recorded") if key == BLANK else str(LeadSource(key).label)
    if dimension == "officer":
        return row["name"]
    return month_label(key)


def month_label(month: int) -> str:
    return _("Month %(month)s") % {"month": month}


def origin_group_label(kind: str) -> str:
    return str(EnterpriseKind(kind).label) if kind in EnterpriseKind.values else _("Not recorded")


def stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def indicator_label(key: str) -> str:
    return str(BY_KEY[key].label)


def indicator_heading(key: str) -> str:
    """An indicator with its unit, as in a table header: "签约金额（万元）"."""
    return _("%(indicator)s (%(unit)s)") % {"indicator": BY_KEY[key].label, "unit": BY_KEY[key].unit_label}
