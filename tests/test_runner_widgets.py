"""Classroom controls: static tables under papermill/nbval, ipywidgets when interactive."""

from __future__ import annotations

import pandas as pd
import pytest

from dprkbrief.errors import ParameterError
from dprkbrief.teaching.widgets import COMPARE_COLUMNS, compare_table, topic_explorer


@pytest.fixture
def positions():
    import dprkbrief

    corpus = dprkbrief.corpus_from_texts(
        {
            "a": "By Ann Lee\n\nNorth Korea will never give up its nuclear weapons.\n",
            "b": "By Bo Kim\n\nPyongyang will agree to dismantle its nuclear program.\n",
        }
    )
    return dprkbrief.positions(corpus)


def test_static_explorer_is_the_compare_table(positions):
    topic = positions["topic"].iloc[0]
    table = topic_explorer(positions, topic)
    assert isinstance(table, pd.DataFrame)
    assert list(table.columns) == COMPARE_COLUMNS
    assert table.equals(compare_table(positions, topic))
    assert table.attrs["question"]


def test_interactive_explorer_follows_the_dropdown(positions):
    topics = sorted(positions["topic"].unique())
    fake = pd.DataFrame(
        {
            "expert": ["X <script>"],
            "topic": ["sanctions"],
            "label": ["Sanctions"],
            "question": ["q"],
            "direction": [1],
            "score": [1.0],
            "mean_certainty": [1.0],
            "n_statements": [1],
            "n_yes": [1],
            "n_no": [0],
            "claim_type": ["prediction"],
            "doc_id": ["d"],
            "seg_id": ["d:s0001"],
            "start": [0],
            "end": [5],
            "quote": ["<img src=x onerror=alert(1)>"],
        }
    )
    both = pd.concat([positions, fake], ignore_index=True)
    box = topic_explorer(both, topics[0], topics=[*topics, "sanctions"], interactive=True)
    dropdown, view = box.children
    assert list(dropdown.options) == [*topics, "sanctions"]
    before = view.value
    dropdown.value = "sanctions"
    assert view.value != before
    assert "&lt;img src=x onerror=alert(1)&gt;" in view.value and "<img" not in view.value


def test_unknown_topic_is_rejected(positions):
    with pytest.raises(ParameterError, match="invalid value for 'topic'"):
        topic_explorer(positions, "weather")


def test_a_compare_topic_outside_topics_says_so(positions):
    topic = positions["topic"].iloc[0]
    table = compare_table(positions, "sanctions", topics=[topic])
    assert table.empty
    assert "'sanctions' is not among the topics analysed" in table.attrs["note"]
    assert "add 'sanctions' to topics" in table.attrs["note"]
    unused = compare_table(positions, "sanctions")
    assert unused.empty and "No expert" in unused.attrs["note"]
    assert compare_table(positions, topic).attrs["note"] == ""


def test_the_teaching_package_is_apart_from_the_runner():
    """Widgets and handouts are teaching; the runner never loads the analysis layer."""
    import subprocess
    import sys

    code = (
        "import sys, dprkbrief.runner.run, dprkbrief.runner.store, dprkbrief.runner.params, "
        "dprkbrief.runner.outdir, dprkbrief.runner.kernels, dprkbrief.runner.lab, "
        "dprkbrief.runner.html, dprkbrief.runner.manifest; "
        "print(sorted(m for m in sys.modules if m.startswith(('dprkbrief.analysis', "
        "'dprkbrief.teaching'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    import dprkbrief.teaching.handout  # noqa: F401
    import dprkbrief.teaching.widgets  # noqa: F401
