"""The API's token authentication, apart from tokens.py: DRF imports it while its own views load."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, looked up by its digest; an expired token is refused, and removed."""

    def authenticate_credentials(self, key):
        token = _tokens().objects.select_related("user").filter(digest=digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效"))
        now = timezone.now()
        if token.expires_at <= now:
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("用户已停用"))
        if token.last_used_at is None or now - token.last_used_at > dt.timedelta(hours=1):
            _tokens().objects.filter(pk=token.pk).update(last_used_at=now)  # at most a write an hour
        return token.user, token


def _tokens():
    from .models import ApiToken

    return ApiToken


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
