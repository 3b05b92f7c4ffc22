"""The exceptions ``costmodel`` raises for bad input.

Every error is a :class:`CostModelError` whose message is one plain sentence a
user can act on; the CLI prints it and exits 2, the dashboard shows it inline.
"""

from __future__ import annotations


class CostModelError(Exception):
    """Base class: bad input the user can fix, never a bug."""


class TokenizerError(CostModelError):
    """An encoding is unknown, missing from the package or fails its hash check."""


class SampleFileError(CostModelError):
    """A sample-prompt or training file cannot be read or parsed."""


class PricingError(CostModelError):
    """A pricing file is malformed or a price is missing, negative or absurd."""


class ScenarioError(CostModelError):
    """A scenario file or a scenario value is invalid."""


class TrainingError(CostModelError):
    """A training estimate was asked for with an impossible value (negative, zero epochs…)."""
