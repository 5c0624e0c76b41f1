"""The user's own account: password change and API tokens (audit M6, M7)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import tokens
from .models import ApiToken, User


class PasswordChange(auth_views.PasswordChangeView):
    """Django's own view: the old password, the validators, the session kept and every other one ended;
    the user's API tokens end with the old password (models.User.save)."""

    success_url = reverse_lazy("ledger:password_done")

    def get_form_kwargs(self):
        # request.user comes from one raw query (backends.py), its datetimes not converted: saving it would
        # write last_login and date_joined back shifted. The form saves a user read through the ORM.
        return {**super().get_form_kwargs(), "user": User.objects.get(pk=self.request.user.pk)}


@login_required
def password_done(request):
    messages.success(request, _("密码已修改；其他登录和所有 API 令牌已失效"))
    return redirect("ledger:tokens")


@login_required
def token_list(request):
    new_key = None
    if request.method == "POST":
        new_key, _token = tokens.issue(request.user)
    return render(request, "ledger/tokens.html", {"tokens": request.user.api_tokens.all(), "new_key": new_key,
                                                  "days": tokens.lifetime().days})


@login_required
@require_POST
def token_revoke(request, pk):
    get_object_or_404(ApiToken, pk=pk, user=request.user).delete()
    messages.success(request, _("令牌已撤销"))
    return redirect("ledger:tokens")
