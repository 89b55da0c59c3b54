"""Keys and the admin command line (`python -m shared.auth`)."""
