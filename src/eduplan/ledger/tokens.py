"""API tokens (audit M7): the key is shown once and only its SHA-256 is stored; each token expires; its user
lists and revokes it (page and API); a new password revokes them all (models.User.save)."""

from __future__ import annotations

import datetime as dt
import os
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import ApiToken
from .token_auth import digest


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=int(os.environ.get("EDUPLAN_TOKEN_DAYS", "30")))


def issue(user) -> tuple[str, ApiToken]:
    """A new token for the user: the key (to show once) and its stored row."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, digest=digest(key), prefix=key[:8],
                                    expires_at=timezone.now() + lifetime())
    return key, token


class TokenAnswer(serializers.Serializer):
    token = serializers.CharField(help_text="shown once; only its digest is stored")
    expires_at = serializers.DateTimeField()


class TokenView(APIView):
    """POST username and password: a new token (each call a new one). DELETE: revoke the token sent."""

    permission_classes = [AllowAny]
    serializer_class = AuthTokenSerializer

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenAnswer})
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        key, token = issue(serializer.validated_data["user"])
        return Response({"token": key, "expires_at": token.expires_at})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated(_("请用要撤销的令牌发送此请求"))
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
