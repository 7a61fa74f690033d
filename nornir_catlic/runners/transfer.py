"""A host's MultiResult made portable between processes, and rebuilt as the same typed Results.

A Result holds its Host (credentials, open connections): that never travels. What travels is each Result's
own attributes; the client rebuilds the Results around its own Host object. An exception that does not
survive pickling as it is (a custom ``__init__``) is rebuilt from its class, ``args`` and attributes; one
whose class or attributes cannot travel at all becomes a :class:`RemoteTaskError` with its words.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import MultiResult, Result


class RemoteTaskError(Exception):
    """An exception raised on a cluster worker whose class or state could not be sent back."""


@dataclass(frozen=True)
class PortableResults:
    """One host's MultiResult as plain data: its name and each Result's attributes but the host."""

    name: str
    results: tuple[dict[str, Any], ...]


def portable(multi: MultiResult) -> PortableResults:
    results = []
    for result in multi:
        fields = {key: value for key, value in vars(result).items() if key != "host"}
        if fields.get("exception") is not None:
            fields["exception"] = portable_exception(fields["exception"])
        results.append(fields)
    return PortableResults(str(multi.name), tuple(results))


def rebuilt(portable_results: PortableResults, host: Host) -> MultiResult:
    """The MultiResult again, its Results pointing at the client's ``host``."""
    multi = MultiResult(portable_results.name)
    for fields in portable_results.results:
        result = Result(host)
        for key, value in fields.items():
            setattr(result, key, value.exception() if isinstance(value, ExceptionParts) else value)
        multi.append(result)
    return multi


def portable_exception(error: BaseException) -> BaseException | ExceptionParts:
    """``error`` when it pickles and unpickles as it is, else its parts to rebuild it from."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # any class's pickling may fail in its own way
        pass
    parts = ExceptionParts(type(error), error.args, dict(vars(error)))
    try:
        pickle.loads(pickle.dumps(parts))
    except Exception:
        return RemoteTaskError(f"{type(error).__name__}: {error}")
    return parts


@dataclass(frozen=True)
class ExceptionParts:
    """An exception's class, ``args`` and attributes: rebuilt without calling its class's ``__init__``."""

    kind: type[BaseException]
    args: tuple[Any, ...]
    state: dict[str, Any]

    def exception(self) -> BaseException:
        error = self.kind.__new__(self.kind)
        error.args = self.args
        vars(error).update(self.state)
        return error
