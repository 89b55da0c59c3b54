"""The event contracts: the envelope, every domain's types (facts and decisions), the catalogue and the privacy guards."""
