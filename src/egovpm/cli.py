"""The `egovpm` command (api.md). Configuration comes from the environment.

Every subcommand prints a one-line error on stderr and exits non-zero on bad input, and
writes nothing in that case (each service is one transaction)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn


class CliError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line on stderr, exit 2 — argparse's own usage dump is noise for scripts
        sys.stderr.write(f"egovpm: {message}\n")
        raise SystemExit(2)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egovpm.config.settings")
    import django

    django.setup()
    from egovpm.audit.services import current_channel

    current_channel.set("cli")


def _read_password(args: argparse.Namespace) -> str | None:
    if not getattr(args, "password_stdin", False):
        return None
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliError("no password on standard input")
    return password


def _demo_allowed(args: argparse.Namespace) -> None:
    """The demo users share one published password: never loaded on a production system by accident."""
    from django.conf import settings

    if not settings.DEBUG and not args.allow_in_production:
        raise CliError(
            "refused: EGOVPM_DEBUG is off and the demo users share a published password; "
            "set EGOVPM_DEBUG=1 or give --allow-in-production"
        )


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="egovpm", description="国家电子政务工程建设项目管理平台 egovpm")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sub.add_parser("migrate", help="create or upgrade the database")

    dep = sub.add_parser("department", help="departments").add_subparsers(
        dest="subcommand", required=True, parser_class=_Parser
    )
    add = dep.add_parser("add", help="add a department")
    add.add_argument("code")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, choices=["central", "local", "ndrc", "mof", "archives", "agency"])
    add.add_argument("--division-code", default="000000", help="GB/T 2260 code used in project codes")
    add.add_argument("--number", default="00", help="2-digit department number used in project codes")

    usr = sub.add_parser("user", help="users").add_subparsers(dest="subcommand", required=True, parser_class=_Parser)
    uadd = usr.add_parser("add", help="add a user")
    uadd.add_argument("username")
    uadd.add_argument("--department", required=True)
    uadd.add_argument("--role", action="append", required=True)
    uadd.add_argument("--password-stdin", action="store_true", required=True)
    uadd.add_argument("--display-name", default="")
    uadd.add_argument("--email", default="")
    uset = usr.add_parser("set", help="change roles, disable or enable, reset the password")
    uset.add_argument("username")
    uset.add_argument("--role", action="append")
    state = uset.add_mutually_exclusive_group()
    state.add_argument("--disable", action="store_true")
    state.add_argument("--enable", action="store_true")
    uset.add_argument("--password-stdin", action="store_true")

    serve = sub.add_parser("serve", help="serve with gunicorn (production WSGI server)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=0, help="default: 2 × CPU cores")
    serve.add_argument("--threads", type=int, default=0, help="threads per worker (default 8): slow clients")

    demo = sub.add_parser("demo", help="migrate, load the demo data, serve and print the demo logins")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--workers", type=int, default=0)
    demo.add_argument("--no-serve", action="store_true", help="load the data and print the logins only")
    demo.add_argument(
        "--allow-in-production",
        action="store_true",
        help="load the demo users (one known password) even when EGOVPM_DEBUG is off",
    )

    aud = sub.add_parser("audit", help="the audit trail").add_subparsers(
        dest="subcommand", required=True, parser_class=_Parser
    )
    averify = aud.add_parser("verify", help="re-check the audit hash chains; non-zero exit when a link is broken")
    averify.add_argument("--checkpoint", metavar="FILE", help="also check that the chains hold each checkpoint in FILE")
    acheck = aud.add_parser("checkpoint", help="print a signed checkpoint of the chain heads (keep it off-site)")
    acheck.add_argument("--append", metavar="FILE", help="also append it to FILE (one checkpoint a line)")

    remind = sub.add_parser("remind", help="email departments their upcoming and overdue report obligations")
    remind.add_argument("--days", type=int, default=14, help="remind of obligations due within N days")
    remind.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing")

    arc = sub.add_parser("archive", help="archive transfer packages").add_subparsers(
        dest="subcommand", required=True, parser_class=_Parser
    )
    verify = arc.add_parser("verify", help="re-check a BagIt archive package: SHA-256 and SM3 of every file")
    verify.add_argument("path")

    bk = sub.add_parser("backup", help="one archive: the database, every stored file, a manifest (SHA-256, SM3)")
    bk.add_argument("path", help="the archive to write (must not exist)")
    rs = sub.add_parser("restore", help="verify an archive of `egovpm backup`, then restore it into an empty database")
    rs.add_argument("path")

    from egovpm.documents import cli as documents_cli

    documents_cli.add_parser(sub, _Parser)

    from egovpm.ops import synthetic_cli

    synthetic_cli.add_parser(sub, _Parser)

    from egovpm.compliance import cli as compliance_cli

    compliance_cli.add_parser(sub, _Parser)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    return p


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _serve(host: str, port: int, workers: int, threads: int = 0) -> int:
    from django.conf import settings
    from django.core.management import call_command

    if not settings.DEBUG:
        # Production: collect and compress once per start (whitenoise serves the compressed files).
        # In development whitenoise serves straight from the apps (WHITENOISE_USE_FINDERS), and
        # compressing ECharts on every start would cost half a minute.
        call_command("collectstatic", interactive=False, verbosity=0)
    workers = workers or 2 * (os.cpu_count() or 1)
    # Threaded workers (gthread): a client that sends its body slowly holds one thread, not a whole
    # worker, so /healthz and everyone else keep being served (tests/ops/test_slow_clients.py). The
    # proxy in front buffers request bodies as well (README, "Deploying"; docs/deployment.md).
    threads = threads or 8
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "egovpm.config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("EGOVPM_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "--timeout",
        "60",
    ]
    print(
        f"egovpm serving on http://{host}:{port}/ with {workers} workers × {threads} threads (database: "
        f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})",
        flush=True,
    )
    os.execv(sys.executable, argv)  # noqa: S606  (replace this process by gunicorn; argv is ours)
    return 0  # pragma: no cover


def _accounts_command(args: argparse.Namespace) -> None:
    """`egovpm department` and `egovpm user add|set` (docs/administration.md)."""
    from egovpm.accounts import services as accounts

    if args.command == "department":
        d = accounts.department_add(
            actor=None,
            code=args.code,
            name=args.name,
            kind=args.kind,
            division_code=args.division_code,
            number=args.number,
        )
        print(f"department {d.code} added")
    elif args.command == "user" and args.subcommand == "add":
        password = _read_password(args)
        assert password is not None
        u = accounts.user_add(
            actor=None,
            username=args.username,
            department_code=args.department,
            roles=args.role,
            password=password,
            display_name=args.display_name,
            email=args.email,
        )
        print(f"user {u.username} added")
    elif args.command == "user" and args.subcommand == "set":
        active = False if args.disable else True if args.enable else None
        password = _read_password(args)
        if args.role is None and active is None and password is None:
            raise CliError("nothing to change: give --role, --disable, --enable or --password-stdin")
        u = accounts.user_set(actor=None, username=args.username, roles=args.role, active=active, password=password)
        print(f"user {u.username} updated")


def run(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup()
    except ImproperlyConfigured as exc:
        # a configuration mistake is one line, like any other refusal (api.md)
        sys.stderr.write(f"egovpm: configuration: {exc}\n")
        return 1
    from egovpm.core.errors import DomainError

    try:
        if args.command == "migrate":
            _migrate()
            print("database is up to date")
        elif args.command in ("department", "user"):
            _accounts_command(args)
        elif args.command == "serve":
            return _serve(args.host, args.port, args.workers, args.threads)
        elif args.command == "demo":
            from egovpm import demo

            _demo_allowed(args)
            _migrate()
            demo.load()
            demo.print_logins(args.host, args.port)
            if not args.no_serve:
                return _serve(args.host, args.port, args.workers)
        elif args.command == "audit":
            from egovpm.audit import cli as audit_cli  # verify, checkpoint (docs/audit.md)

            return audit_cli.run(args, CliError)
        elif args.command in ("backup", "restore"):
            from egovpm.ops import backup

            return backup.run_cli(args)
        elif args.command == "seed-synthetic":
            from egovpm.ops import synthetic_cli

            return synthetic_cli.run(args)
        elif args.command == "refresh-compliance":
            from egovpm.compliance import cli as compliance_cli  # stored verdicts (ADR 0013)

            return compliance_cli.run(args)
        elif args.command == "storage":
            from egovpm.documents import cli as documents_cli

            return documents_cli.run(args)
        elif args.command in ("remind", "archive"):
            # implemented by the reports and archives apps: egovpm.<app>.cli.run(args) -> exit code
            import importlib

            module = {"remind": "egovpm.reports.cli", "archive": "egovpm.archives.cli"}[args.command]
            try:
                handler = importlib.import_module(module)
            except ModuleNotFoundError:
                raise CliError(f"{args.command} is not available in this release")
            code = int(handler.run(args))
            if args.command == "remind" and code == 0:
                # the message centre: reports due in 15/7/1 days or overdue, opinions due (issue 15)
                from egovpm.notifications import cli as notifications_cli

                code = notifications_cli.run(args)
            return code
        elif args.command == "manage":
            from django.core.management import execute_from_command_line

            execute_from_command_line(["egovpm", *args.args])
    except (DomainError, CliError) as exc:
        message = str(exc)
        if isinstance(exc, DomainError):  # the words in the configured language, the code for scripts
            message = exc.message + (f" [{exc.reason}]" if exc.as_reason() is not None else "")
        sys.stderr.write(f"egovpm: {message}\n")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return run(list(sys.argv[1:] if argv is None else argv))
