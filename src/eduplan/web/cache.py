"""The page cache of `eduplan serve`: each process's memory in front of files that all its processes share.

Cached page bodies are keyed by the ledger's version, so every write makes them new keys. With a cache per
process each page was rendered once per worker after every write; with the files behind it, once in all.
A value read from the files is kept in the process's memory too, so a warm page costs no file read.
"""

from __future__ import annotations

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache

_MISSING = object()


class SharedCache(BaseCache):
    def __init__(self, location: str, params: dict):
        super().__init__(params)
        self._local = LocMemCache(f"eduplan-shared:{location}", params)
        self._shared = FileBasedCache(location, params)

    def get(self, key, default=None, version=None):
        value = self._local.get(key, _MISSING, version)
        if value is _MISSING:
            value = self._shared.get(key, _MISSING, version)
            if value is _MISSING:
                return default
            self._local.set(key, value, version=version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._shared.set(key, value, timeout, version)
        self._local.set(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version):
            return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        shared = self._shared.touch(key, timeout, version)
        return self._local.touch(key, timeout, version) or shared

    def delete(self, key, version=None):
        shared = self._shared.delete(key, version)
        return self._local.delete(key, version) or shared

    def has_key(self, key, version=None):
        return self._local.has_key(key, version) or self._shared.has_key(key, version)

    def clear(self):
        self._shared.clear()
        self._local.clear()
