"""Analyses over segment tables: kwic, timeline, experts, statements, positions, forecasts.

Nothing here imports matplotlib, the CLI or the runner.
"""
