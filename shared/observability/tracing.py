"""OpenTelemetry across FastAPI, Kafka (context in the record headers) and MongoDB."""

from __future__ import annotations

from collections.abc import Iterable

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor, BatchSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

_configured = False
memory_exporter = InMemorySpanExporter()


def configure_tracing(service: str, exporter: str = "none") -> None:
    """Set the global tracer provider and instrument aiokafka and PyMongo, once per process.

    Must run before any MongoClient is made: PyMongo copies the command listeners at construction.
    FastAPI apps are instrumented where they are built (`shared.http.app`).
    """
    global _configured
    if _configured:
        return
    _configured = True
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif exporter == "memory":
        provider.add_span_processor(SimpleSpanProcessor(memory_exporter))
    trace.set_tracer_provider(provider)
    from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
    from opentelemetry.instrumentation.pymongo import PymongoInstrumentor

    AIOKafkaInstrumentor().instrument()
    PymongoInstrumentor().instrument()


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def inject_headers(headers: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Add the current trace context (traceparent) to Kafka headers."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return headers + [(k, v.encode()) for k, v in carrier.items()]


def extract_context(headers: Iterable[tuple[str, bytes]] | None):
    """The trace context carried in a Kafka record's headers, to parent the processing span."""
    carrier = {k: v.decode(errors="replace") for k, v in (headers or ()) if v is not None}
    return propagate.extract(carrier)
