"""What can go wrong in classification, each with a message an operator can act on."""

from __future__ import annotations


class ClassifyError(Exception):
    """Base of the errors below."""


class TrainingError(ClassifyError, ValueError):
    """The labelled articles cannot make a model: too few, one category only, bad input."""


class ModelFileError(ClassifyError):
    """A model file is missing, corrupt, foreign or of a format this version cannot read."""
