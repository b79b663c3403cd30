"""Sign in and out (Django's own views and form) and the language switcher."""

from __future__ import annotations

from django.contrib.auth import views as auth
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

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
