"""The shared kit every service uses: event envelope and catalogue, Kafka, MongoDB, settings,
logging, tracing, metrics and partner authentication."""
