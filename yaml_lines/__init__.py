"""YAML files checked by pydantic models, each problem reported as ``file:line: what``.

Shared by the library's CLI (inventories, runbooks) and the lab (topologies); imports neither.

::

    document = read_yaml(path)                     # YamlFileError: cannot read, not YAML, a key twice
    book = validate(Runbook, document)               # YamlValidationError: one `file:line: what` a problem
"""

from yaml_lines.document import LinedYaml, Loc, YamlFileError, not_valid_yaml, parse_yaml, read_yaml
from yaml_lines.messages import (
    Owner,
    YamlValidationError,
    known_keys,
    no_owner,
    suggestion,
    validate,
    validation_messages,
)

__all__ = [
    "LinedYaml",
    "Loc",
    "Owner",
    "YamlFileError",
    "YamlValidationError",
    "known_keys",
    "no_owner",
    "not_valid_yaml",
    "parse_yaml",
    "read_yaml",
    "suggestion",
    "validate",
    "validation_messages",
]
