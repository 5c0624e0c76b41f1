"""The office's and the units' weekly 督办 work on top of the ledger: my to-do, the daily reminder pass,
批示 followed up, the monthly 督查通报, 督办单/催办单, the year carried over and the annual 考核 scores.

Kept apart from eduplan.ledger (own models and migrations): it reads the ledger and changes it only through
eduplan.ledger.services, so the ledger's rules (policy, audit trail) hold here too.
"""
