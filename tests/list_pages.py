"""Helpers of the list-page tests (issue 15 item 5): a signed-in client and an XLSX export read back."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client

from conftest import PASSWORD


def signed_in(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def export_rows(client: Client, url: str, params: dict[str, str]) -> list[tuple[Any, ...]]:
    """The rows (header first) of the XLSX that `url` exports with `params`."""
    from openpyxl import load_workbook

    response = client.get(url, {**params, "export": "xlsx"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))
