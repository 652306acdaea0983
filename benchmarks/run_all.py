"""Run every benchmark script in this folder, one after another (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    code = 0
    for script in sorted(HERE.glob("bench_*.py")) + sorted(HERE.glob("eval_*.py")):
        print(f"\n## {script.name}\n", flush=True)
        code |= subprocess.run([sys.executable, str(script)]).returncode
    sys.exit(code)
