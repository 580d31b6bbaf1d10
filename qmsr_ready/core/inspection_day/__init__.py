"""Inspection day, read side: frozen views of the request log, its statistics and predictions.

Writes live in ``qmsr_ready.core.services.requests`` and ``services.day_notes``.
"""
