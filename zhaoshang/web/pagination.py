"""Paging a list, with the `page` and `per_page` query parameters read in this one place.

django-tables2's `RequestConfig` passes any integer through: `?per_page=-1` makes a paginator
with a negative page size whose "last page" is page 0 ("页码小于 1", a 500), and a per_page of
thirty digits overflows SQLite's LIMIT. Every list (the generic list views and the review
queues) pages through `paginate_table`, which clamps what the address says to values that make
sense: a bad or missing page size is the list's default, one above `PER_PAGE_MAX` is the
maximum, a page that is not a positive number is the first and one past the end is the last.
A list is never refused for its paging parameters; it shows the nearest page there is.
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django_tables2 import RequestConfig

# A page long enough for printing a list, short enough to render quickly.
PER_PAGE_MAX = 200


# Larger numbers are read as this one: far past any list's end, still a small integer.
_HUGE = 10**12


def positive_int(text):
    """`text` as a positive integer (at most `_HUGE`), else None (absent, not a number, zero
    or negative)."""
    text = str(text or "").strip()
    if not text.isascii() or not text.isdecimal():
        return None
    number = int(text[:13]) if len(text) > 13 else int(text)
    return min(number, _HUGE) if number > 0 else None


def page_size(request, default, field="per_page"):
    """The page size the request asks for, clamped to 1…PER_PAGE_MAX (`default` when unusable)."""
    asked = positive_int(request.GET.get(field))
    return min(asked, PER_PAGE_MAX) if asked else default


def paginate_table(request, table, per_page, **options):
    """Sort `table` as the request says and show the page it asks for (clamped, see above).

    `options` go to `Table.paginate` (e.g. `paginator_class`, `orphans`). Returns the table.
    """
    RequestConfig(request, paginate=False).configure(table)
    size = page_size(request, per_page, table.prefixed_per_page_field)
    number = positive_int(request.GET.get(table.prefixed_page_field)) or 1
    try:
        table.paginate(per_page=size, page=number, **options)
    except (EmptyPage, PageNotAnInteger):
        # Past the end (or an empty list): the last page there is.
        table.page = table.paginator.page(max(table.paginator.num_pages, 1))
    return table


def paginate_list(request, items, per_page, field="page"):
    """The page of `items` (a list or queryset) the request asks for, clamped as above; with
    `page_query` for the pager's links (the template `includes/pager.html` draws them). `field`
    names the page parameter, for a second paged list on one page; such a list has a fixed page
    size (`per_page` belongs to the first)."""
    size = page_size(request, per_page) if field == "page" else per_page
    paginator = Paginator(items, size)
    number = positive_int(request.GET.get(field)) or 1
    return paginator.page(min(number, max(paginator.num_pages, 1)))


def page_query(request, field="page"):
    """The current query string without the page parameter `field`, for the pager's links."""
    query = request.GET.copy()
    query.pop(field, None)
    return query.urlencode()
