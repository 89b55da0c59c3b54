"""Partner authentication: API keys, each for one agency and the event types it may emit."""
