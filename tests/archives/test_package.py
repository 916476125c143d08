"""The archive transfer package (clause 7): a BagIt bag of every archived document with SHA-256 and
SM3 manifests and a catalogue (目录) in JSON and XLSX; `egovpm archive verify` re-checks SHA-256
through bagit and SM3 with its own code, and fails loudly on a tampered bag."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import bagit
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from egovpm import cli
from egovpm.archives.package import bag_verify, sm3_file


def upload_and_archive(
    api: Any,
    project: Any,
    content: bytes,
    title: str,
    category: str = "contract",
    stage: str = "construction",
    archive: bool = True,
) -> dict:
    r = api("staff_a").post(
        f"/api/v1/projects/{project.pk}/documents",
        {"file": SimpleUploadedFile(f"{title}.pdf", content), "stage": stage, "category": category, "title": title},
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    if archive:
        assert api("staff_a").post(f"/api/v1/documents/{r.json()['id']}/archive").status_code == 200
    return r.json()


def download(api: Any, project: Any, persona: str = "archivist_assigned", container: str = "zip") -> bytes:
    r = api(persona).get(f"/api/v1/projects/{project.pk}/archive-package?container={container}")
    assert r.status_code == 200, r
    # Consuming the stream closes the response through the test client's wrapper; a direct
    # r.close() would fire request_finished and close the test's PostgreSQL connection.
    return b"".join(r.streaming_content)


def extract(data: bytes, dest: Path) -> Path:
    dest = dest / "package"  # tmp_path also holds the media root
    dest.mkdir(parents=True)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        zf.extractall(dest)
    (root,) = [p for p in dest.iterdir() if p.is_dir()]
    return root


def manifest(root: Path, algorithm: str) -> dict[str, str]:
    out = {}
    for line in (root / f"manifest-{algorithm}.txt").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        out[name] = digest
    return out


def test_package_holds_every_archived_document_with_both_digests_and_a_catalogue(
    project: Any, api: Any, tmp_path: Path
) -> None:
    contract = upload_and_archive(api, project, "系统集成合同".encode() * 50, "系统集成合同")
    tender = upload_and_archive(api, project, bytes(range(256)) * 7, "招标文件", category="tender_documents")
    draft = upload_and_archive(api, project, b"not archived yet", "草稿", archive=False)
    data = download(api, project)
    root = extract(data, tmp_path)
    assert root.name == f"{project.code}-archive"
    bag = bagit.Bag(str(root))
    bag.validate()  # SHA-256 (payload and tag files), Payload-Oxum, completeness
    assert bag.info["External-Identifier"] == project.code
    sha, sm3 = manifest(root, "sha256"), manifest(root, "sm3")
    assert set(sha) == set(sm3)
    catalogue = json.loads((root / "data/catalogue.json").read_text(encoding="utf-8"))
    assert catalogue["project_code"] == project.code and catalogue["documents"] == 2
    items = {i["id"]: i for i in catalogue["items"]}
    assert set(items) == {contract["id"], tender["id"]} and draft["id"] not in items
    for doc in (contract, tender):
        item = items[doc["id"]]
        content = (root / item["path"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == doc["sha256"] == item["sha256"] == sha[item["path"]]
        assert hashlib.new("sm3", content).hexdigest() == doc["sm3"] == item["sm3"] == sm3[item["path"]]
    from openpyxl import load_workbook

    ws = load_workbook(root / "data/catalogue.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][:3] == ("件号", "题名", "阶段")
    assert {r[1] for r in rows[3:]} == {"系统集成合同", "招标文件"}
    assert bag_verify(root).ok


def test_tar_container_and_bad_container(project: Any, api: Any, tmp_path: Path) -> None:
    upload_and_archive(api, project, b"%PDF contract", "合同")
    data = download(api, project, "staff_p", container="tar")
    path = tmp_path / "package.tar.gz"
    path.write_bytes(data)
    assert tarfile.is_tarfile(path)
    assert bag_verify(path).ok
    assert api("staff_a").get(f"/api/v1/projects/{project.pk}/archive-package?container=rar").status_code == 400


def test_empty_archive_is_still_a_valid_bag(project: Any, api: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.zip"
    path.write_bytes(download(api, project, "ndrc"))
    report = bag_verify(path)
    assert report.ok, report.problems


def test_archive_verify_cli_passes_an_intact_package_and_fails_a_tampered_one(
    project: Any, api: Any, tmp_path: Path, capsys: Any
) -> None:
    upload_and_archive(api, project, "合同正文".encode() * 100, "合同")
    good = tmp_path / "good.zip"
    good.write_bytes(download(api, project))
    assert cli.main(["archive", "verify", str(good)]) == 0
    assert "SHA-256 and SM3 verified" in capsys.readouterr().out

    root = extract(good.read_bytes(), tmp_path / "bag")
    assert cli.main(["archive", "verify", str(root)]) == 0
    capsys.readouterr()
    (payload,) = [p for p in (root / "data/documents").iterdir()]
    payload.write_bytes(payload.read_bytes().replace("合同".encode(), "合伙".encode(), 1))
    assert cli.main(["archive", "verify", str(root)]) == 1
    err = capsys.readouterr().err
    assert "FAILED" in err and "SM3 mismatch" in err and "sha256" in err.lower()


def test_sm3_is_checked_even_when_sha256_was_forged(project: Any, api: Any, tmp_path: Path) -> None:
    """Someone changes a file and rewrites the SHA-256 manifests consistently: bagit is satisfied,
    our SM3 check is not."""
    upload_and_archive(api, project, b"original bytes " * 64, "合同")
    root = extract(download(api, project), tmp_path)
    (payload,) = [p for p in (root / "data/documents").iterdir()]
    payload.write_bytes(b"forged  bytes! " * 64)  # same size: Payload-Oxum still matches
    rel = payload.relative_to(root).as_posix()
    lines = [
        f"{hashlib.sha256(payload.read_bytes()).hexdigest()}  {rel}" if line.endswith(rel) else line
        for line in (root / "manifest-sha256.txt").read_text().splitlines()
    ]
    (root / "manifest-sha256.txt").write_text("\n".join(lines) + "\n")
    tag = []
    for line in (root / "tagmanifest-sha256.txt").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        tag.append(f"{hashlib.sha256((root / name).read_bytes()).hexdigest()} {name}")
    (root / "tagmanifest-sha256.txt").write_text("\n".join(tag) + "\n")
    bagit.Bag(str(root)).validate()  # bagit alone does not notice
    report = bag_verify(root)
    assert not report.ok
    assert any("SM3 mismatch" in p and rel in p for p in report.problems)


def test_verify_rejects_what_is_not_a_bag(tmp_path: Path, capsys: Any) -> None:
    (tmp_path / "x.txt").write_text("hello")
    assert cli.main(["archive", "verify", str(tmp_path)]) == 1
    assert "not a BagIt bag" in capsys.readouterr().err
    assert cli.main(["archive", "verify", str(tmp_path / "missing.zip")]) == 1
    assert cli.main(["archive", "verify", str(tmp_path / "x.txt")]) == 1


@hypothesis_settings(max_examples=25, deadline=None)
@given(files=st.lists(st.binary(min_size=0, max_size=4096), min_size=1, max_size=5))
def test_bag_digests_of_random_content(files: list[bytes]) -> None:
    import tempfile

    from egovpm.archives.package import CHECKSUMS

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bag"
        (root / "documents").mkdir(parents=True)
        for n, content in enumerate(files):
            (root / "documents" / f"{n:04d}.bin").write_bytes(content)
        bagit.make_bag(str(root), {"Source-Organization": "测试"}, checksums=CHECKSUMS)
        sha, sm3 = manifest(root, "sha256"), manifest(root, "sm3")
        for n, content in enumerate(files):
            name = f"data/documents/{n:04d}.bin"
            assert sha[name] == hashlib.sha256(content).hexdigest()
            assert sm3[name] == hashlib.new("sm3", content).hexdigest() == sm3_file(root / name)
        assert bag_verify(root).ok
        if any(files):
            n = next(i for i, c in enumerate(files) if c)
            target = root / f"data/documents/{n:04d}.bin"
            data = bytearray(target.read_bytes())
            data[0] ^= 0xFF
            target.write_bytes(bytes(data))
            report = bag_verify(root)
            assert not report.ok and any("SM3 mismatch" in p for p in report.problems)


@pytest.mark.django_db
@hypothesis_settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(min_size=1, max_size=2048))
def test_package_digests_of_random_uploads(content: bytes, project: Any, api: Any, tmp_path_factory: Any) -> None:
    doc = upload_and_archive(api, project, content, "随机内容")
    root = extract(download(api, project), tmp_path_factory.mktemp("bag"))
    item = next(i for i in json.loads((root / "data/catalogue.json").read_text())["items"] if i["id"] == doc["id"])
    stored = (root / item["path"]).read_bytes()
    assert stored == content
    assert manifest(root, "sha256")[item["path"]] == hashlib.sha256(content).hexdigest() == doc["sha256"]
    assert manifest(root, "sm3")[item["path"]] == hashlib.new("sm3", content).hexdigest() == doc["sm3"]


def test_a_title_with_a_percent_sign_still_verifies(project: Any, api: Any, tmp_path: Path) -> None:
    upload_and_archive(api, project, b"%PDF payment", "合同（付款比例30%25）")
    path = tmp_path / "package.zip"
    path.write_bytes(download(api, project))
    report = bag_verify(path)
    assert report.ok, report.problems
