"""nbval runs these notebooks on the test-suite's own corpus, never on the user's corpus/.

The notebooks' ``corpus_dir = None`` means ``$DPRKBRIEF_CORPUS`` if set, else ``corpus/``;
it is set here (and in tests/conftest.py) before any kernel starts, and kernels inherit it.
Files the notebooks write (``output_dir``) go to a temporary run folder, not into notebooks/.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ["DPRKBRIEF_CORPUS"] = str(Path(__file__).resolve().parents[1] / "tests/fixtures/corpus")
if not os.environ.get("DPRKBRIEF_RUN_DIR"):
    _run_dir = tempfile.mkdtemp(prefix="dprkbrief_nbval_")
    os.environ["DPRKBRIEF_RUN_DIR"] = _run_dir
    atexit.register(shutil.rmtree, _run_dir, True)
