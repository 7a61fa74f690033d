"""Dry-run plans: the exact lines a workflow will type on one device, rendered for ``Result.diff`` or run.

Build a :class:`Plan` first, then either render it (dry run) or ``plan.run(task)``: both come from the same
steps, so what a dry run shows is what a real run types (``configure terminal`` blocks included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from nornir.core.task import Task

from nornir_catlic.transport.commands import configure, reload_and_wait, run_exec
from nornir_catlic.transport.replies import DEFAULT_CONFIRM_ANSWERS, RELOAD_ANSWERS
from nornir_catlic.transport.session import RELOAD_TIMEOUT


@dataclass(frozen=True)
class PlannedStep:
    """One step of a plan: an EXEC command (with its answers) or a block of configuration lines."""

    kind: Literal["exec", "config"]
    commands: tuple[str, ...]
    reason: str = ""
    answers: tuple[tuple[str, str], ...] = ()
    expect_disconnect: bool = False

    def typed_lines(self) -> list[str]:
        """The lines exactly as typed at the CLI."""
        if self.kind == "config":
            return ["configure terminal", *self.commands, "end"]
        return list(self.commands)


@dataclass
class Plan:
    """The commands a workflow would send to one device, in order.

    Build it first, then either render it (dry run: ``Result(diff=plan.render(), changed=bool(plan))``) or
    ``plan.run(task)``: both come from the same steps, so a dry run shows exactly what a real run types.
    """

    steps: list[PlannedStep] = field(default_factory=list)

    def exec(
        self,
        command: str,
        *,
        reason: str = "",
        confirm_answers: Mapping[str, str] | None = None,
        expect_disconnect: bool = False,
    ) -> Plan:
        answers = dict(DEFAULT_CONFIRM_ANSWERS if confirm_answers is None else confirm_answers)
        self.steps.append(PlannedStep("exec", (command,), reason, tuple(answers.items()), expect_disconnect))
        return self

    def configure(self, lines: Iterable[str], *, reason: str = "") -> Plan:
        self.steps.append(PlannedStep("config", tuple(lines), reason))
        return self

    def save(self, *, reason: str = "save the configuration") -> Plan:
        return self.exec("copy running-config startup-config", reason=reason)

    def reload(self, *, reason: str = "reload so the configuration takes effect") -> Plan:
        return self.exec(
            "reload",
            reason=reason,
            confirm_answers=RELOAD_ANSWERS,
            expect_disconnect=True,
        )

    def __bool__(self) -> bool:
        return bool(self.steps)

    def commands(self) -> list[str]:
        """Every line that would be typed, in order."""
        return [line for step in self.steps for line in step.typed_lines()]

    def render(self) -> str:
        """The plan as an IOS script: a ``!`` comment with the reason, then the lines to type."""
        out: list[str] = []
        for step in self.steps:
            if step.reason:
                out.append(f"! {step.reason}")
            out.extend(step.typed_lines())
        return "\n".join(out)

    def run(self, task: Task, *, reload_timeout: float = RELOAD_TIMEOUT) -> list[str]:
        """Execute every step on ``task.host``; returns each step's reply. ``reload`` waits for the device."""
        replies: list[str] = []
        for step in self.steps:
            if step.kind == "config":
                replies.append(configure(task, step.commands))
            elif step.commands == ("reload",) and step.expect_disconnect:
                reload_and_wait(task, timeout=reload_timeout)
                replies.append("")
            else:
                replies.append(
                    run_exec(
                        task,
                        step.commands[0],
                        confirm_answers=dict(step.answers),
                        expect_disconnect=step.expect_disconnect,
                    )
                )
        return replies
