"""The `egovpm` command (api.md "Command line"), run in-process.

Bad input → a one-line error on stderr, a non-zero exit and nothing written."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from egovpm import cli
from egovpm.accounts.models import Department, User
from egovpm.audit.models import AuditEvent
from egovpm.audit.services import current_channel

STRONG = "Cli-Passw0rd-2026"


@pytest.fixture(autouse=True)
def restore_channel() -> Iterator[None]:
    """The CLI marks its whole process as channel "cli"; undo that for the other tests."""
    token = current_channel.set("system")
    yield
    current_channel.reset(token)


def run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_with_stdin(capsys: Any, monkeypatch: Any, stdin: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return run(capsys, *argv)


def one_line_error(err: str) -> None:
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert err.startswith("egovpm: ")


def snapshot() -> tuple[int, int, int, int]:
    from egovpm.accounts.models import UserRole

    return Department.objects.count(), User.objects.count(), UserRole.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def dep(db: Any, capsys: Any) -> None:
    assert run(capsys, "department", "add", "clidept", "--name", "甲部委", "--kind", "central")[0] == 0


# --- department add ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_department_add(capsys: Any) -> None:
    code, out, err = run(
        capsys, "department", "add", "clidept", "--name", "甲部委", "--kind", "central", "--division-code", "110000"
    )
    assert code == 0, err
    assert "clidept" in out
    assert err == ""
    d = Department.objects.get(code="clidept")
    assert (d.name, d.kind, d.division_code) == ("甲部委", "central", "110000")
    event = AuditEvent.objects.filter(action="department.add").latest("seq")
    assert event.new["code"] == "clidept"
    assert event.channel == "cli"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["central", "local", "ndrc", "mof", "archives", "agency"])
def test_department_every_kind(kind: str, capsys: Any) -> None:
    assert run(capsys, "department", "add", f"d-{kind}", "--name", "部门", "--kind", kind)[0] == 0


@pytest.mark.django_db
def test_department_duplicate(capsys: Any, dep: None) -> None:
    before = snapshot()
    code, out, err = run(capsys, "department", "add", "clidept", "--name", "另一个", "--kind", "local")
    assert code != 0
    one_line_error(err)
    assert "clidept" in err
    assert snapshot() == before
    assert Department.objects.get(code="clidept").name == "甲部委"


@pytest.mark.django_db
def test_department_bad_kind_exits_2(capsys: Any) -> None:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        cli.main(["department", "add", "x", "--name", "X", "--kind", "ministry"])
    assert exc.value.code == 2
    one_line_error(capsys.readouterr().err)
    assert not Department.objects.filter(code="x").exists()


@pytest.mark.django_db
def test_department_missing_name_exits_2(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["department", "add", "x", "--kind", "central"])
    assert exc.value.code == 2
    assert not Department.objects.filter(code="x").exists()


def test_no_command_exits_2(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main([])
    assert exc.value.code == 2


# --- user add ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_add(capsys: Any, monkeypatch: Any, dep: None) -> None:
    code, out, err = run_with_stdin(
        capsys,
        monkeypatch,
        STRONG + "\n",
        "user",
        "add",
        "alice",
        "--department",
        "clidept",
        "--role",
        "dept_staff",
        "--role",
        "dept_leader",
        "--password-stdin",
    )
    assert code == 0, err
    assert "alice" in out
    user = User.objects.get(username="alice")
    assert user.department.code == "clidept"
    assert user.role_set == {"dept_staff", "dept_leader"}
    assert user.check_password(STRONG)
    assert STRONG not in out + err
    assert AuditEvent.objects.filter(action="user.add").latest("seq").channel == "cli"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argv", "stdin", "needle"),
    [
        (["--department", "nowhere", "--role", "dept_staff"], STRONG, "nowhere"),
        (["--department", "clidept", "--role", "superuser"], STRONG, "superuser"),
        (["--department", "clidept", "--role", "dept_staff", "--role", "wizard"], STRONG, "wizard"),
        (["--department", "clidept", "--role", "dept_staff"], "weak", "password"),
        (["--department", "clidept", "--role", "dept_staff"], "alllowercaseletters", "password"),
        (["--department", "clidept", "--role", "dept_staff"], "", "password"),
    ],
)
def test_user_add_refusals_write_nothing(
    argv: list[str], stdin: str, needle: str, capsys: Any, monkeypatch: Any, dep: None
) -> None:
    before = snapshot()
    code, out, err = run_with_stdin(capsys, monkeypatch, stdin + "\n", "user", "add", "bob", *argv, "--password-stdin")
    assert code != 0
    one_line_error(err)
    assert needle in err
    assert snapshot() == before
    assert not User.objects.filter(username="bob").exists()


@pytest.mark.django_db
def test_user_add_duplicate(capsys: Any, monkeypatch: Any, dep: None) -> None:
    args = ("user", "add", "alice", "--department", "clidept", "--role", "dept_staff", "--password-stdin")
    assert run_with_stdin(capsys, monkeypatch, STRONG + "\n", *args)[0] == 0
    before = snapshot()
    code, out, err = run_with_stdin(capsys, monkeypatch, "Other-Passw0rd-1\n", *args)
    assert code != 0
    one_line_error(err)
    assert "alice" in err
    assert snapshot() == before
    assert User.objects.get(username="alice").check_password(STRONG)


@pytest.mark.django_db
def test_user_add_without_password_stdin_exits_2(capsys: Any, dep: None) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["user", "add", "carol", "--department", "clidept", "--role", "dept_staff"])
    assert exc.value.code == 2
    assert not User.objects.filter(username="carol").exists()


@pytest.mark.django_db
def test_user_add_without_role_exits_2(capsys: Any, monkeypatch: Any, dep: None) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG + "\n"))
    with pytest.raises(SystemExit) as exc:
        cli.main(["user", "add", "carol", "--department", "clidept", "--password-stdin"])
    assert exc.value.code == 2
    assert not User.objects.filter(username="carol").exists()


# --- user set ------------------------------------------------------------------------------------


@pytest.fixture
def alice(dep: None, capsys: Any, monkeypatch: Any) -> User:
    code, _, err = run_with_stdin(
        capsys,
        monkeypatch,
        STRONG + "\n",
        "user",
        "add",
        "alice",
        "--department",
        "clidept",
        "--role",
        "dept_staff",
        "--password-stdin",
    )
    assert code == 0, err
    return User.objects.get(username="alice")


@pytest.mark.django_db
def test_user_set_roles(capsys: Any, alice: User) -> None:
    code, out, err = run(capsys, "user", "set", "alice", "--role", "dept_leader", "--role", "expert")
    assert code == 0, err
    assert User.objects.get(username="alice").role_set == {"dept_leader", "expert"}
    event = AuditEvent.objects.filter(action="user.set").get()
    assert event.old["roles"] == ["dept_staff"]
    assert event.new["roles"] == ["dept_leader", "expert"]
    assert event.channel == "cli"


@pytest.mark.django_db
def test_user_set_unknown_role_changes_nothing(capsys: Any, alice: User) -> None:
    before = snapshot()
    code, out, err = run(capsys, "user", "set", "alice", "--role", "dept_leader", "--role", "overlord")
    assert code != 0
    one_line_error(err)
    assert snapshot() == before
    assert User.objects.get(username="alice").role_set == {"dept_staff"}


@pytest.mark.django_db
def test_user_set_disable_and_enable(capsys: Any, alice: User) -> None:
    assert run(capsys, "user", "set", "alice", "--disable")[0] == 0
    assert User.objects.get(username="alice").is_active is False
    assert run(capsys, "user", "set", "alice", "--enable")[0] == 0
    assert User.objects.get(username="alice").is_active is True


@pytest.mark.django_db
def test_user_set_disable_and_enable_together_exits_2(capsys: Any, alice: User) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["user", "set", "alice", "--disable", "--enable"])
    assert exc.value.code == 2
    assert User.objects.get(username="alice").is_active is True


@pytest.mark.django_db
def test_user_set_password_reset(capsys: Any, monkeypatch: Any, alice: User) -> None:
    code, out, err = run_with_stdin(
        capsys, monkeypatch, "Fresh-Passw0rd-9\n", "user", "set", "alice", "--password-stdin"
    )
    assert code == 0, err
    user = User.objects.get(username="alice")
    assert user.check_password("Fresh-Passw0rd-9")
    assert not user.check_password(STRONG)
    assert "Fresh-Passw0rd-9" not in str(AuditEvent.objects.filter(action="user.set").get().new)


@pytest.mark.django_db
def test_user_set_weak_password_changes_nothing(capsys: Any, monkeypatch: Any, alice: User) -> None:
    before = snapshot()
    code, out, err = run_with_stdin(capsys, monkeypatch, "weak\n", "user", "set", "alice", "--password-stdin")
    assert code != 0
    one_line_error(err)
    assert snapshot() == before
    assert User.objects.get(username="alice").check_password(STRONG)


@pytest.mark.django_db
def test_user_set_unknown_user(capsys: Any, dep: None) -> None:
    before = snapshot()
    code, out, err = run(capsys, "user", "set", "nobody", "--disable")
    assert code != 0
    one_line_error(err)
    assert "nobody" in err
    assert snapshot() == before


@pytest.mark.django_db
def test_user_set_nothing_to_change(capsys: Any, alice: User) -> None:
    before = snapshot()
    code, out, err = run(capsys, "user", "set", "alice")
    assert code != 0
    one_line_error(err)
    assert "nothing to change" in err
    assert snapshot() == before


# --- migrate and demo ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_migrate(capsys: Any) -> None:
    code, out, err = run(capsys, "migrate")
    assert code == 0, err
    assert out.strip()
    assert err == ""


@pytest.mark.django_db
def test_demo_no_serve_is_idempotent_and_prints_logins(capsys: Any, settings: Any) -> None:
    from egovpm.demo import DEMO_PASSWORD
    from egovpm.projects.models import Project

    settings.DEBUG = True  # development mode (EGOVPM_DEBUG=1): the demo users are allowed
    code, out, err = run(capsys, "demo", "--no-serve")
    assert code == 0, err
    assert Project.objects.count() == 15
    users = User.objects.count()
    stages = dict(Project.objects.values_list("code", "stage"))
    assert "ndrc.officer" in out
    assert "audit.admin" in out
    assert DEMO_PASSWORD in out
    assert "http://127.0.0.1:8000/" in out

    code, out, err = run(capsys, "demo", "--no-serve")
    assert code == 0, err
    assert Project.objects.count() == 15
    assert User.objects.count() == users
    assert dict(Project.objects.values_list("code", "stage")) == stages
    assert "ndrc.officer" in out

    # the demo users can log in with the printed password
    from django.contrib.auth import authenticate

    assert authenticate(username="ndrc.officer", password=DEMO_PASSWORD) is not None
    assert len(set(stages.values())) >= 8  # spread over the lifecycle


@pytest.mark.django_db
def test_administrator_roles_are_separate(capsys: Any, monkeypatch: Any, dep: None) -> None:
    """三员分立: an administrator role cannot be combined with another role."""
    before = snapshot()
    code, _, err = run_with_stdin(
        capsys,
        monkeypatch,
        STRONG + "\n",
        "user",
        "add",
        "combo",
        "--department",
        "clidept",
        "--role",
        "sys_admin",
        "--role",
        "audit_admin",
        "--password-stdin",
    )
    assert code != 0
    one_line_error(err)
    assert "sys_admin" in err
    assert snapshot() == before


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"EGOVPM_DEBUG": ""}, "EGOVPM_SECRET_KEY is required"),
        ({"EGOVPM_DEBUG": "", "EGOVPM_SECRET_KEY": "x" * 50}, "EGOVPM_AUDIT_KEY is required"),
        ({"EGOVPM_DEBUG": "1", "EGOVPM_AUDIT_KEY": "too-short"}, "at least 32 characters"),
        (
            {
                "EGOVPM_DEBUG": "",
                "EGOVPM_SECRET_KEY": "x" * 50,
                "EGOVPM_AUDIT_KEY": "y" * 48,
                "EGOVPM_NOW": "2027-08-01T09:00:00+08:00",
            },
            "refused",
        ),
        ({"EGOVPM_DEBUG": "1", "EGOVPM_NOW": "2027-08-01"}, "needs an offset"),
    ],
)
def test_configuration_errors_are_one_line(env: dict[str, str], expected: str, tmp_path: Any) -> None:
    """Run as a real process: settings are read once, at start-up."""
    import os
    import subprocess
    import sys

    full = {k: v for k, v in os.environ.items() if not k.startswith(("EGOVPM_", "DATABASE_URL"))}
    full.update(env, EGOVPM_VAR_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "egovpm", "migrate"], env=full, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    one_line_error(done.stderr)
    assert expected in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # nothing written
