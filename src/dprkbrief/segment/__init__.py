"""Segmentation: paragraphs and their kinds, sections, speaker turns, sentences."""

from .blocks import PROSE_KINDS, is_heading_like, load_structure, parse_paragraphs
from .segmenter import LEVELS, segment_document
from .sentences import sentence_spans, split_sentences

__all__ = [
    "LEVELS",
    "PROSE_KINDS",
    "is_heading_like",
    "load_structure",
    "parse_paragraphs",
    "segment_document",
    "sentence_spans",
    "split_sentences",
]
