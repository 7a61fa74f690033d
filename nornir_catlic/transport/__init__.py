"""The transport every catlic task stands on: one netmiko session per host, IOS replies, dry-run plans.

Everything that talks to a switch goes through this package, so that error detection, prompts, timeouts
and dry-run honesty live in one place. Workflows never call netmiko themselves. It uses netmiko's public API
only (``write_channel``, ``channel.read_buffer``, ``is_alive``, ``base_prompt``, its exceptions by type).

Modules
    :mod:`.options`  the netmiko connection options an inventory should carry (:func:`netmiko_extras`,
        :func:`use_recommended_options`).
    :mod:`.session`  the host's session through nornir_netmiko: opened once, privileged (``enable``),
        reused, forgotten after a drop; :func:`closing_session` for fleet runs; the timeouts.
    :mod:`.dialogue`  typing a line and reading the reply up to the prompt or a question, bounded in size,
        noticing a dropped session.
    :mod:`.replies`  what a reply means: prompts, IOS questions and their answers; error replies come from
        :mod:`nornir_catlic.parsers.error_replies`, shared with the parser.
    :mod:`.commands`  commands as Nornir sub-tasks: :func:`show`, :func:`show_text`, :func:`run_exec`,
        :func:`configure`, :func:`save_config`, :func:`reload_and_wait`, :func:`run_subtask`.
    :mod:`.plan`  :class:`Plan`: the lines a workflow will type, rendered for a dry run or run for real.
    :mod:`.mac_compare`  paramiko checks packets' MACs with ``hmac.compare_digest`` (applied on import).
"""

from nornir_catlic.transport.commands import (
    configure,
    parse_output,
    reload_and_wait,
    run_exec,
    run_subtask,
    save_config,
    send,
    show,
    show_text,
)
from nornir_catlic.transport.dialogue import MAX_COMMAND_OUTPUT_CHARS
from nornir_catlic.transport.mac_compare import use_standard_mac_compare
from nornir_catlic.transport.options import (
    CONNECTION_NAME,
    PLATFORM,
    netmiko_connection_options,
    netmiko_extras,
    use_recommended_options,
)
from nornir_catlic.transport.plan import Plan, PlannedStep
from nornir_catlic.transport.replies import DEFAULT_CONFIRM_ANSWERS, RELOAD_ANSWERS, find_error_reply
from nornir_catlic.transport.session import (
    CONFIG_TIMEOUT,
    EXEC_TIMEOUT,
    RELOAD_TIMEOUT,
    SHOW_TIMEOUT,
    closing_session,
    connection,
    forget_connection,
    wait_until_reachable,
)

use_standard_mac_compare()  # the per-packet MAC check in C: about a tenth of a show session's client CPU

__all__ = [
    "CONFIG_TIMEOUT",
    "CONNECTION_NAME",
    "DEFAULT_CONFIRM_ANSWERS",
    "EXEC_TIMEOUT",
    "MAX_COMMAND_OUTPUT_CHARS",
    "PLATFORM",
    "RELOAD_ANSWERS",
    "RELOAD_TIMEOUT",
    "SHOW_TIMEOUT",
    "Plan",
    "PlannedStep",
    "closing_session",
    "configure",
    "connection",
    "find_error_reply",
    "forget_connection",
    "netmiko_connection_options",
    "netmiko_extras",
    "parse_output",
    "reload_and_wait",
    "run_exec",
    "run_subtask",
    "save_config",
    "send",
    "show",
    "show_text",
    "use_recommended_options",
    "wait_until_reachable",
]
