"""Issue 9 item 9: the document store on S3-compatible object storage (django-storages), against
moto's S3 server on a free loopback port: content-addressed keys, never overwritten, streamed
downloads, and `storage check` / repair on the bucket."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egovpm.documents import maintenance, storage
from egovpm.documents.models import Document
from ops.servers import BUCKET, moto_s3

CONTENT = "建设方案 第二版\n".encode() * 5000


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory: Any) -> Iterator[str]:
    with moto_s3(tmp_path_factory.mktemp("moto") / "moto.log") as endpoint:
        yield endpoint


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any) -> Any:
    """EGOVPM_STORAGE=s3 for this test, under a fresh key prefix; returns a boto3 client."""
    import boto3

    prefix = f"t{secrets.token_hex(4)}"
    settings.EGOVPM_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "location": prefix,
                "access_key": "testing",
                "secret_key": "testing",
            },
        },
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.prefix = prefix
    return client


def keys(bucket: Any) -> list[str]:
    listing = bucket.list_objects_v2(Bucket=BUCKET, Prefix=bucket.prefix + "/")
    return sorted(o["Key"].removeprefix(bucket.prefix + "/") for o in listing.get("Contents", []))


def upload(api: Any, project: Any, content: bytes = CONTENT) -> dict[str, Any]:
    r = api("staff_a").post(
        f"/api/v1/projects/{project.pk}/documents",
        {
            "file": SimpleUploadedFile("建设方案.pdf", content, content_type="application/pdf"),
            "stage": "needs_analysis",
            "category": "needs_analysis_report",
            "title": "建设方案",
        },
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    return dict(r.json())


def test_upload_goes_to_the_bucket_under_its_content_address_and_downloads_back(
    bucket: Any, api: Any, project: Any, media_root: Path
) -> None:
    doc = upload(api, project)
    sha = hashlib.sha256(CONTENT).hexdigest()
    assert keys(bucket) == [f"blobs/{sha[:2]}/{sha}"]
    assert not (media_root / "blobs").exists()  # nothing on the server's disk
    assert [p for p in (media_root / "incoming").iterdir()] == []  # the spool is cleaned up

    r = api("staff_a").get(f"/api/v1/documents/{doc['id']}/content")
    assert r.status_code == 200
    body = b"".join(r.streaming_content)
    assert body == CONTENT
    assert r["Content-Length"] == str(len(CONTENT))
    assert (r["X-Content-SHA256"], r["X-Content-SM3"]) == (sha, hashlib.new("sm3", CONTENT).hexdigest())


def test_an_existing_key_is_never_overwritten(bucket: Any, monkeypatch: Any, tmp_path: Path) -> None:
    sha = hashlib.sha256(CONTENT).hexdigest()
    storage.store(CONTENT, sha)
    key = f"{bucket.prefix}/blobs/{sha[:2]}/{sha}"
    first = bucket.head_object(Bucket=BUCKET, Key=key)
    # a writer that raced past the existence check: the conditional PUT (If-None-Match) keeps the
    # first object, even when the second writer's bytes differ
    monkeypatch.setattr(type(storage._s3()), "exists", lambda self, name: False)
    other = tmp_path / "other"
    other.write_bytes(b"other bytes")
    storage._s3_put(other, sha)
    storage.store(CONTENT, sha)
    assert bucket.head_object(Bucket=BUCKET, Key=key)["ETag"] == first["ETag"]
    assert storage.read(sha) == CONTENT


def test_store_refuses_content_that_does_not_match_its_key(bucket: Any) -> None:
    with pytest.raises(ValueError, match="does not match"):
        storage.store(b"tampered", hashlib.sha256(CONTENT).hexdigest())
    assert keys(bucket) == []


def test_a_missing_object_is_a_clear_404(bucket: Any, api: Any, project: Any) -> None:
    doc = upload(api, project)
    bucket.delete_object(Bucket=BUCKET, Key=f"{bucket.prefix}/blobs/{doc['sha256'][:2]}/{doc['sha256']}")
    r = api("staff_a").get(f"/api/v1/documents/{doc['id']}/content")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found" and r.json()["reason"]["code"] == "blob_missing"


@pytest.mark.django_db(transaction=True)
def test_storage_check_and_repair_on_the_bucket(bucket: Any, api: Any, project: Any) -> None:
    kept = upload(api, project)
    lost = upload(api, project, b"lost evidence")
    bucket.delete_object(Bucket=BUCKET, Key=f"{bucket.prefix}/blobs/{lost['sha256'][:2]}/{lost['sha256']}")
    orphan = b"stored, then the worker died before the commit"
    orphan_sha = hashlib.sha256(orphan).hexdigest()
    storage.store(orphan, orphan_sha)

    finding = maintenance.check(grace=dt.timedelta(hours=1))
    assert finding.orphans == [] and finding.young_unreferenced == 1  # too young to judge

    finding = maintenance.check(grace=dt.timedelta(0))
    assert [b.sha256 for b in finding.orphans] == [orphan_sha]
    assert finding.missing == [("document", lost["id"], lost["sha256"])]
    summary = maintenance.repair(finding)
    assert summary["backend"] == "s3" and summary["removed"] == [orphan_sha]
    assert keys(bucket) == [f"blobs/{kept['sha256'][:2]}/{kept['sha256']}"]
    assert Document.objects.filter(pk=lost["id"]).exists()
