"""The archive transfer package (档案移交包): a BagIt bag (RFC 8493, the Library of Congress
`bagit` library) of every archived document of a project, with payload manifests in SHA-256 and
SM3 and a catalogue (目录) as JSON and XLSX, packed as zip or tar.gz for the archives authority.

bagit writes `manifest-sm3.txt` when asked (OpenSSL provides SM3 to hashlib) but validates only the
algorithms hashlib guarantees, so `bag_verify` checks SHA-256 through bagit and SM3 with its own
code (`hashlib.new("sm3")`, never a pure-Python SM3)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tarfile
import tempfile
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bagit

if TYPE_CHECKING:
    from egovpm.accounts.models import User

CHECKSUMS = ["sha256", "sm3"]
CONTAINERS = ("zip", "tar")
# bagit.make_bag changes the process's working directory while it runs; serialise it so two
# packages built in one process (threads) never see each other's cwd.
_MAKE_BAG_LOCK = threading.Lock()
_HASH_BLOCK = 1024 * 1024


def _safe_name(text: str, limit: int = 80) -> str:
    text = unicodedata.normalize("NFC", text)
    # "%" too: bagit percent-encodes some characters in manifests and a literal "%25" in a title
    # would then read back as "%"
    text = re.sub(r"[\x00-\x1f/\\:*?\"<>|%]+", "_", text).strip(" .")
    return text[:limit] or "document"


def _stage_labels() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    from django.utils import translation

    from egovpm.documents.choices import Category, Retention
    from egovpm.projects.choices import Stage

    with translation.override("zh-hans"):
        return (
            {s.value: str(s.label) for s in Stage},
            {c.value: str(c.label) for c in Category},
            {r.value: str(r.label) for r in Retention},
        )


def catalogue_rows(project: Any, documents: list[Any]) -> list[dict[str, Any]]:
    stage_zh, category_zh, retention_zh = _stage_labels()
    rows = []
    seq_of = {}
    for n, d in enumerate(documents, start=1):
        seq_of[d.pk] = n
    for n, d in enumerate(documents, start=1):
        ext = Path(d.filename).suffix[:10]
        path = f"data/documents/{n:04d}-{_safe_name(d.title, 60)}-v{d.version}{ext}"
        rows.append(
            {
                "seq": n,
                "path": path,
                "id": str(d.pk),
                "title": d.title,
                "stage": d.stage,
                "stage_zh": stage_zh.get(d.stage, d.stage),
                "category": d.category,
                "category_zh": category_zh.get(d.category, d.category),
                "retention": d.retention,
                "retention_zh": retention_zh.get(d.retention, d.retention),
                "version": d.version,
                "supersedes": seq_of.get(d.supersedes_id) if d.supersedes_id else None,
                "supersedes_id": str(d.supersedes_id) if d.supersedes_id else None,
                "filename": d.filename,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "sm3": d.sm3,
                "uploaded_by": d.uploaded_by.username,
                "uploaded_at": d.uploaded_at.isoformat(),
                "archived_by": d.archived_by.username if d.archived_by else None,
                "archived_at": d.archived_at.isoformat() if d.archived_at else None,
            }
        )
    return rows


XLSX_COLUMNS = [
    ("seq", "件号"),
    ("title", "题名"),
    ("stage_zh", "阶段"),
    ("category_zh", "文件类别"),
    ("retention_zh", "保管期限"),
    ("version", "版本"),
    ("supersedes", "替代件号"),
    ("filename", "原文件名"),
    ("size", "大小（字节）"),
    ("uploaded_at", "形成/上传时间"),
    ("archived_at", "归档时间"),
    ("sha256", "SHA-256"),
    ("sm3", "SM3"),
    ("path", "包内路径"),
]


def _write_xlsx(path: Path, header: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from egovpm.core.exports import xlsx_append

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "卷内目录"
    xlsx_append(ws, [f"{header['project_name']}（{header['project_code']}）档案移交目录"])
    ws["A1"].font = Font(bold=True, size=13)
    xlsx_append(ws, [f"建设单位：{header['lead_department']}　生成时间：{header['generated_at']}　共 {len(rows)} 件"])
    xlsx_append(ws, [label for _, label in XLSX_COLUMNS])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for r in rows:
        xlsx_append(ws, [r[key] if r[key] is not None else "" for key, _ in XLSX_COLUMNS])
    for col, width in zip("ABCDEFGHIJKLMN", (6, 36, 12, 18, 10, 6, 8, 28, 12, 26, 26, 66, 66, 50), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(path)


def build_bag(*, project: Any, documents: list[Any], directory: Path, generated_at: str, pack: Any) -> Path:
    """Write the bag for `documents` (archived, in catalogue order) into `directory` (empty)."""
    from egovpm.documents import storage

    rows = catalogue_rows(project, documents)
    header = {
        "project_id": str(project.pk),
        "project_code": project.code,
        "project_name": project.name,
        "lead_department": project.lead_department.name,
        "lead_department_code": project.lead_department.code,
        "stage": project.stage,
        "generated_at": generated_at,
        "regime": pack.regime,
        "pack_version": pack.version,
        "documents": len(rows),
    }
    payload = directory / "documents"
    payload.mkdir(parents=True)
    for d, row in zip(documents, rows, strict=True):
        target = directory / row["path"].removeprefix("data/")
        storage.copy_to(d.sha256, target)
        os.chmod(target, 0o644)
    catalogue = {**header, "items": rows}
    (directory / "catalogue.json").write_text(json.dumps(catalogue, ensure_ascii=False, indent=2), encoding="utf-8")
    _write_xlsx(directory / "catalogue.xlsx", header, rows)
    info = {
        "Source-Organization": project.lead_department.name,
        "External-Identifier": project.code,
        "External-Description": f"{project.name} — 档案移交包（{len(rows)} 件）",
        "Bagging-Date": generated_at[:10],
        "Bag-Software-Agent": "egovpm (bagit-python)",
        "Bag-Group-Identifier": str(project.pk),
        "EGovPM-Rule-Pack": f"{pack.regime} {pack.version} sha256:{pack.sha256}",
    }
    with _MAKE_BAG_LOCK:
        bagit.make_bag(str(directory), info, checksums=CHECKSUMS)
    return directory


def pack_container(bag_dir: Path, out: Path, container: str, root_name: str) -> Path:
    """zip or tar.gz of the bag directory, every entry under `root_name/`."""
    files = sorted(p for p in bag_dir.rglob("*") if p.is_file())
    if container == "zip":
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for p in files:
                zf.write(p, f"{root_name}/{p.relative_to(bag_dir).as_posix()}")
    else:
        with tarfile.open(out, "w:gz") as tf:
            tf.add(bag_dir, arcname=root_name)
    return out


# ---------------------------------------------------------------- verification (no Django needed)


@dataclass
class VerifyReport:
    ok: bool
    files: int = 0
    problems: list[str] = field(default_factory=list)


def _unquote(path: str) -> str:
    # BagIt 1.0 §2.1.3: CR, LF and % in manifest paths are percent-encoded
    return path.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _read_manifest(path: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, _, name = line.strip().partition(" ")
        entries[unicodedata.normalize("NFC", _unquote(name.strip()))] = digest.strip().lower()
    return entries


def sm3_file(path: Path) -> str:
    h = hashlib.new("sm3")
    with path.open("rb") as fh:
        while block := fh.read(_HASH_BLOCK):
            h.update(block)
    return h.hexdigest()


def _check_sm3(root: Path, manifest: str, expected_files: set[str], problems: list[str]) -> int:
    path = root / manifest
    if not path.is_file():
        problems.append(f"{manifest} is missing: the SM3 digests cannot be checked")
        return 0
    entries = _read_manifest(path)
    for name in sorted(expected_files - set(entries)):
        problems.append(f"{name} is not listed in {manifest}")
    for name in sorted(set(entries) - expected_files):
        if manifest.startswith("manifest-"):
            problems.append(f"{manifest} lists {name}, which is not in the bag")
    checked = 0
    for name, digest in sorted(entries.items()):
        target = (root / name).resolve()
        if root.resolve() not in target.parents:
            problems.append(f"{manifest} names a path outside the bag: {name}")
            continue
        if not target.is_file():
            if not manifest.startswith("manifest-"):
                problems.append(f"{manifest} lists {name}, which is not in the bag")
            continue
        actual = sm3_file(target)
        checked += 1
        if actual != digest:
            problems.append(f"SM3 mismatch for {name}: manifest {digest}, file {actual}")
    return checked


def _bag_root(directory: Path) -> Path | None:
    if (directory / "bagit.txt").is_file():
        return directory
    subdirs = [p for p in directory.iterdir() if p.is_dir()]
    if len(subdirs) == 1 and (subdirs[0] / "bagit.txt").is_file():
        return subdirs[0]
    return None


@contextmanager
def _opened(path: Path) -> Iterator[Path]:
    """A directory holding the bag: the path itself, or a zip/tar extracted into a temp folder."""
    if path.is_dir():
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="egovpm-bag-") as tmp:
        dest = Path(tmp)
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for member in zf.namelist():
                    if member.startswith("/") or ".." in Path(member).parts:
                        raise ValueError(f"unsafe path in the archive: {member}")
                zf.extractall(dest)  # noqa: S202 — member paths checked above
        elif tarfile.is_tarfile(path):
            with tarfile.open(path) as tf:
                tf.extractall(dest, filter="data")
        else:
            raise ValueError("not a directory, zip or tar archive")
        yield dest


def bag_verify(path: Path | str) -> VerifyReport:
    """Re-check a bag: structure, Payload-Oxum and SHA-256 (payload and tag files) through bagit;
    SM3 of every payload and tag file against manifest-sm3.txt / tagmanifest-sm3.txt ourselves."""
    path = Path(path)
    if not path.exists():
        return VerifyReport(False, problems=[f"{path} does not exist"])
    logging.getLogger("bagit").setLevel(logging.CRITICAL)  # we report the problems ourselves
    problems: list[str] = []
    try:
        with _opened(path) as directory:
            root = _bag_root(directory)
            if root is None:
                return VerifyReport(False, problems=["no bagit.txt found: this is not a BagIt bag"])
            try:
                bag = bagit.Bag(str(root))
                bag.validate(processes=1)
            except bagit.BagValidationError as e:
                problems.append(f"BagIt/SHA-256 validation failed: {e.message}")
                problems.extend(f"  {d}" for d in e.details)
            except bagit.BagError as e:
                problems.append(f"not a valid bag: {e}")
            payload = {
                unicodedata.normalize("NFC", p.relative_to(root).as_posix())
                for p in (root / "data").rglob("*")
                if p.is_file()
            }
            files = _check_sm3(root, "manifest-sm3.txt", payload, problems)
            tagfiles = {p.name for p in root.iterdir() if p.is_file() and not p.name.startswith("tagmanifest-")}
            if (root / "tagmanifest-sm3.txt").is_file():
                _check_sm3(root, "tagmanifest-sm3.txt", tagfiles, problems)
            return VerifyReport(not problems, files, problems)
    except (ValueError, OSError, zipfile.BadZipFile, tarfile.TarError) as e:
        return VerifyReport(False, problems=[f"cannot open {path}: {e}"])


# ---------------------------------------------------------------- building one project's package


def archived_documents(project: Any) -> list[Any]:
    from egovpm.documents.models import Document

    return list(
        Document.objects.filter(project=project, archived=True)
        .select_related("uploaded_by", "archived_by")
        .order_by("stage", "category", "version", "uploaded_at")
    )


def package_build(*, user: User, project_id: Any, container: str = "zip") -> tuple[Path, str]:
    """The package file (a temp file the caller streams and removes) and its download name."""
    from egovpm.archives.errors import ArchiveError
    from egovpm.core import clock
    from egovpm.core.errors import FieldError, InvalidInput
    from egovpm.projects import policies as project_policies
    from egovpm.rules import engine

    project = project_policies.project_for(user, project_id, "view")
    if container not in CONTAINERS:
        choices = {"choices": ", ".join(CONTAINERS)}
        raise InvalidInput(
            ArchiveError.UNKNOWN_CONTAINER, choices, fields={"container": FieldError(ArchiveError.CONTAINER_CHOICES)}
        )
    documents = archived_documents(project)
    pack = engine.load_pack(project.regime)
    generated_at = clock.now().astimezone(clock.BEIJING).isoformat(timespec="seconds")
    root_name = f"{project.code}-archive"
    suffix = ".zip" if container == "zip" else ".tar.gz"
    with tempfile.TemporaryDirectory(prefix="egovpm-package-") as tmp:
        bag_dir = Path(tmp) / root_name
        bag_dir.mkdir()
        build_bag(project=project, documents=documents, directory=bag_dir, generated_at=generated_at, pack=pack)
        fd, out = tempfile.mkstemp(prefix="egovpm-package-", suffix=suffix)
        os.close(fd)
        pack_container(bag_dir, Path(out), container, root_name)
    return Path(out), f"{root_name}{suffix}"
