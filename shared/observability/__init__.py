"""Logs, metrics and traces, configured the same way in every process."""
