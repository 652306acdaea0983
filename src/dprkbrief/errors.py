"""Exception types. Every message names the file or parameter at fault and the fix."""

from __future__ import annotations


class DprkbriefError(Exception):
    """Base class for errors raised by dprkbrief (never a bare pandas traceback)."""


class CorpusError(DprkbriefError):
    """A corpus directory, document file or catalog entry cannot be used as given."""


class RuleFileError(DprkbriefError):
    """A rule/lexicon/catalog data file is malformed."""


class ParameterError(DprkbriefError, ValueError):
    """A function or notebook parameter has an invalid value or type."""


class DprkbriefWarning(UserWarning):
    """Something the user should know (a fallback decoding, an ignored file, a missing date)."""
