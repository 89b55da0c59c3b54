"""Every MongoDB (and FerretDB) adapter in one place: the client, aggregates, identities, keys, partnerships, the sink."""
