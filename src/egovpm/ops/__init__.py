"""Operations that span every app (backup and restore). Not a Django app: it sits above the apps,
like the CLI, and imports them; no app imports it (docs/adr/0001)."""
