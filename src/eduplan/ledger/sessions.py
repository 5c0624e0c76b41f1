"""Database sessions (logout ends a session in every worker), read with one plain query: every page reads its
session, and building the query through the ORM cost more CPU than PostgreSQL spent answering it."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                           [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: a new session, as Django's own store does
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
