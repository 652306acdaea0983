"""Adversarial text against every public analysis, each call with a time limit.

Hypothesis builds documents from pieces that have made text processors hang or crash: very
long tokens (a 200 KB capitalised one among them), deep nesting of quotes and brackets,
100k-character lines, runs of quotation marks, speaker labels, abbreviations and dates. Each
public function that takes a corpus or a text runs in a forked child process with a limit on
its CPU time (a regex stuck in backtracking holds the GIL, so a thread or an alarm could not
stop it; CPU time, not wall time, so a busy shared machine does not fail the test); a call that
does not finish, or that fails with anything but a DprkbriefError, fails the test.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import sys
import traceback

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="the time limit forks a child process"
)

# CPU seconds per call: the hangs this guards against take minutes; the slowest public
# function on the worst text here takes ~13 CPU s (statements on 3,000-deep nesting)
LIMIT = 20.0
# wall-clock backstop per call (a child blocked on something other than the CPU)
WALL_LIMIT = 300.0

# one piece of adversarial text, built from a small drawn number so big pieces are cheap
_PIECES = st.one_of(
    st.integers(1, 50_000).map(lambda n: "Kim" + "Jongun"[n % 6 :] + "X" * n),  # long Capital
    st.integers(1, 50_000).map(lambda n: "A" * n + ", a fellow at the Institute,"),
    st.integers(1, 5_000).map(lambda n: "(" * n + "talks" + ")" * n),
    st.integers(1, 5_000).map(lambda n: "“" * n + "deal" + "”" * n),
    st.integers(1, 5_000).map(lambda n: "[\"'(" * n + "Kim said" + ")'\"]" * n),
    st.integers(1, 20_000).map(lambda n: "word " * n),  # a line up to 100k characters
    st.integers(1, 100_000).map(lambda n: "a" * n),
    st.integers(1, 20_000).map(lambda n: '"' * n),
    st.integers(1, 5_000).map(lambda n: "“Yes,” he said. " * n),
    st.integers(1, 3_000).map(lambda n: "Dr. Kim Jong Un, " * n),
    st.integers(1, 3_000).map(lambda n: "Jane Roe: " * n),
    st.integers(1, 3_000).map(lambda n: "U.S. " * n),
    st.integers(1, 3_000).map(lambda n: "June 2019 " * n),
    st.integers(1, 3_000).map(lambda n: "North Korea will likely " * n),
    st.integers(1, 5_000).map(lambda n: "." * n),
    st.integers(1, 2_000).map(lambda n: "Q: Why?\n\nA: Because.\n\n" * n),
    st.text(max_size=200),
)
_DOCS = st.lists(
    st.tuples(_PIECES, st.sampled_from(["", " ", "\n", "\n\n", ". "])), min_size=1, max_size=4
).map(lambda parts: "Title Line\n\n" + "".join(p + sep for p, sep in parts) + "\nThe end.")


def _corpus(text):
    import dprkbrief

    return dprkbrief.corpus_from_texts({"d": text})


def _call(name: str, text: str):
    import dprkbrief

    if name == "tag_dates":
        return dprkbrief.tag_dates(text, "2024-12-26")
    if name == "link_events":
        return dprkbrief.link_events(text, dct="2024-12-26")
    if name in ("split_sentences", "sentence_spans"):
        return getattr(dprkbrief, name)(text)
    corpus = _corpus(text)
    if name == "segments":
        for level in ("section", "turn", "paragraph", "sentence"):
            table = corpus.segments(level)
            assert all(
                text[s:e] == t for s, e, t in zip(table["start"], table["end"], table["text"])
            )
        return table
    if name == "kwic":
        dprkbrief.kwic(corpus, "Kim", valuetype="fixed")
        dprkbrief.kwic(corpus, "K*m*", valuetype="glob")
        return dprkbrief.kwic(corpus, r"(a|aa)+$", valuetype="regex", timeout=1)
    if name == "compare":
        return dprkbrief.compare(corpus, "sanctions")
    if name in ("event_matrix", "era_profile", "mention_offsets"):
        return getattr(dprkbrief, name)(dprkbrief.timeline(corpus))
    return getattr(dprkbrief, name)(corpus)


FUNCTIONS = [
    "split_sentences",
    "sentence_spans",
    "segments",
    "kwic",
    "segment_counts",
    "speaker_shares",
    "tag_dates",
    "link_events",
    "timeline",
    "event_matrix",
    "era_profile",
    "mention_offsets",
    "experts",
    "statements",
    "positions",
    "compare",
    "forecasts",
]


def _child(queue, name, text, limit):
    from dprkbrief.errors import DprkbriefError

    # the kernel stops the child with SIGXCPU once it has used ``limit`` CPU seconds
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime)
    resource.setrlimit(resource.RLIMIT_CPU, (spent + int(limit), spent + int(limit) + 5))

    try:
        _call(name, text)
        queue.put(("ok", ""))
    except DprkbriefError as exc:  # a clear refusal is fine
        queue.put(("refused", str(exc)))
    except BaseException:  # noqa: BLE001 - reported to the parent
        queue.put(("crash", traceback.format_exc()))


def run_limited(name: str, text: str, limit: float = LIMIT) -> tuple[str, str]:
    """Run one public function on ``text`` in a forked child; fail if it uses more than
    ``limit`` CPU seconds (or hangs for WALL_LIMIT seconds)."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.SimpleQueue()
    proc = ctx.Process(target=_child, args=(queue, name, text, limit))
    proc.start()
    proc.join(WALL_LIMIT)
    if proc.is_alive():
        proc.kill()
        proc.join()
        pytest.fail(f"{name} ran longer than {WALL_LIMIT:g} s on a {len(text):,}-character text")
    if proc.exitcode == -signal.SIGXCPU:
        pytest.fail(f"{name} used more than {limit:g} CPU s on a {len(text):,}-character text")
    if queue.empty():
        pytest.fail(f"{name} died (exit code {proc.exitcode}) on a {len(text):,}-character text")
    status, detail = queue.get()
    assert status != "crash", f"{name} crashed:\n{detail}"
    return status, detail


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Import and compile the rules once in the parent, so every fork starts warm."""
    import warnings

    from dprkbrief.errors import DprkbriefWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DprkbriefWarning)
        for name in FUNCTIONS:
            _call(name, "Title\n\nKim Jong Un met Trump in June 2019. Talks will likely resume.")


@pytest.mark.parametrize("name", FUNCTIONS)
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=_DOCS)
def test_public_functions_finish_on_adversarial_text(name, text):
    run_limited(name, text)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_the_200kb_capitalised_token(name):
    text = "Title\n\nAnalysts said " + "A" * 200_000 + " will talk. Kim Jong Un agreed.\n"
    run_limited(name, text)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_deep_nesting_and_a_100k_line(name):
    text = (
        "Title\n\n"
        + "(" * 3000
        + "“" * 3000
        + "Kim said talks will resume"
        + "”" * 3000
        + ")" * 3000
        + "\n\n"
        + "word " * 20_000
        + "\n"
        + '"' * 10_000
        + "\n"
    )
    run_limited(name, text)
