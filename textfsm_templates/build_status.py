"""Build `cisco_xe_show_license_status.textfsm`: every block state repeats every block title.

TextFSM has no shared rules, and a status output switches block (Transport, Policy, Trust Code...) at any
title, so each of the ~20 states carries the ~17 title rules. This script writes them once. Run
`python -m textfsm_templates.build_status` after editing, then `python -m textfsm_templates.compose`
(the `show license all` composite embeds this template); tests fail while either file is stale.
"""

from __future__ import annotations

from pathlib import Path

TARGET = Path(__file__).resolve().parent / "cisco_xe_show_license_status.textfsm"

DATE = r"(\w{3}\s+\d{1,2}\s+\d{1,2}:\d{2}:\d{2}\s+\d{4}(?:\s+\w+)?)"
TXT = r"(\S+(?:\s+\S+)*)"
VALUES = [
    ("SMART_LICENSING", "(ENABLED|DISABLED)"),
    ("CONVERSION_AUTOMATIC", TXT),
    ("CONVERSION_STATUS", TXT),
    ("CONVERSION_LAST_DATA_PUSH", TXT),
    ("CONVERSION_LAST_FILE_EXPORT", TXT),
    ("List EXPORT_FEATURES", TXT),
    ("UTILITY_STATUS", TXT),
    ("POLICY_STATUS", TXT),
    ("REPORTING_MODE", TXT),
    ("SMART_ACCOUNT", TXT),
    ("SMART_ACCOUNT_AS_OF", DATE),
    ("VIRTUAL_ACCOUNT", TXT),
    ("SENDING_HOSTNAME", TXT),
    ("CALLHOME_HOSTNAME_PRIVACY", TXT),
    ("SMART_LICENSING_HOSTNAME_PRIVACY", TXT),
    ("VERSION_PRIVACY", TXT),
    ("TRANSPORT_TYPE", TXT),
    ("TRANSPORT_URL", r"(\S+)"),
    ("CSLU_ADDRESS", TXT),
    ("PROXY_ADDRESS", TXT),
    ("PROXY_PORT", r"(\d+|<empty>|<none>)"),
    ("PROXY_USERNAME", TXT),
    ("PROXY_PASSWORD_SET", "(Password)"),
    ("VRF", TXT),
    ("IP_MODE", TXT),
    ("TRUST_POINT", TXT),
    ("CUSTOM_ID", TXT),
    ("REGISTRATION_STATUS", TXT),
    ("REGISTRATION_SMART_ACCOUNT", TXT),
    ("REGISTRATION_VIRTUAL_ACCOUNT", TXT),
    ("EXPORT_CONTROLLED", TXT),
    ("INITIAL_REGISTRATION_RESULT", r"(\S+)"),
    ("INITIAL_REGISTRATION_DATE", TXT),
    ("LAST_RENEWAL_RESULT", r"(\S+)"),
    ("LAST_RENEWAL_DATE", TXT),
    ("NEXT_RENEWAL_DATE", TXT),
    ("REGISTRATION_EXPIRES", TXT),
    ("AUTHORIZATION_STATUS", TXT),
    ("AUTHORIZATION_DATE", DATE),
    ("LAST_COMMUNICATION_RESULT", r"(\S+)"),
    ("LAST_COMMUNICATION_DATE", TXT),
    ("NEXT_COMMUNICATION_DATE", TXT),
    ("COMMUNICATION_DEADLINE", TXT),
    ("EVALUATION_REMAINING", TXT),
    ("REGISTRATION_FAILURE_REASON", TXT),
    ("COMMUNICATION_FAILURE_REASON", TXT),
    ("POLICY_IN_USE", TXT),
    ("POLICY_INSTALLED_ON", DATE),
    ("POLICY_NAME", TXT),
    ("ACK_REQUIRED", r"(\S+)"),
    ("ACK_SOURCE", r"([^()]+)"),
]
POLICY_GROUPS = {
    "PERPETUAL": r"Unenforced/Non-Export Perpetual Attributes",
    "SUBSCRIPTION": r"Unenforced/Non-Export Subscription Attributes",
    "ENFORCED": r"Enforced \(Perpetual/Subscription\) License Attributes",
    "EXPORT": r"Export \(Perpetual/Subscription\) License Attributes",
}
for g in POLICY_GROUPS:
    VALUES += [
        (f"{g}_FIRST_REPORT_DAYS", r"(\d+)"),
        (f"{g}_REPORT_FREQUENCY_DAYS", r"(\d+)"),
        (f"{g}_ON_CHANGE_DAYS", r"(\d+)"),
        (f"{g}_SOURCE", r"([^()]+)"),
    ]
