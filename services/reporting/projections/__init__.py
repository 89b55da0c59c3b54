"""Every projection of the reporting read model, by event type."""

from services.reporting.projections import training

HANDLERS = {**training.HANDLERS}
