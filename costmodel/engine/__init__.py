"""Costs over time and comparisons.

Per-request prices, training, strategy totals, lifecycle cuts, break-even,
sweeps and sensitivity. The engine returns codes and numbers; wording lives
in :mod:`costmodel.report`.
"""
