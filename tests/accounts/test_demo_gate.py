"""Demo accounts (issue 15 item 8): `egovpm demo` refuses to load its users (one published
password) when EGOVPM_DEBUG is off unless --allow-in-production is given; the login page says that
demo accounts exist, and where their list is, in development mode only; the README lists every
demo login."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from egovpm import cli, demo
from egovpm.accounts.models import User

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def _channel_restored() -> Any:
    """`egovpm demo` marks the process's writes as the command line's: later tests are not."""
    from egovpm.core.channel import current_channel

    saved = current_channel.get()
    yield
    current_channel.set(saved)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What `egovpm demo --no-serve` went on to do (the loading itself is tested in tests/test_cli.py)."""
    done: list[str] = []
    monkeypatch.setattr(cli, "_migrate", lambda: done.append("migrate"))
    monkeypatch.setattr(demo, "load", lambda: done.append("load"))
    monkeypatch.setattr(demo, "print_logins", lambda host, port: done.append("print"))
    return done


def test_demo_is_refused_in_production(capsys: Any, settings: Any, loads: list[str]) -> None:
    settings.DEBUG = False
    users = User.objects.count()
    assert cli.main(["demo", "--no-serve"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--allow-in-production" in err and "EGOVPM_DEBUG" in err
    assert loads == [] and User.objects.count() == users


def test_demo_loads_in_production_only_when_allowed(settings: Any, loads: list[str]) -> None:
    settings.DEBUG = False
    assert cli.main(["demo", "--no-serve", "--allow-in-production"]) == 0
    assert loads == ["migrate", "load", "print"]


def test_demo_loads_in_development(settings: Any, loads: list[str]) -> None:
    settings.DEBUG = True
    assert cli.main(["demo", "--no-serve"]) == 0
    assert loads == ["migrate", "load", "print"]


def test_login_page_names_the_demo_accounts_in_development_only(settings: Any) -> None:
    settings.DEBUG = True
    page = Client().get(reverse("web:login")).content.decode()
    assert 'id="demo-accounts"' in page and "README" in page
    settings.DEBUG = False
    assert 'id="demo-accounts"' not in Client().get(reverse("web:login")).content.decode()


def test_readme_lists_every_demo_login() -> None:
    from egovpm.reviews import demo as reviews_demo  # the expert pool adds experts of its own

    text = README.read_text(encoding="utf-8")
    usernames = {u[0] for u in demo.USERS} | {e[0] for e in reviews_demo.DEMO_EXPERTS}
    missing = sorted(u for u in usernames if f"`{u}`" not in text)
    assert missing == [], f"demo logins missing from README.md: {missing}"
    assert demo.DEMO_PASSWORD in text
