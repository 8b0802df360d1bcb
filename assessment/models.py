"""Assessment years, indicators, targets, adjustments and snapshots (SPEC §5)."""
