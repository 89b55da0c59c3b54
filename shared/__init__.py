"""The kit every service is built from: contracts, the write and read sides, adapters, Kafka, HTTP, observability."""
