"""HTTP: the app every service is built from, the ingest endpoint, schemas served, limits, problems and security."""