VALUES += [
    ("LAST_ACK_RECEIVED", TXT),
    ("NEXT_ACK_DEADLINE", TXT),
    ("PUSH_INTERVAL_DAYS", r"(\d+)"),
    ("NEXT_ACK_PUSH_CHECK", TXT),
    ("NEXT_REPORT_PUSH", TXT),
    ("LAST_REPORT_PUSH", TXT),
    ("LAST_REPORT_FILE_WRITE", TXT),
    ("TRUST_CODE_TYPE", TXT),
    ("TRUST_CODE_INSTALLED", TXT),
    ("TRUST_ROLE", "(Active|Standby|Member)"),
    ("TRUST_PID", r"([^,\s]+)"),
    ("TRUST_SN", r"(\S+)"),
    ("TRUST_INSTALLED_ON", DATE),
    ("TRUST_VALID_ON", DATE),
    ("TRUST_EXPIRED_ON", DATE),
    ("RESERVATION", "(ENABLED|DISABLED)"),
    ("HA_CONFIG_OK", "(No Reservation Ha config error)"),
    ("List HA_CONFIG_ERRORS", TXT),
    ("EVALUATION_MODE", TXT),
    ("DATA_CHANNEL", TXT),
    ("REPORTS_ON_DISK", r"(\d+)"),
    ("List UNPARSED", r"(\S.*)"),
]
BLOCK_TITLES = [
    (r"^\s*Smart Licensing is ${SMART_LICENSING}\s*$$", None),
    (r"^\s*License Reservation is ${RESERVATION}\s*$$", None),
    (r"^\s*Licensing HA configuration error:\s*$$", "HaConfigError"),
    (r"^\s*Evaluation Period:\s*$$", "Evaluation"),
    (r"^\s*License Conversion:\s*$$", "Conversion"),
    (r"^\s*Export Authorization Key:\s*$$", "ExportKey"),
    (r"^\s*Utility:\s*$$", "Utility"),
    (r"^\s*Smart Licensing Using Policy:\s*$$", "UsingPolicy"),
    (r"^\s*Account Information:\s*$$", "Account"),
    (r"^\s*Data Privacy:\s*$$", "Privacy"),
    (r"^\s*Transport:\s*$$", "Transport"),
    (r"^\s*Miscellaneous:\s*$$", "Miscellaneous"),
    (r"^\s*Registration:\s*$$", "Registration"),
    (r"^\s*License Authorization:\s*$$", "Authorization"),
    (r"^\s*Policy:\s*$$", "Policy"),
    (r"^\s*Usage Reporting:\s*$$", "Reporting"),
    (r"^\s*Trust Code Installed:\s+Trust Code Type:\s+${TRUST_CODE_TYPE}\s*$$", "Trust"),
    (r"^\s*Trust Code Installed:\s*$$", "Trust"),
    (r"^\s*Trust Code Installed:\s+${TRUST_CODE_INSTALLED}\s*$$", "Start"),
    (r"^\s*Device Telemetry Report Summary:\s*$$", "Telemetry"),
]
TRANSPORT_RULES = [
    r"^\s+Type:\s+${TRANSPORT_TYPE}\s*$$",
    r"^\s+URL:\s+${TRANSPORT_URL}\s*$$",
    r"^\s+Cslu address:\s+${CSLU_ADDRESS}\s*$$",
    r"^\s+Proxy:\s*$$ -> TransportProxy",
    r"^\s+Proxy:\s+Not Configured\s*$$",
    r"^\s+VRF:\s*$$ -> TransportVrf",
    r"^\s+VRF:\s+${VRF}\s*$$",
    r"^\s+IP Mode:\s+${IP_MODE}\s*$$",
    r"^\s+Trust Point:\s+${TRUST_POINT}\s*$$",
]


def policy_state(group: str) -> str:
    """State of one policy attribute group: PERPETUAL -> PolicyPerpetual."""
    return "Policy" + "".join(word.capitalize() for word in group.split("_"))


def group_rules(g: str) -> list[str]:
    return [
        rf"^\s+First report requirement \(days\):\s+${{{g}_FIRST_REPORT_DAYS}}\s+\(${{{g}_SOURCE}}\)\s*$$",
        rf"^\s+Reporting frequency \(days\):\s+${{{g}_REPORT_FREQUENCY_DAYS}}\s+\(${{{g}_SOURCE}}\)\s*$$",
        rf"^\s+Report on change \(days\):\s+${{{g}_ON_CHANGE_DAYS}}\s+\(${{{g}_SOURCE}}\)\s*$$",
    ]


