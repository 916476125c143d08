"""Stored per-project compliance verdicts (issue 13, docs/adr/0013-stored-verdicts.md)."""
