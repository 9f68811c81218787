"""Pages of long lists that cost the same at page 1 and at the last page.

Django's Paginator reads page N with ``OFFSET (N-1)×size``: the database walks every earlier row, with all
the list's joins, before the 25 it returns. ``ListPaginator`` reads a page in two steps: the page's primary
keys first (a narrow query that an index in the list's order answers without touching the rows), then the
25 rows by key with their joins and prefetches. Past the middle it reads the keys from the other end, in the
reverse order, so the last page costs what the first does; the middle page is the deepest walk, over keys
only. A page is still exactly the page ``Paginator`` gives (same rows, same order, same count).

Every list page reads its page through ``list_page``, so the page size and the handling of a bad ``?page=`` are
the same everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class ListPaginator(Paginator):
    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> list:
        qs = self.object_list
        if not isinstance(qs, QuerySet) or not qs.ordered or top <= bottom:
            return list(qs[bottom:top])
        count = self.count
        if bottom > count - top:  # nearer the end: read the keys backwards
            keys = list(qs.reverse().values_list("pk", flat=True)[count - top:count - bottom])[::-1]
        else:
            keys = list(qs.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in qs.order_by().filter(pk__in=keys)}
        return [rows[key] for key in keys if key in rows]


def list_page(request, queryset, *, per_page: int | None = None) -> Page:
    """The page of a list that the request asks for (``?page=``; a number past the end gives the last page,
    anything else the first), ``CRM_PAGE_SIZE`` rows unless the list needs another size. The page's links keep
    the list's other parameters through ``{% querystring %}`` in partials/_pagination.html."""
    return ListPaginator(queryset, per_page or settings.CRM_PAGE_SIZE).get_page(request.GET.get("page"))