POLICY_RULES = [
    r"^\s+Policy in use:\s+Installed On\s+${POLICY_INSTALLED_ON}\s*$$",
    r"^\s+Policy in use:\s+${POLICY_IN_USE}\s*$$",
    r"^\s+Policy name:\s+${POLICY_NAME}\s*$$",
    r"^\s+Reporting ACK required:\s+${ACK_REQUIRED}\s+\(${ACK_SOURCE}\)\s*$$",
    r"^\s+Reporting ACK required:\s+${ACK_REQUIRED}\s*$$",
] + [
    rf"^\s+{h}:\s*$$ -> Policy{''.join(w.capitalize() for w in g.split('_'))}"
    for g, h in POLICY_GROUPS.items()
]
STATES = {
    "Start": [r"^Load for \S", r"^Time source is \S"],
    "Conversion": [
        r"^\s+Automatic Conversion Enabled:\s+${CONVERSION_AUTOMATIC}\s*$$",
        r"^\s+Status:\s+${CONVERSION_STATUS}\s*$$",
        r"^\s+Last Data Push:\s+${CONVERSION_LAST_DATA_PUSH}\s*$$",
        r"^\s+Last File Export:\s+${CONVERSION_LAST_FILE_EXPORT}\s*$$",
    ],
    "ExportKey": [r"^\s+Features Authorized:\s*$$", r"^\s+${EXPORT_FEATURES}\s*$$"],
    "Utility": [r"^\s+Status:\s+${UTILITY_STATUS}\s*$$"],
    "UsingPolicy": [r"^\s+Status:\s+${POLICY_STATUS}\s*$$", r"^\s+Reporting Mode:\s+${REPORTING_MODE}\s*$$"],
    "Account": [
        r"^\s+Smart Account:\s+${SMART_ACCOUNT}\s+As of\s+${SMART_ACCOUNT_AS_OF}\s*$$",
        r"^\s+Smart Account:\s+${SMART_ACCOUNT}\s*$$",
        r"^\s+Virtual Account:\s+${VIRTUAL_ACCOUNT}\s*$$",
    ],
    "Privacy": [
        r"^\s+Sending Hostname:\s+${SENDING_HOSTNAME}\s*$$",
        r"^\s+Callhome hostname privacy:\s+${CALLHOME_HOSTNAME_PRIVACY}\s*$$",
        r"^\s+Smart Licensing hostname privacy:\s+${SMART_LICENSING_HOSTNAME_PRIVACY}\s*$$",
        r"^\s+Version privacy:\s+${VERSION_PRIVACY}\s*$$",
    ],
    "Transport": TRANSPORT_RULES,
    "TransportProxy": [
        r"^\s+Not Configured\s*$$",
        r"^\s+Address:\s+${PROXY_ADDRESS}\s*$$",
        r"^\s+Port:\s+${PROXY_PORT}\s*$$",
        r"^\s+Username:\s+${PROXY_USERNAME}\s*$$",
        r"^\s+Password:\s+(<empty>|<none>)\s*$$",
        r"^\s+${PROXY_PASSWORD_SET}:\s+\S",
        *TRANSPORT_RULES,
    ],
    "TransportVrf": [r"^\s+Not Configured\s*$$", *TRANSPORT_RULES],
    "Miscellaneous": [r"^\s+Custom Id:\s+${CUSTOM_ID}\s*$$"],
    "Registration": [
        r"^\s+Status:\s+${REGISTRATION_STATUS}\s*$$",
        r"^\s+Smart Account:\s+${REGISTRATION_SMART_ACCOUNT}\s*$$",
        r"^\s+Virtual Account:\s+${REGISTRATION_VIRTUAL_ACCOUNT}\s*$$",
        r"^\s+Export-Controlled Functionality:\s+${EXPORT_CONTROLLED}\s*$$",
        r"^\s+Initial Registration:\s+${INITIAL_REGISTRATION_RESULT}"
        r"(?:\s+on\s+${INITIAL_REGISTRATION_DATE})?\s*$$",
        r"^\s+Last Renewal Attempt:\s+${LAST_RENEWAL_RESULT}(?:\s+on\s+${LAST_RENEWAL_DATE})?\s*$$",
        r"^\s+Next Renewal Attempt:\s+${NEXT_RENEWAL_DATE}\s*$$",
        r"^\s+Registration Expires:\s+${REGISTRATION_EXPIRES}\s*$$",
        r"^\s+Failure reason:\s+${REGISTRATION_FAILURE_REASON}\s*$$",
    ],
    "Authorization": [
        r"^\s+Status:\s+${AUTHORIZATION_STATUS}\s+on\s+${AUTHORIZATION_DATE}\s*$$",
        r"^\s+Status:\s+${AUTHORIZATION_STATUS}\s*$$",
        r"^\s+Last Communication Attempt:\s+${LAST_COMMUNICATION_RESULT}"
        r"(?:\s+on\s+${LAST_COMMUNICATION_DATE})?\s*$$",
        r"^\s+Next Communication Attempt:\s+${NEXT_COMMUNICATION_DATE}\s*$$",
        r"^\s+Communication Deadline:\s+${COMMUNICATION_DEADLINE}\s*$$",
        r"^\s+Evaluation Period Remaining:\s+${EVALUATION_REMAINING}\s*$$",
        r"^\s+Failure reason:\s+${COMMUNICATION_FAILURE_REASON}\s*$$",
    ],
    "Policy": POLICY_RULES,
}
for g in POLICY_GROUPS:
    STATES[policy_state(g)] = group_rules(g) + POLICY_RULES
