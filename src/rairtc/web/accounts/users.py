"""Creating accounts (``rairtc createuser`` and ``serve --demo``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from rairtc.web.accounts.models import Profile
from rairtc.web.accounts.roles import Role


def create_user(username: str, password: str, role: Role) -> None:
    """Create the account, or reset its password and role when it exists."""
    users = get_user_model()
    with transaction.atomic():
        user = users.objects.filter(username=username).first()
        if user is None:
            user = users.objects.create_user(username=username, password=password)
        else:
            user.set_password(password)
            user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": role.value})
