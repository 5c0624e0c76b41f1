"""The API's pagination (settings.REST_FRAMEWORK), in a module of its own: DRF imports it while its own generics
module is still loading, so it cannot live beside the views."""

from __future__ import annotations

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """DRF reads `?page=` (empty) as page 1, while the schema says the page is a number: refuse it as DRF refuses
    any other page that is not one."""

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(self.invalid_page_message.format(page_number="", message=""))
        return super().get_page_number(request, paginator)
