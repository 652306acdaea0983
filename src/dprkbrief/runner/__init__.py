"""Batch runs, handouts and JupyterLab (imported lazily; papermill/nbconvert load on use).

* :mod:`.params` — a notebook's ``parameters`` cell, typing and validating values.
* :mod:`.run` — ``run_notebooks``: papermill runs into a folder with HTML, manifest, index.
* :mod:`.store` — the storage policy of committed notebooks (``tools/store_notebook.py``).
* :mod:`.html`, :mod:`.paths`, :mod:`.manifest` — safe HTML, safe names, run records.
* :mod:`.handout` — student/instructor versions; :mod:`.widgets` — classroom controls.
* :mod:`.lab` — JupyterLab with the project's kernel.
"""
