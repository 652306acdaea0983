"""Temporal expressions: the rule-based tagger (:mod:`.tagger`, ``tag_dates``) split as
HeidelTime splits its engine -- :mod:`.rules` compiles the rule files (``load_dates``),
:mod:`.match` finds expressions and emits underspecified values, :mod:`.resolve` fills them
from the document date, the sentence's tense and the genre -- and the TempEval-3 evaluation
on TimeML files (:mod:`.timeml`, ``evaluate_timeml``)."""
