"""Corpora beyond one machine: the per-document seam (``annotate``), a Parquet index built
with Dask (``build_index``) and a Corpus read back from it (``open_index``)."""
