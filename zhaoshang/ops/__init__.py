"""Operations: backup, restore, bench and the demo loader, with their management commands."""
