"""督办台账: the supervision ledger app (plans → tasks → assignments, reports, requests, audit)."""
