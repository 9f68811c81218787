"""The answer to an Excel download: every .xlsx the product hands out is named and typed here.

Lists export under a dated name (``leads-20261203.xlsx``), the local day of the export, so a second export made
another day does not overwrite the first in the user's downloads folder; a file whose name already says what it
holds (a month's statistics, one award's sheet, the import template) keeps that name.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from crm.lib.exports import XLSX_CONTENT_TYPE


def xlsx_download(content: bytes, stem: str, *, dated: bool = True) -> HttpResponse:
    """The workbook ``content`` as an attachment named ``<stem>-<YYYYMMDD>.xlsx``, or ``<stem>.xlsx`` when not
    ``dated``."""
    filename = f"{stem}-{timezone.localdate():%Y%m%d}.xlsx" if dated else f"{stem}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
