"""The write side: aggregates with their outbox, applying a request's events all or nothing, identities, the outbox relay."""
