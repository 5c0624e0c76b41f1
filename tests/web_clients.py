"""Test clients for the web platform's tests (tests/ is on sys.path through its conftest)."""

from django.test import Client


def client_as(user) -> Client:
    """A Django test client logged in as the user (no password round trip)."""
    client = Client()
    client.force_login(user)
    return client
