"""Pydantic's validation errors as our problems: ``path:line:column: key: message``.

The shape of each file is checked by the models of :mod:`assessment.formats`; this turns
what pydantic says into words for people, at the line and column of the offending key.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import pydantic
from pydantic import BaseModel

from .formats import ID_PATTERN, ID_RULE
from .problems import Problem, did_you_mean
from .source import Document, Location


def show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "date_type": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
}


def _fields_at(model: type[BaseModel], location: Location) -> list[str]:
    """The keys allowed in the mapping at ``location`` of ``model``'s documents."""
    current: Any = model
    for part in location:
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return []
            current = current.model_fields[part].annotation
        else:
            current = _unwrap(current)
            origin = typing.get_origin(current)
            args = typing.get_args(current)
            if origin is list and args:
                current = args[0]
            elif origin is dict and len(args) == 2:
                current = args[1]
            else:
                return []
        current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional so the model or container inside shows."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def spec_problems(
    document: Document, error: pydantic.ValidationError, model: type[BaseModel]
) -> list[Problem]:
    """Turn pydantic's errors into problems that name the file, line, column and key."""
    problems = []
    for item in error.errors():
        location: Location = tuple(item["loc"])
        kind = item["type"]
        value = item.get("input")
        ctx = item.get("ctx") or {}
        at_key = False
        if kind == "extra_forbidden":
            name = str(location[-1])
            message = "unknown key" + did_you_mean(name, _fields_at(model, location[:-1]))
            at_key = True
        elif kind == "missing":
            message = "required key is missing"
        elif kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
            message = f"{show_value(value)} is not a valid id: {ID_RULE} characters"
        elif kind == "string_too_short":
            message = "must not be empty"
        elif kind == "string_too_long":
            limit = ctx.get("max_length")
            message = f"must be at most {limit} characters long, got {show_value(value)}"
        elif kind == "too_short":
            message = "must list at least one item"
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            bound = {
                "greater_than_equal": ("at least", "ge"),
                "greater_than": ("more than", "gt"),
                "less_than_equal": ("at most", "le"),
                "less_than": ("less than", "lt"),
            }[kind]
            message = f"must be {bound[0]} {number_text(ctx[bound[1]])}, got {show_value(value)}"
        elif kind == "finite_number":
            message = f"must be a finite number, got {show_value(value)}"
        elif kind == "value_error":
            message = str(ctx.get("error", item["msg"]))
        elif kind == "literal_error":
            message = f"must be one of {ctx.get('expected')}, got {show_value(value)}"
        elif kind in _EXPECTED:
            message = f"expected {_EXPECTED[kind]}, got {show_value(value)}"
            if kind == "string_type" and isinstance(value, int | float):
                message += " (put it in quotes to make it text)"
        else:
            message = str(item["msg"])
        problems.append(document.problem(location, message, key=at_key))
    return problems


def number_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
