"""Batch runs and JupyterLab (imported lazily; papermill/nbconvert load on use).

* :mod:`.params` — a notebook's ``parameters`` cell, typing and validating values.
* :mod:`.run` — ``run_notebooks``: papermill runs into a folder with HTML, manifest, index.
* :mod:`.store` — the storage policy of committed notebooks (``tools/store_notebook.py``).
* :mod:`.html`, :mod:`.paths`, :mod:`.manifest` — safe HTML, safe names, run records.
* :mod:`.outdir` — the run folder: which folders are accepted, writing without following links.
* :mod:`.kernels` — kernels tracked and always shut down (timeouts, Ctrl-C, SIGTERM).
* :mod:`.lab` — JupyterLab with the project's kernel.

The runner never imports the analysis layer; classroom widgets and handouts live in
:mod:`dprkbrief.teaching`.
"""
