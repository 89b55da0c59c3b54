"""Kafka: topics, the producer, the consumer that projects, size limits and dead letters."""
