"""Typed results of every parsed command (pydantic v2; ``model_dump(mode="json")`` always works).

One module a family of commands: import a model from its module (``nornir_catlic.models.license``,
``.platform``, ``.state``, ``.syslog`` ...); the package's top level re-exports the ones scripts use most.
"""
