"""Empty results read as a sentence, in text tables and in notebook displays."""

from __future__ import annotations

import pandas as pd
import pytest

from dprkbrief.errors import ParameterError
from dprkbrief.plotting.tables import Note, table_or_note, table_text


def test_an_empty_table_prints_a_sentence_not_empty_dataframe():
    empty = pd.DataFrame(columns=["expert", "topic"])
    assert table_text(empty, empty="No expert takes a position.") == "No expert takes a position."
    shown = table_or_note(empty, empty="No match of 'x'.")
    assert isinstance(shown, Note) and repr(shown) == "No match of 'x'."
    assert "Empty DataFrame" not in repr(shown) and shown._repr_markdown_() == "*No match of 'x'.*"


def test_a_table_with_rows_is_unchanged():
    df = pd.DataFrame({"expert": ["Ann Lee"], "score": [0.5]})
    assert table_text(df, empty="none") == df.to_string(index=False)
    assert table_or_note(df, empty="none") is df
    with pytest.raises(ParameterError):
        table_text(df, empty=None)
