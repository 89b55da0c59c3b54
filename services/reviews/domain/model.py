"""Reviews's rules. No I/O here."""
