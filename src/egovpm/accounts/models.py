from __future__ import annotations

import hashlib
from typing import ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
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
