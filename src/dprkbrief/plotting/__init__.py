"""Figures: each function takes a DataFrame from the library and returns a matplotlib Figure.

Only this package (and notebooks, CLI, runner) imports matplotlib. :mod:`.tables` turns an
empty table into a sentence for notebooks and logs.
"""
