"""One profile per user: the role that decides what every view shows, and the language the
user chose (else the browser's ``Accept-Language``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rairtc.web.accounts.roles import Role


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=16, choices=[(r.value, r.value) for r in Role])
    language = models.CharField(max_length=8, blank=True, default="")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role})"


class ApiToken(models.Model):
    """A bearer token of the JSON API, acting as its user (with the user's role).

    Only the SHA-256 digest is stored: the token is shown once, when it is created. A revoked
    token stays listed (who had access, when) and is refused from then on.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)
    revoked = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created"]
