"""`egovpm storage check` knows the blobs other apps keep in the document store through a registry
(documents/maintenance.py), not through imports of those apps (tests/core/test_import_graph.py)."""

from __future__ import annotations

import pytest

from egovpm.documents import maintenance


def test_the_reviews_app_registers_opinion_attachments() -> None:
    assert "opinion attachment" in maintenance._reference_sources


@pytest.mark.django_db
def test_registered_sources_count_as_references(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maintenance, "_reference_sources", dict(maintenance._reference_sources))
    maintenance.register_blob_references("probe", lambda: [("row-1", "ab" * 32)])
    assert maintenance.referenced()["ab" * 32] == [("probe", "row-1")]
