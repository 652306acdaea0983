"""Teaching: classroom widgets and handouts (beside the batch runner, not part of it).

* :mod:`.widgets` — the same view as a static table (papermill, nbval, HTML reports) or as
  ipywidgets controls in JupyterLab; it reads the analysis layer's results.
* :mod:`.handout` — student/instructor versions of a teaching notebook.

The runner (:mod:`dprkbrief.runner`) never imports this package or the analysis layer.
"""
