"""Temporal expressions: the rule-based tagger (:mod:`.tagger`, ``tag_dates``) and the
TempEval-3 evaluation on TimeML files (:mod:`.timeml`, ``evaluate_timeml``)."""
