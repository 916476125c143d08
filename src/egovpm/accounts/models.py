from __future__ import annotations

import hashlib
import weakref
from functools import cache
from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from egovpm.accounts.choices import DepartmentKind, Role


class Department(models.Model):
    """部门/单位. `code` is the short identifier used by the CLI and the API."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=DepartmentKind.choices)
    # Project codes (domain.md §9) embed the administrative division (GB/T 2260) and a 2-digit
    # department number.
    division_code = models.CharField(max_length=6, default="000000")
    number = models.CharField(max_length=2, default="00")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=DepartmentKind.values), name="department_kind_valid"),
            models.CheckConstraint(condition=models.Q(division_code__regex=r"^\d{6}$"), name="division_6_digits"),
            models.CheckConstraint(condition=models.Q(number__regex=r"^\d{2}$"), name="number_2_digits"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A user belongs to exactly one department and holds one or more roles (domain.md §2)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="users", null=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # A password an administrator set (the initial one of an account sys_admin created, or a reset)
    # is temporary: until the user chooses their own, the browser shows only the change-password
    # page and the API refuses a token (403 password_change_required). Else an administrator who
    # resets a password could sign in as the user (docs/security.md).
    password_change_required = models.BooleanField(default=False)

    objects: ClassVar[UserManager[Self]] = UserManager()

    @property
    def role_set(self) -> frozenset[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    def label(self) -> str:
        return self.display_name or self.username


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_row_per_user_role"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_valid"),
        ]


class ApiToken(models.Model):
    """Bearer tokens. Only the SHA-256 of a token is stored: a database dump does not leak sessions.

    A token is valid until `expires_at` (issue time + the policy's token lifetime, accounts/policy.py).
    Revoking it (DELETE /auth/token), disabling its user or resetting the password deletes the row:
    nothing can bring it back. `last_used_at` is written on use at most once a minute
    (policy.ACTIVITY_RESOLUTION), so it may be up to a minute old."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True)

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class LoginAttempt(models.Model):
    """One row per login attempt (UI or API); the lockout counts recent failures per username."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField()
    succeeded = models.BooleanField()
    ip = models.GenericIPAddressField(null=True)
    channel = models.CharField(max_length=10)  # "ui" | "api"

    class Meta:
        # serves lockout_state(): recent attempts of one username, newest first
        indexes = [models.Index(fields=["username", "-at"], name="login_attempt_recent")]


class SecurityPolicy(models.Model):
    """The security policy sec_admin sets (domain.md §14): one row at most (pk 1). Without it the
    values come from the settings (environment); accounts/policy.py reads it, clamped to its bounds."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    password_min_length = models.PositiveSmallIntegerField()
    password_classes = models.PositiveSmallIntegerField()
    lockout_failures = models.PositiveSmallIntegerField()
    lockout_minutes = models.PositiveIntegerField()
    session_idle_minutes = models.PositiveIntegerField()
    token_lifetime_days = models.PositiveIntegerField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="security_policy_singleton")]


# --- One query per request for the principal ---------------------------------------------------
# Every authenticated request needs its user, the user's department (policies.restrict) and roles
# (role_set). Through the ORM that was the token (with user and department, compiled anew on each
# request: ~1,200 Python calls) plus a second query for the roles. Here the statement is built once
# per database alias from the models' own column lists, the roles come as extra rows of a LEFT JOIN
# (a user holds a handful), and the instances are made with Model.from_db as the ORM would: the
# user's department and role cache are filled, so nothing else is read later in the request.


_Converter = tuple[int, list[Any], Any]  # (row position, converters, the column expression)


def _columns(model: type[models.Model], alias: str, quote: Any) -> tuple[list[Any], list[str], list[str]]:
    fields = model._meta.concrete_fields
    columns = [f"{alias}.{quote(f.column)}" for f in fields]
    return [f.get_col(alias) for f in fields], [f.attname for f in fields], columns


@cache
def _principal_sql(using: str, by_token: bool) -> tuple[str, list[Any], list[list[str]]]:
    """The statement, the selected columns (for their converters) and the attnames per model."""
    quote = connections[using].ops.quote_name
    models_read = ((ApiToken, "t"), (User, "u"), (Department, "d")) if by_token else ((User, "u"), (Department, "d"))
    parts = [_columns(m, a, quote) for m, a in models_read]
    table = {m: quote(m._meta.db_table) for m in (ApiToken, User, Department, UserRole)}
    source = f"{table[ApiToken]} t INNER JOIN {table[User]} u ON u.id = t.user_id" if by_token else f"{table[User]} u"
    sql = (
        f"SELECT {', '.join(c for _, _, cols in parts for c in cols)}, r.role FROM {source}"  # noqa: S608 -- names from _meta
        f" LEFT OUTER JOIN {table[Department]} d ON d.id = u.department_id"
        f" LEFT OUTER JOIN {table[UserRole]} r ON r.user_id = u.id"
        f" WHERE {'t.key_hash' if by_token else 'u.id'} = %s"
    )
    return sql, [e for exprs, _, _ in parts for e in exprs], [names for _, names, _ in parts]


# The backend's and the fields' value converters (the ORM's compiler.get_converters), found once
# per connection: SQLite returns datetimes as text, for instance.
_converters: weakref.WeakKeyDictionary[Any, dict[bool, list[_Converter]]] = weakref.WeakKeyDictionary()


def _row_converters(connection: Any, by_token: bool, expressions: list[Any]) -> list[_Converter]:
    known = _converters.setdefault(connection, {})
    if by_token not in known:
        known[by_token] = [
            (i, found, e)
            for i, e in enumerate(expressions)
            if (found := connection.ops.get_db_converters(e) + e.get_db_converters(connection))
        ]
    return known[by_token]


def _load_principal(value: Any, *, by_token: bool, using: str = "default") -> tuple[User, ApiToken | None] | None:
    sql, expressions, names = _principal_sql(using, by_token)
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = list(rows[0])
    for i, converters, expression in _row_converters(connection, by_token, expressions):
        for convert in converters:
            first[i] = convert(first[i], expression, connection)
    instances: list[models.Model | None] = []
    start = 0
    for model, attnames in zip(([ApiToken] if by_token else []) + [User, Department], names, strict=True):
        values = first[start : start + len(attnames)]
        start += len(attnames)
        instances.append(model.from_db(using, attnames, values) if values[0] is not None else None)
    *token_part, user, department = instances
    assert isinstance(user, User)
    User.department.field.set_cached_value(user, department)
    user._role_cache = frozenset(row[-1] for row in rows if row[-1] is not None)
    token = token_part[0] if token_part else None
    if not isinstance(token, ApiToken):
        return user, None
    ApiToken.user.field.set_cached_value(token, user)
    return user, token


def token_principal(key_hash: str) -> ApiToken | None:
    """The token with this hash, its user, the user's department and roles: one query."""
    found = _load_principal(key_hash, by_token=True)
    return found[1] if found is not None else None


def user_principal(pk: Any) -> User | None:
    """The user with this primary key, with department and roles: one query (the session's user)."""
    found = _load_principal(pk, by_token=False)
    return found[0] if found is not None else None
