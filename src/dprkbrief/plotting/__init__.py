"""Figures: each function takes a DataFrame from the library and returns a matplotlib Figure.

Only this package (and notebooks, CLI, runner) imports matplotlib.
"""
