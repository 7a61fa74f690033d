"""Guide outputs cut mid-line, as a stored capture cut short would be: the parse of each cut, judged
against the parse of the whole output. Run as a script to print the figures."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from parsing_cases import GUIDE_DIR, guide_cases  # noqa: E402

from nornir_catlic.errors import ParseError  # noqa: E402
from nornir_catlic.parsing import parse  # noqa: E402

CUT_STEP = 5
"""Cut every fifth character: about 3,000 cuts of the guide's outputs."""


@dataclass
class Cut:
    command: str
    capture: Path
    at: int
    accepted: bool
    truncated: bool
    wrong: list[str]
    """Values the cut gave that the whole output does not: ``path: cut value != whole value``."""


def flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from flatten(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from flatten(item, f"{path}[{index}]")
    else:
        yield path, value


def values_of(model: Any) -> dict[str, Any]:
    dumped = model.model_dump(mode="json", exclude={"command", "unparsed_lines", "truncated"})
    return dict(flatten(dumped))


def cuts(step: int = CUT_STEP) -> Iterator[Cut]:
    for command, raw in guide_cases(GUIDE_DIR):
        text = raw.read_text()
        whole = values_of(parse(command, text))
        for at in range(step, len(text), step):
            if text[at - 1] == "\n":
                continue  # cut at a line end: a shorter whole output, not a cut line
            cut = text[:at]
            try:
                result = parse(command, cut, strict=True)
            except ParseError:
                yield Cut(command, raw, at, False, False, [])
                continue
            wrong = [
                f"{path}: {value!r} != {whole.get(path)!r}"
                for path, value in values_of(result).items()
                if value not in (None, False, [], {}) and whole.get(path) != value
            ]
            yield Cut(command, raw, at, True, result.truncated, wrong)


def main() -> None:
    results = list(cuts())
    accepted = [c for c in results if c.accepted]
    wrong_whole = [c for c in accepted if c.wrong and not c.truncated]
    marked = sum(c.truncated for c in accepted)
    print(f"{len(results)} cuts; strict accepted {len(accepted)}, {marked} marked truncated")
    print(f"accepted with a wrong value and truncated=False: {len(wrong_whole)}")
    for c in wrong_whole[:60]:
        print(f"  {c.capture.parent.name}/{c.capture.stem}@{c.at}: {c.wrong[:2]}")


if __name__ == "__main__":
    main()
