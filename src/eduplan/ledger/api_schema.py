"""The OpenAPI schema states every answer the API gives, refusals included (audit: 40 answers the schema did not
declare). DRF and the exception handler in api.py answer refusals in two shapes, declared here once for every
operation instead of on each view."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class RefusalSerializer(serializers.Serializer):
    """A refused request: one line saying why (not signed in, not allowed, not found, moved on)."""

    detail = serializers.CharField()


class InvalidSerializer(serializers.Serializer):
    """400: the fields that were wrong, each with its messages; a refusal of the whole request has `detail` only."""

    detail = serializers.CharField(required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, serializer in self._refusals().items():
            responses.setdefault(code, self._get_response_for_code(serializer, code, direction=direction))
        return responses

    def _refusals(self) -> dict:
        """What this operation can be refused with: anything signed out or forbidden, a missing object or page,
        a body or query that does not pass, a write that collides with another one, a body it cannot parse."""
        refusals = {"401": RefusalSerializer, "403": RefusalSerializer}
        if "{" in self.path or self.method == "GET":  # an unknown id, or a page past the end
            refusals["404"] = RefusalSerializer
        if self.method != "GET" or self.get_filter_backends() or self._is_list_view():
            refusals["400"] = InvalidSerializer
        if self.method != "GET":
            refusals["409"] = RefusalSerializer
        if self.get_request_serializer() is not None:  # a body in a form the parser cannot read
            refusals["415"] = RefusalSerializer
        return refusals