STATES["Reporting"] = [
    r"^\s+Last ACK received:\s+${LAST_ACK_RECEIVED}\s*$$",
    r"^\s+Next ACK deadline:\s+${NEXT_ACK_DEADLINE}\s*$$",
    r"^\s+Reporting push interval:\s+${PUSH_INTERVAL_DAYS}(?:\s+days|\s+\(no reporting\))?\s*$$",
    r"^\s+Next ACK push check:\s+${NEXT_ACK_PUSH_CHECK}\s*$$",
    r"^\s+Next report push:\s+${NEXT_REPORT_PUSH}\s*$$",
    r"^\s+Last report push:\s+${LAST_REPORT_PUSH}\s*$$",
    r"^\s+Last report file write:\s+${LAST_REPORT_FILE_WRITE}\s*$$",
]
STATES["Trust"] = [
    r"^\s+(Active|Standby|Member):\s*PID: -> Continue.Record",
    r"^\s+${TRUST_ROLE}:\s*PID:${TRUST_PID},SN:${TRUST_SN}\s*$$",
    r"^\s+INSTALLED on\s+${TRUST_INSTALLED_ON}(?:\s+Valid on\s+${TRUST_VALID_ON})?\s*$$",
    r"^\s+INSTALLED on\s+${TRUST_INSTALLED_ON}\s+Expired on\s+${TRUST_EXPIRED_ON}\s*$$",
    r"^\s+Expired on\s+${TRUST_EXPIRED_ON}\s*$$",
    r"^\s+Valid on\s+${TRUST_VALID_ON}\s*$$",
    r"^\s+<none>\s*$$",
]
STATES["HaConfigError"] = [  # 16.x with a license reservation: what keeps HA from sharing it
    r"^\s+${HA_CONFIG_OK}\s*$$",
    r"^\s+${HA_CONFIG_ERRORS}\s*$$",
]
STATES["Evaluation"] = [
    r"^\s+Evaluation Mode:\s+${EVALUATION_MODE}\s*$$",
    r"^\s+Evaluation Period Remaining:\s+${EVALUATION_REMAINING}\s*$$",
]
STATES["Telemetry"] = [
    r"^=+\s*$$",
    r"^Data Channel:\s+${DATA_CHANNEL}\s*$$",
    r"^Reports on disk:\s+${REPORTS_ON_DISK}\s*$$",
]


HEADER_COMMENT = """\
# show license status, Cisco IOS-XE (Catalyst 9000), every output generation:
# 16.x Smart Licensing (Registration, License Authorization, EVAL MODE, Evaluation Period, Specific License
# Reservation: License Reservation is ENABLED, Licensing HA configuration error) and Smart Licensing Using
# Policy agents 5.x (Account Information, License Conversion, Reporting Mode) and 6.x (IP Mode, Trust
# Point, per-member trust codes with Valid on / Expired on). Also the status part of `show license all`.
# One record holds the device-wide values; each per-member trust code closes a record (TRUST_*).
# PROXY_PASSWORD_SET reads 'Password' when a proxy password is configured; its value is never captured.
# UNPARSED lists lines no rule understood. GENERATED by textfsm_templates/build_status.py: edit that.
"""


def header_action(state: str, target: str | None) -> str:
    """Action of a block title rule inside ``state``; from Trust it closes the last member's record."""
    if target is None:
        return ""
    if state == "Trust":
        return f" -> Record {target}"
    return "" if target == state else f" -> {target}"


def build() -> str:
    """The status template text."""
    lines = [HEADER_COMMENT.rstrip("\n")]
    lines += [f"Value {name} {regex}" for name, regex in VALUES]
    lines.append("")
    for state, rules in STATES.items():
        lines.append(state)
        lines += [f"  {rule}" for rule in rules]
        lines += [f"  {title}{header_action(state, target)}" for title, target in BLOCK_TITLES]
        lines += [r"  ^\s*$$", r"  ^\s*${UNPARSED}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    TARGET.write_text(build())
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
