"""The licensing guide's rules as pure functions over typed models: no I/O, no device access, no parsing.

Every rule cites the section of "Configuring Licenses on Cisco Catalyst 9000 Series Switches" (the guide)
it encodes. Findings are a code (:class:`FindingCode`) and the catalog's text for it
(:mod:`nornir_catlic.rules.catalog`); checks are grouped by the guide's sections, one module each.
This module re-exports the rules' public names; the vocabulary they speak is imported from
:mod:`nornir_catlic.domain`.
"""

from nornir_catlic.rules.audit import audit, audit_findings, check_hseck9
from nornir_catlic.rules.boot_levels import check_boot_level
from nornir_catlic.rules.catalog import finding
from nornir_catlic.rules.codes import FindingCode
from nornir_catlic.rules.commands import (
    SlacAction,
    SlacScope,
    boot_level_command,
    forced_release_command,
    license_import_command,
    license_sync_command,
    slac_request_command,
    slac_request_save_command,
    slac_return_command,
)
from nornir_catlic.rules.crypto import crypto_log_findings
from nornir_catlic.rules.findings import Finding, Refusal, Severity, blocking_findings, worst_severity
from nornir_catlic.rules.installation import (
    SlacMethod,
    SlacPlan,
    SlacStep,
    SlacStepKind,
    plan_slac_request,
    remedy_for_ssm_failure,
    request_refusal,
    slac_method,
    transport_refusal,
)
from nornir_catlic.rules.keys import KeyPlan, key_plan_for, keys_required, unsupported_setup_reason
from nornir_catlic.rules.licensing_health import license_health_findings, unparsed_output_findings
from nornir_catlic.rules.platform import check_platform, hseck9_not_applicable
from nornir_catlic.rules.prerequisites import check_dna_advantage, check_keys, check_order, check_setup
from nornir_catlic.rules.reporting import check_reporting, deadline_findings, online_report_refusal
from nornir_catlic.rules.returns import check_return_ready, release_refusal, unacknowledged_return_findings
from nornir_catlic.rules.stacking import (
    check_slac_coverage,
    check_stack_addition,
    stack_addition_not_applicable,
    standalone_first_refusal,
)

__all__ = [
    "Finding",
    "FindingCode",
    "KeyPlan",
    "Refusal",
    "Severity",
    "SlacAction",
    "SlacMethod",
    "SlacPlan",
    "SlacScope",
    "SlacStep",
    "SlacStepKind",
    "audit",
    "audit_findings",
    "blocking_findings",
    "boot_level_command",
    "check_boot_level",
    "check_dna_advantage",
    "check_hseck9",
    "check_keys",
    "check_order",
    "check_platform",
    "check_reporting",
    "check_return_ready",
    "check_setup",
    "check_slac_coverage",
    "check_stack_addition",
    "crypto_log_findings",
    "deadline_findings",
    "finding",
    "forced_release_command",
    "hseck9_not_applicable",
    "key_plan_for",
    "keys_required",
    "license_health_findings",
    "license_import_command",
    "license_sync_command",
    "online_report_refusal",
    "plan_slac_request",
    "release_refusal",
    "remedy_for_ssm_failure",
    "request_refusal",
    "slac_method",
    "slac_request_command",
    "slac_request_save_command",
    "slac_return_command",
    "stack_addition_not_applicable",
    "standalone_first_refusal",
    "transport_refusal",
    "unacknowledged_return_findings",
    "unparsed_output_findings",
    "unsupported_setup_reason",
    "worst_severity",
]
