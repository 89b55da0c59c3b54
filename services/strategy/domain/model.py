"""Strategy's rules. No I/O here."""
