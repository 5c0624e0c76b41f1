"""The ledger's Django project: settings, URLs, templates, static files, translations."""
