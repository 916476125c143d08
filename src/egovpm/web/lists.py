"""The list helpers moved to `egovpm.core.lists` (audit, just above core, uses them too: an import of
web from audit would be a cycle). This module keeps the old import path for the apps above web
until they import core's directly."""

from egovpm.core.lists import (
    EXPORT_LIMIT,
    XLSX,
    export_url,
    filtered,
    sort_links,
    sort_param,
    sorted_by,
    xlsx_response,
)

__all__ = [
    "EXPORT_LIMIT",
    "XLSX",
    "export_url",
    "filtered",
    "sort_links",
    "sort_param",
    "sorted_by",
    "xlsx_response",
]
