"""Helpers for the December 2019 K-1 / al-Qaim escalation collection.

>>> from helpers import load
>>> tables = load()            # validated, typed DataFrames
>>> tables.events.shape[0] > 0
True
"""

from helpers.load import Tables, load
from helpers.validate import DataValidationError, Problem, validate

__all__ = ["DataValidationError", "Problem", "Tables", "load", "validate"]
