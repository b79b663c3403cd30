"""Sign in and out (Django's own views and form), the language switcher, and the managers'
account page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rairtc.web.accounts.models import Profile
from rairtc.web.accounts.roles import Can, Role, requires
from rairtc.web.accounts.users import create_user
from rairtc.web.audit.trail import record
from rairtc.web.labels import label
from rairtc.web.text import LANGUAGES

login = auth.LoginView.as_view(template_name="registration/login.html")
logout = auth.LogoutView.as_view()


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Remember the choice: on the profile of a signed-in user, and in a cookie."""
    from django.conf import settings

    code = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in LANGUAGES:
        if request.user.is_authenticated:
            profile = getattr(request.user, "profile", None)
            if profile is not None:
                profile.language = code
                profile.save(update_fields=["language"])
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax")
    return response


class AccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=[])
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, label("role", r.value)) for r in Role]


@requires(Can.ACCOUNTS)
def accounts(request: HttpRequest) -> HttpResponse:
    """Managers list the accounts and create one (or reset its password and role); audited."""
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            existed = Profile.objects.filter(user__username=data["username"]).first()
            before = None if existed is None else {"role": existed.role}
            create_user(data["username"], data["password"], Role(data["role"]))
            record(
                request.user.get_username(),
                "update" if existed else "create",
                "account",
                data["username"],
                before=before,
                after={"role": data["role"]},
            )
        messages.success(request, _("Saved."))
        return redirect("accounts")
    profiles = Profile.objects.select_related("user").order_by("user__username")
    rows = [
        {
            "username": p.user.get_username(),
            "role": label("role", p.role),
            "language": p.language,
            "active": p.user.is_active,
            "me": p.user.pk == request.user.pk,
        }
        for p in profiles
    ]
    return render(request, "accounts/accounts.html", {"form": form, "rows": rows})


@requires(Can.ACCOUNTS)
@require_POST
def account_active(request: HttpRequest, username: str, active: bool) -> HttpResponse:
    """Deactivate an account (it can no longer sign in nor use its API tokens) or reactivate
    it; audited. Nothing is deleted, so its audit trail and tokens stay listed. A manager
    cannot deactivate their own account (so that one manager always remains)."""
    from django.contrib.auth import get_user_model
    from django.shortcuts import get_object_or_404

    user = get_object_or_404(get_user_model(), username=username, profile__isnull=False)
    if not active and user.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
        return redirect("accounts")
    with transaction.atomic():
        changed = (
            type(user).objects.filter(pk=user.pk, is_active=not active).update(is_active=active)
        )
        if changed:
            record(
                request.user.get_username(),
                "update",
                "account",
                username,
                before={"active": not active},
                after={"active": active},
            )
    if active:
        text = _("Account %(username)s reactivated.")
    else:
        text = _("Account %(username)s deactivated: it can no longer sign in nor use its tokens.")
    messages.success(request, text % {"username": username})
    return redirect("accounts")


class TokenForm(forms.Form):
    username = forms.ChoiceField(label=_("Account"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = (
            Profile.objects.filter(user__is_active=True)
            .order_by("user__username")
            .values_list("user__username", flat=True)
        )
        self.fields["username"].choices = [(n, n) for n in names]


@requires(Can.ACCOUNTS)
def tokens(request: HttpRequest) -> HttpResponse:
    """Managers create API tokens (shown once) and revoke them; both audited."""
    from rairtc.web.accounts.models import ApiToken
    from rairtc.web.accounts.tokens import create_token

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        token = create_token(username, by=request.user.get_username())
        messages.success(
            request,
            _("New token for %(username)s, shown only this once: %(token)s")
            % {"username": username, "token": token},
        )
        return redirect("tokens")
    rows = ApiToken.objects.select_related("user")
    return render(request, "accounts/tokens.html", {"form": form, "rows": rows})


@requires(Can.ACCOUNTS)
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    from rairtc.web.accounts.tokens import revoke_token

    if revoke_token(token_id, by=request.user.get_username()):
        messages.success(request, _("Token revoked."))
    return redirect("tokens")
