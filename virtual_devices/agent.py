"""The Smart Licensing Using Policy agent of one virtual switch: every licensing rule of the guide.

Decisions the guide leaves open, and how the lab settles them:

- Boot levels. IOS offers ``addon dna-advantage`` after ``network-advantage`` and ``addon dna-essentials``
  after ``network-essentials``; anything else (``network-essentials addon dna-advantage``: not permitted) is
  ``% Invalid input`` under the add-on, which is how IOS refuses it. Network Advantage + DNA Essentials is
  permitted "only at DNA renewal": the switch cannot know about purchases, so the lab lets it through only
  for a device whose topology entry says ``dna_renewal: true``, and refuses it like any invalid add-on
  otherwise.
- ``replace`` while an HSECK9 key is IN USE. The guide forbids it, yet its own stack example replaces all keys
  online while IPsec runs. Online, SSM swaps the keys in one transaction, so the feature never loses its
  authorization: allowed. Offline (transport off, or SSM unreachable) the in-use key would be returned before
  a new SLAC exists: refused, telling to disable the feature first.
- HSECK9 IN USE: the crypto feature configured (IPsec tunnel on 9300X/9400X, WAN MACsec on 9500X/9600X) while
  the active's UDI holds a SLAC and DNA Advantage is in use. With ``hsec_release_required`` the key stays
  IN USE after the feature is unconfigured until ``platform [wanmacsec] hsec-license-release`` (the guide's
  case).
- Wording marked "unconfirmed" in :data:`MESSAGES` was not seen on a real device; it lives in one place.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from virtual_devices import licfiles
from virtual_devices.config import Config
from virtual_devices.licfiles import CorruptFileError, Slac
from virtual_devices.platforms import (
    HSEC_DESCRIPTION,
    HSEC_FEATURE,
    HSEC_LICENSE,
    HSEC_TAG,
    HSEC_TAG_NAME,
    IPSEC,
    WAN_MACSEC,
)

if TYPE_CHECKING:
    from virtual_devices.device import Device

DEFAULT_SMART_URL = "https://smartreceiver.cisco.com/licservice/license"
DEFAULT_CSLU_URL = "http://cslu-local:8182/cslu/v1/pi"
ONLINE_TRANSPORTS = ("smart", "cslu", "callhome", "automatic")
_CRYPTO_LINES = {IPSEC: "tunnel mode ipsec", WAN_MACSEC: "macsec network-link"}
KEPT_REPORTS = 120
REPORT_ON_CHANGE_DELAY = timedelta(minutes=5)

# Cisco's default policy: (first report, reporting frequency, report on change) in days.
CISCO_DEFAULT_POLICY: dict[str, Any] = {
    "name": None,
    "source": "CISCO default",
    "ack_required": True,
    "perpetual": [365, 0, 90],
    "subscription": [90, 90, 90],
    "enforced": [0, 0, 0],
    "export": [0, 0, 0],
}

MESSAGES = {
    "install_success": "A new licensing authorization code was successfully installed on {udi}",
    "install_failed": "The install of a new licensing authorization code has failed on {udi}: {code}.",
    "export_allowed": "Usage of export controlled features is allowed for feature hseck9",
    "export_not_allowed": "Usage of export controlled features is not allowed",
    "trust_success": "A new licensing trust code was successfully installed on P:{pid},S:{sn}.",
    "reporting_required": "A Usage report acknowledgment will be required in {days} days.",
    "standby_not_authorized": "Standby is in 'not authorized' state for license hseck9",
    "agent_enabled": "Smart Agent for Licensing is enabled",
    "comm_failed": "Communications failure with the {peer} : Unable to resolve server hostname/domain name",
    "comm_restored": "Communications with the {peer} restored",
    # unconfirmed wording from here on
    "authorization_removed": "A licensing authorization code has been removed from {udi}",
    "hsec_rejected": (
        "Switch {switch} R0/0: cpp_ha_top_level_server: HSEC license not present:"
        " {feature} configuration is rejected"
    ),
    "dna_required": (
        "Switch {switch} R0/0: cpp_ha_top_level_server: DNA Advantage license not in use:"
        " {feature} configuration is rejected"
    ),
    "feature_unsupported": "% Error: Feature {feature} is not supported on this platform or release",
    "replace_in_use": (
        "% Error: The HSECK9 key is in use. Disable the cryptographic feature (or release the key with"
        " '{release}') before replacing the authorization code"
    ),
    "replace_svl": (
        "% Error: 'replace' is not supported in a StackWise Virtual setup. Return the authorization"
        " code, then request it for all again"
    ),
    "return_in_use": (
        "% Error: The HSECK9 key is in use. Disable the cryptographic feature (or release the key with"
        " '{release}') before returning the authorization code"
    ),
    "nothing_to_return": "No reservation authorization code installed in device",
    "no_pending_request": (
        "% Error: No authorization request pending. Enter 'license smart authorization request' first"
    ),
    "transport_off": "% Error: Transport type is 'off'; use the offline workflow (save, then import)",
    "import_failed": "% Error: Import Data Failed: {reason}",
    "not_found": "The requested item was not found",
    "factory_reset": '%Warning: reload required after "license smart factory reset" command',
    "boot_level": "% use 'write' command to make license boot config take effect on next boot",
    "hsec_released": "HSEC license is released",
    "registration_started": (
        "Registration process is in progress. Use the 'show license status' command to check the progress"
        " and result"
    ),
    "bad_token": "% Error: Invalid ID token",
    "registered": (
        "Smart Agent for Licensing Registration with the Cisco Smart Software Manager or satellite"
        " for udi {udi}"
    ),
    "authorized": (
        "Authorization renewal with the Cisco Smart Software Manager or satellite. State=Authorized"
        " for udi {udi}"
    ),
    "deregistered": "Smart Agent for Licensing DeRegistration with the CSSM or satellite for udi {udi}",
}


def stamp(moment: datetime, zone: tuple[str, timedelta] = ("UTC", timedelta())) -> str:
    """Dates as the agent prints them: ``Dec 03 18:57:27 2021 UTC``, or in the configured time zone
    (``Jul 07 10:14:04 2022 PDT``)."""
    name, offset = zone
    local = moment.astimezone(timezone.utc) + offset
    return local.strftime("%b %d %H:%M:%S %Y ") + name


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _parse(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso else None


def _account_record(source: dict[str, Any], now: datetime) -> dict[str, str]:
    """The account the switch last heard of (an ACK, the SSM, or the topology), as of ``now``."""
    return {
        "smart_account": str(source.get("smart_account", "")),
        "virtual_account": str(source.get("virtual_account", "")),
        "as_of": _iso(now),
    }


@dataclass(frozen=True)
class UsageRow:
    license: str  # network-advantage, dna-advantage, C9K HSEC
    tag: str  # C9300-24 Network Advantage, Cat9K HSEC
    count: int
    status: str  # IN USE, NOT IN USE
    kind: str  # perpetual | subscription | export
    description: str = ""


class InvalidToken(Exception):
    """The user typed a keyword the switch does not offer here; the handler turns it into a caret error."""

    def __init__(self, at: str) -> None:
        super().__init__(at)
        self.at = at


class LicensingAgent:
    def __init__(self, device: Device) -> None:
        self.device = device
        self.base = "network-advantage"
        self.addon: str | None = "dna-advantage"
        self.trust: dict[str, str] = {}
        self.slacs: dict[str, dict[str, str]] = {}  # udi -> {code, installed, entitlement}
        self.last_return: dict[str, str] = {}
        self.pending: dict[str, Any] | None = None
        self.pending_returns: list[list[str]] = []
        self.account: dict[str, str] | None = None
        self.policy: dict[str, Any] | None = None
        self.policy_installed: str | None = None
        self.reporting: dict[str, str | None] = {}
        self.reports: list[dict[str, Any]] = []
        self.hsec_in_use = False
        self.crypto_seen = False
        self.comm_failed = False
        self.last_catch_up: str | None = None
        self.purged = 0
        self.last_report_id = 1633000000

    # ------------------------------------------------------------ configuration the agent reads
    @property
    def config(self) -> Config:
        return self.device.config

    def transport(self) -> str:
        lines = self.config.lines_starting("license smart transport")
        if lines:
            return lines[-1].split()[-1]
        return "callhome" if self.device.generation == "sl16" else "cslu"

    def online(self) -> bool:
        return self.transport() in ONLINE_TRANSPORTS

    def reachable(self) -> bool:
        return self.online() and self.device.ctx.ssm is not None and not self.device.faults.ssm_unreachable

    def url(self, kind: str) -> str:
        for line in self.config.lines_starting(f"license smart url {kind}"):
            return line.split()[-1]
        return DEFAULT_SMART_URL if kind == "smart" else DEFAULT_CSLU_URL

    def push_interval(self) -> int:
        for line in self.config.lines_starting("license smart usage interval"):
            return int(line.split()[-1])
        return 30

    def privacy(self, what: str) -> bool:
        return self.config.has("license smart privacy all") or self.config.has(
            f"license smart privacy {what}"
        )

    def proxy(self) -> tuple[str | None, str | None]:
        address = self.config.lines_starting("license smart proxy address")
        port = self.config.lines_starting("license smart proxy port")
        return (address[-1].split()[-1] if address else None, port[-1].split()[-1] if port else None)

    def vrf(self) -> str | None:
        lines = self.config.lines_starting("license smart vrf")
        return lines[-1].split()[-1] if lines else None

    @staticmethod
    def boot_level_in(config: Config) -> tuple[str, str | None]:
        lines = config.lines_starting("license boot level")
        if not lines:
            return "network-advantage", None
        words = lines[-1].split()
        return words[3], words[5] if len(words) > 5 else None

    def crypto_configured(self) -> bool:
        line = self._crypto_line()
        return line is not None and bool(self.config.interfaces_with(line))

    def _crypto_line(self) -> str | None:
        """The interface line (a prefix) that configures the platform's cryptographic feature."""
        return _CRYPTO_LINES.get(self.device.platform.crypto_feature or "")

    # ------------------------------------------------------------ life cycle
    def provision(self, spec: dict[str, Any]) -> None:
        """A new lab device: registered (online), reporting started, SLACs and crypto as the topology says."""
        now = self.device.now()
        self.base, self.addon = self.boot_level_in(self.config)
        account = self.device.ctx.default_account()
        online = self.online()
        if online and account:
            self.account = _account_record({**account, **spec}, now)
            self.policy = dict(account.get("policy") or {})
            self.policy_installed = _iso(now)
            self.reporting["last_ack"] = _iso(now)
            self.reporting["last_push"] = _iso(now)
        if spec.get("trust", online):
            for udi in self.device.udis():
                self.trust[udi] = _iso(now)
        self._reset_deadline(now, acked=online and bool(account))
        slacs = str(spec.get("slacs", "none"))
        if slacs in ("active", "all") and self.device.hsec_supported():
            self._request_online("add", "local" if slacs == "active" else "all", announce=False)
        if spec.get("crypto") and self._active_authorized():
            name = self._crypto_interface()
            line = (
                "tunnel mode ipsec ipv4"
                if self.device.platform.crypto_feature == IPSEC
                else "macsec network-link"
            )
            for config in (self.device.config, self.device.startup):
                config.set_in(name, line)
        self.boot()

    def boot(self, *, quiet: bool = False) -> None:
        """Apply the configuration just loaded from startup: the saved boot level, and the crypto feature only
        if the (possibly new) active holds a SLAC."""
        self.base, self.addon = self.boot_level_in(self.config)
        allowed = self._crypto_allowed()
        if self.crypto_configured() and allowed is not None:
            self._strip_crypto()
            if not quiet:
                self._log_rejection(allowed)
        self.crypto_seen = self.crypto_configured()
        self.hsec_in_use = self.crypto_seen
        self.last_catch_up = _iso(self.device.now())
        self._refresh_reports()
        if quiet:
            return
        self.device.log("%SMART_LIC-6-AGENT_ENABLED", MESSAGES["agent_enabled"])
        self.device.log(
            "%SMART_LIC-6-EXPORT_CONTROLLED",
            MESSAGES["export_allowed" if self.hsec_in_use else "export_not_allowed"],
        )
        self._announce_deadline(self.device.now())

    def refresh(self) -> None:
        """Notice configuration changes made elsewhere (``no interface Tunnel10``); let time pass."""
        configured = self.crypto_configured()
        if configured != self.crypto_seen:
            self.crypto_seen = configured
            # hsec_release_required: unconfiguring keeps the key IN USE until it is forcibly released.
            if configured or not self.device.settings.get("hsec_release_required"):
                self.hsec_in_use = configured
        self._refresh_reports()
        self.catch_up(self.device.now())

    def catch_up(self, now: datetime) -> None:
        """Daily messages and scheduled report pushes for the time that passed since the last look."""
        last = _parse(self.last_catch_up) or now
        day = timedelta(days=1)
        moment = last + day
        while moment <= now:
            if self.hsec_in_use and not self.standby_authorized():
                self.device.log(
                    "%IOSXE_SMART_AGENT-6-STANDBY_NOT_AUTHORIZED",
                    MESSAGES["standby_not_authorized"],
                    at=moment,
                )
            self._announce_deadline(moment)
            moment += day
        self.last_catch_up = _iso(moment - day)  # whole days only: the next boundary stays where it was
        next_push = _parse(self.reporting.get("next_push"))
        while next_push is not None and next_push <= now and self.online():
            if self.reachable():
                self._report_online(next_push)  # on schedule, at the time it was due
            else:  # the push fails; the agent tries again a day later
                self._comm_failure(at=next_push)
                self.reporting["next_push"] = _iso(next_push + day)
            following = _parse(self.reporting.get("next_push"))
            next_push = following if following is not None and following > next_push else None

    # ------------------------------------------------------------ HSECK9 state
    def _active_authorized(self) -> bool:
        return self.device.active_unit().udi in self.slacs

    def standby_authorized(self) -> bool:
        standby = self.device.standby_unit()
        return standby is None or standby.udi in self.slacs

    def switchover_authorized(self) -> bool:
        """After a switchover: may the new active keep the crypto feature?"""
        return not self.hsec_in_use or not self.crypto_configured() or self._active_authorized()

    def _crypto_allowed(self) -> str | None:
        """None when the crypto feature may be configured now, else the reason (a MESSAGES key)."""
        if not self.device.hsec_supported():
            return "unsupported"
        if not self._active_authorized():
            return "hsec_rejected"
        if self.addon != "dna-advantage":
            return "dna_required"
        return None

    def _feature_name(self) -> str:
        return "IPSec mode" if self.device.platform.crypto_feature == IPSEC else "WAN MACsec"

    def _log_rejection(self, reason: str) -> None:
        tag = "%PLATFORM_IPSEC_HSEC-3-INVALID_HSEC"
        if self.device.platform.crypto_feature == WAN_MACSEC:
            tag = "%PLATFORM_WANMACSEC_HSEC-3-INVALID_HSEC"
        key = "hsec_rejected" if reason == "unsupported" else reason
        switch = self.device.active_unit().chassis if self.device.svl else self.device.active_unit().number
        self.device.log(tag, MESSAGES[key].format(switch=switch, feature=self._feature_name()))

    def _strip_crypto(self) -> None:
        line = self._crypto_line()
        for name in self.config.interfaces_with(line) if line is not None else []:
            self.config.remove_in(name, line)

    def _crypto_interface(self) -> str:
        if self.device.platform.crypto_feature == IPSEC:
            return "Tunnel10"
        return f"HundredGigE{self.device.active_unit().chassis}/0/1"

    def configure_crypto(self, interface: str, line: str) -> str:
        """``tunnel mode ipsec ipv4`` or ``macsec network-link`` on ``interface``: only with a SLAC."""
        reason = self._crypto_allowed()
        if reason is not None:
            self._log_rejection(reason)
            return ""
        self.config.set_in(
            interface, line, replacing=line.rsplit(" ", 1)[0] if line.startswith("tunnel") else line
        )
        if not self.hsec_in_use:
            self.device.log("%SMART_LIC-6-EXPORT_CONTROLLED", MESSAGES["export_allowed"])
        self.refresh()
        return ""

    def unconfigure_crypto(self, interface: str, prefix: str) -> str:
        self.config.remove_in(interface, prefix)
        self.refresh()
        return ""

    def force_release(self) -> str:
        if self.crypto_configured():  # the feature still runs: nothing to release
            return ""
        self.hsec_in_use = False
        self._refresh_reports()
        return MESSAGES["hsec_released"]

    # ------------------------------------------------------------ usage
    def usage_rows(self) -> list[UsageRow]:
        device, platform = self.device, self.device.platform
        levels = [(self.base, "perpetual")] + ([(self.addon, "subscription")] if self.addon else [])
        rows: list[UsageRow] = []
        if device.is_stack:
            # Members count per entitlement tag (the series and port count): one pid stands for its group.
            groups: dict[str, tuple[str, int]] = {}
            for unit in device.ha_units():
                tag = platform.usage_tags(unit.pid, self.base)
                pid, count = groups.get(tag, (unit.pid, 0))
                groups[tag] = (pid, count + 1)
            for pid, count in groups.values():
                for level, kind in levels:
                    name = platform.usage_tags(pid, level)
                    rows.append(UsageRow(level, name, count, "IN USE", kind, name))
        else:
            pid = device.active_unit().pid
            supervisors = len(device.present_units())
            for level, kind in levels:
                count = supervisors if kind == "perpetual" else 1
                name = platform.usage_tags(pid, level)
                rows.append(UsageRow(level, name, count, "IN USE", kind, name))
        if self.slacs or self.hsec_in_use:
            in_use = self.hsec_in_use
            rows.append(
                UsageRow(
                    HSEC_LICENSE,
                    HSEC_TAG_NAME,
                    1 if in_use else 0,
                    "IN USE" if in_use else "NOT IN USE",
                    "export",
                    HSEC_DESCRIPTION,
                )
            )
        return rows

    def _refresh_reports(self) -> None:
        """One open (collecting) RUM report per entitlement; a changed count closes it and opens another."""
        moment = self.device.now()
        now = _iso(moment)
        current = {row.tag: row.count for row in self.usage_rows()}
        open_reports = {r["tag"]: r for r in self.reports if r["state"] == "collecting"}
        changed = False
        for tag, report in open_reports.items():
            if current.get(tag) != report["count"]:
                report["state"] = "available"
                report["end"] = now
                changed = True
        if changed and self.online():  # report on change: the agent pushes a few minutes later
            soon = moment + REPORT_ON_CHANGE_DELAY
            due = _parse(self.reporting.get("next_push"))
            if due is None or soon < due:
                self.reporting["next_push"] = _iso(soon)
        open_tags = {r["tag"] for r in self.reports if r["state"] == "collecting"}
        for tag, count in current.items():
            if tag not in open_tags:
                self.reports.append(self._new_report(tag, count, now))

    def _new_report(self, tag: str, count: int, now: str) -> dict[str, Any]:
        self._purge_reports()
        report_id = 1 + max((r["id"] for r in self.reports), default=self.last_report_id)
        self.last_report_id = report_id
        return {"id": report_id, "tag": tag, "count": count, "state": "collecting", "start": now, "end": None}

    def _purge_reports(self) -> None:
        """Acknowledged reports beyond the newest ``KEPT_REPORTS`` are dropped, as the agent purges them."""
        acked = [r for r in self.reports if r["state"] == "acked"]
        excess = len(self.reports) - KEPT_REPORTS
        if excess > 0 and acked:
            dropped = {id(r) for r in acked[:excess]}
            self.reports[:] = [r for r in self.reports if id(r) not in dropped]  # callers hold the list
            self.purged += len(dropped)

    def report_summary(self) -> dict[str, int]:
        states = [r["state"] for r in self.reports]
        return {
            "total": len(states) + self.purged,
            "purged": self.purged,
            "acked": states.count("acked"),
            "waiting": states.count("waiting"),
            "available": states.count("available"),
            "collecting": states.count("collecting"),
        }

    def _close_reports(self, now: datetime) -> None:
        """End the open measurements (those that measured for some time) and start new ones."""
        for report in [r for r in self.reports if r["state"] == "collecting"]:
            if _parse(report["start"]) == now:
                continue
            report["state"] = "available"
            report["end"] = _iso(now)
            self.reports.append(self._new_report(report["tag"], report["count"], _iso(now)))

    def _rum_payload(self, reports: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        header = {
            "udi": self.device.active_unit().udi,
            "hostname": "" if self.privacy("hostname") else self.device.hostname,
            "software_version": "" if self.privacy("version") else ".".join(map(str, self.device.release)),
            "smart_account": (self.account or {}).get("smart_account"),
            "virtual_account": (self.account or {}).get("virtual_account"),
        }
        udis = self.device.udis()
        body = [
            {
                "id": r["id"],
                "tag": r["tag"],
                "count": r["count"],
                "udis": udis,
                "start": r["start"],
                "end": r["end"],
                "measurements": [{"type": "ENTITLEMENT", "value": "COUNT", "count": r["count"]}],
            }
            for r in reports
        ]
        return header, body

    # ------------------------------------------------------------ policy and reporting deadlines
    def effective_policy(self) -> dict[str, Any]:
        return self.policy or CISCO_DEFAULT_POLICY

    def _reset_deadline(self, now: datetime, *, acked: bool) -> None:
        policy = self.effective_policy()
        attributes = policy["subscription"] if self.addon else policy["perpetual"]
        days = attributes[1] if acked else attributes[0]
        if acked and days == 0:
            self.reporting["deadline"] = None
        else:
            self.reporting["deadline"] = _iso(now + timedelta(days=days or attributes[0]))
        if self.online():
            self.reporting["next_push"] = _iso(now + timedelta(days=self.push_interval()))

    def _announce_deadline(self, now: datetime) -> None:
        """REPORTING_REQUIRED at boot and daily, while no ACK came or the deadline is within a month."""
        deadline = _parse(self.reporting.get("deadline"))
        if deadline is None:
            return
        days = (deadline - now - timedelta(seconds=1)).days
        if self.reporting.get("last_ack") and days > 30:
            return
        if days >= 0:
            self.device.log(
                "%SMART_LIC-6-REPORTING_REQUIRED", MESSAGES["reporting_required"].format(days=days), at=now
            )

    def _install_ack(self, ack: dict[str, Any], now: datetime) -> None:
        if ack.get("type") == "usage":
            ids = set(ack.get("report_ids") or [])
            for report in self.reports:
                if report["id"] in ids and report["state"] in ("waiting", "available"):
                    report["state"] = "acked"
            self.account = _account_record(ack, now)
            if ack.get("policy") and ack["policy"] != self.policy:
                self.policy = dict(ack["policy"])
                self.policy_installed = _iso(now)
            self.reporting["last_ack"] = _iso(now)
            self._reset_deadline(now, acked=True)

    # ------------------------------------------------------------ trust codes
    def trust_established(self) -> bool:
        return bool(self.trust) and self.online()

    def install_trust(self, udi: str, *, announce: bool) -> None:
        self.trust[udi] = _iso(self.device.now())
        if announce:
            pid, serial = licfiles.split_udi(udi)
            self.device.log(
                "%SMART_LIC-6-TRUST_INSTALL_SUCCESS", MESSAGES["trust_success"].format(pid=pid, sn=serial)
            )

    def trust_with_token(self, token: str, scope: str) -> str:
        """``license smart trust idtoken <token> {local|all}``: trust codes from SSM for the UDIs in scope."""
        if len(token) < 20:
            return MESSAGES["bad_token"]
        if not self.reachable():
            if self.online():
                self._comm_failure()
                return ""
            return MESSAGES["transport_off"]
        for udi in self._scope_udis(scope):
            self.install_trust(udi, announce=True)
        self._note_comm_ok()
        return ""

    def adopt(self, other: LicensingAgent, udi: str) -> None:
        """A standalone merged into this stack brings its SLAC and trust code along."""
        if udi in other.slacs:
            self.slacs[udi] = dict(other.slacs[udi])
        if udi in other.trust:
            self.trust[udi] = other.trust[udi]
        if udi in other.last_return:
            self.last_return[udi] = other.last_return[udi]

    # ------------------------------------------------------------ SLAC request
    def _scope_udis(self, scope: str) -> list[str]:
        return self.device.udis() if scope == "all" else [self.device.active_unit().udi]

    def request_authorization(self, mode: str, feature: str, scope: str) -> str:
        if feature.lower() != HSEC_FEATURE or not self.device.hsec_supported():
            return MESSAGES["feature_unsupported"].format(feature=feature)
        if mode == "replace" and self.device.svl:
            return MESSAGES["replace_svl"]
        if mode == "replace" and self.hsec_in_use and not self.reachable():
            return MESSAGES["replace_in_use"].format(release=self.device.platform.release_command)
        self.pending = self._build_request(mode, scope)
        if self.reachable():
            self._request_online(mode, scope, announce=True)
        elif self.online():
            self._comm_failure()
        else:  # offline: keys of UDIs left out of the new SLAC go back with the request file
            for udi in self.pending["returns"]:
                self._remove_slac(udi, self.pending["remove"][udi], announce=True)
        return ""

    def _build_request(self, mode: str, scope: str) -> dict[str, Any]:
        udis = self._scope_udis(scope)
        remove = {}
        returns = []
        if mode == "replace":  # every key of the existing SLACs goes back
            for udi, slac in self.slacs.items():
                remove[udi] = licfiles.return_code(slac["code"], udi)
                if udi not in udis:
                    returns.append(udi)
        return {
            "mode": mode,
            "scope": scope,
            "udis": udis,
            "remove": remove,
            "returns": returns,
            "created": _iso(self.device.now()),
            "nonce": secrets.token_hex(8),
        }

    def _request_online(self, mode: str, scope: str, *, announce: bool) -> None:
        from virtual_devices.ssm import AuthorizationEntry

        request = self.pending or self._build_request(mode, scope)
        entries = [
            AuthorizationEntry(udi, mode="return", remove_code=request["remove"][udi])
            for udi in request["returns"]
        ]
        entries += [
            AuthorizationEntry(udi, mode=mode, remove_code=request["remove"].get(udi))
            for udi in request["udis"]
        ]
        account = self.account or self.device.ctx.default_account()
        try:
            outcome = self.device.ctx.ssm.authorize(
                entries,
                smart_account=account.get("smart_account"),
                virtual_account=account.get("virtual_account"),
                hostname=self.device.hostname,
                atomic=False,
            )
        except LookupError as error:  # SSM refused the whole request (no such account)
            outcome = {udi: error for udi in request["udis"]}
            request = {**request, "returns": []}
        self._note_comm_ok()
        for udi in request["returns"]:
            self._remove_slac(udi, request["remove"][udi], announce=announce)
        for udi in list(request["udis"]):  # installing shrinks the pending list
            result = outcome.get(udi)
            if isinstance(result, Slac):
                self.install_slac(result, announce=announce)
            elif result is not None:
                if udi in request["remove"]:  # its old key went back with the request
                    self._remove_slac(udi, request["remove"][udi], announce=False)
                self.device.log(
                    "%SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED",
                    MESSAGES["install_failed"].format(udi=udi, code=getattr(result, "message_code", result)),
                )
        self.pending = None

    def request_text(self) -> str | None:
        """The SLAC request file for the pending request (``license smart authorization request save``)."""
        if self.pending is None:
            return None
        request = self.pending
        entries = []
        for udi in request["returns"]:
            entries.append(self._request_entry(udi, "return", 0, request["remove"][udi]))
        for udi in request["udis"]:
            entries.append(self._request_entry(udi, request["mode"], 1, request["remove"].get(udi, "")))
        active = self.device.active_unit()
        system_info = {
            "timestamp": int(self.device.now().timestamp()),
            "nonce": request["nonce"],
            "udi": {"pid": active.pid, "sn": active.serial},
            "hostname": self.device.hostname,
            "devices": [{"udi": u.udi, "role": u.role} for u in self.device.ha_units()],
        }
        return licfiles.request_file(system_info, entries)

    def _request_entry(self, udi: str, mode: str, count: int, remove_code: str) -> dict[str, Any]:
        return {
            "udi": udi,
            "mode": mode,
            "keys": [{"entitlement": HSEC_TAG, "count": count}],
            "confirm_code": self._confirmation(udi),
            "remove_code": remove_code,
        }

    def _confirmation(self, udi: str) -> str:
        slac = self.slacs.get(udi)
        return licfiles.confirmation_code(slac["code"]) if slac else ""

    def install_slac(self, slac: Slac, *, announce: bool = True) -> None:
        self.slacs[slac.udi] = {
            "code": slac.authorization_code,
            "installed": _iso(self.device.now()),
            "entitlement": slac.entitlement,
        }
        self.last_return.pop(slac.udi, None)
        if self.pending is not None and slac.udi in self.pending["udis"]:
            self.pending["udis"].remove(slac.udi)
            if not self.pending["udis"]:
                self.pending = None
        if announce:
            self.device.log(
                "%SMART_LIC-6-AUTHORIZATION_INSTALL_SUCCESS", MESSAGES["install_success"].format(udi=slac.udi)
            )
        self._refresh_reports()

    def _remove_slac(self, udi: str, code: str, *, announce: bool) -> None:
        if self.slacs.pop(udi, None) is not None:
            self.last_return[udi] = code
            if announce:
                self.device.log(
                    "%SMART_LIC-6-AUTHORIZATION_REMOVED", MESSAGES["authorization_removed"].format(udi=udi)
                )

    # ------------------------------------------------------------ import
    def import_text(self, text: str) -> str:
        """``license smart import``: a SLAC file (one UDI) or an ACK file, as read from the file system."""
        if self.device.faults.corrupt_import:
            text = text[: len(text) // 2]
        try:
            kind, parts = licfiles.read_envelope(text)
            if kind == "smartLicenseAuthorization":
                slac = licfiles.parse_slac(parts)
                if slac.udi not in self.device.udis():
                    return MESSAGES["import_failed"].format(
                        reason=f"the authorization code is for {slac.udi}"
                    )
                self.install_slac(slac)
                return (
                    "Import Data Successful\n"
                    f"Last Confirmation code UDI: {slac.udi}\n"
                    f"Confirmation code: {slac.confirmation_code}"
                )
            if kind == "smartLicenseAck":
                self._install_ack(dict(parts.get("ack") or {}), self.device.now())
                return "Import Data Successful"
        except CorruptFileError as error:
            return MESSAGES["import_failed"].format(reason=str(error))
        return MESSAGES["import_failed"].format(reason="not a file the switch can import")

    # ------------------------------------------------------------ return
    def return_authorization(self, scope: str, online: bool, to_file: bool = False) -> tuple[str, str | None]:
        """(output, return file text); the file text only for ``offline <path>``."""
        in_scope = self._scope_udis(scope)
        udis = [udi for udi in self.slacs if udi in in_scope]
        if not udis:
            return MESSAGES["nothing_to_return"], None
        if self.hsec_in_use:
            return MESSAGES["return_in_use"].format(release=self.device.platform.release_command), None
        entries = [(udi, licfiles.return_code(self.slacs[udi]["code"], udi)) for udi in udis]
        text = licfiles.return_text(entries)
        for udi, code in entries:
            self._remove_slac(udi, code, announce=True)
        self._refresh_reports()
        if not online:
            return ("", text) if to_file else (text.rstrip("\n"), None)
        if self.reachable():
            for udi, code in entries:
                self.device.ctx.ssm.return_authorization(udi, code)
            self._note_comm_ok()
            return "", None
        self.pending_returns.extend([list(entry) for entry in entries])
        if self.online():
            self._comm_failure()
            return "", None
        return text.rstrip("\n"), None  # transport off: the code must reach SSM by hand

    # ------------------------------------------------------------ sync and usage reporting
    def sync(self) -> str:
        if not self.online():
            return MESSAGES["transport_off"]
        if not self.reachable():
            self._comm_failure()
            return ""
        if self.pending is not None:
            self._request_online(self.pending["mode"], self.pending["scope"], announce=True)
        for udi, code in self.pending_returns:
            self.device.ctx.ssm.return_authorization(udi, code)
        self.pending_returns = []
        self._report_online(self.device.now())
        return ""

    def _report_online(self, now: datetime) -> None:
        self._close_reports(now)
        unsent = [r for r in self.reports if r["state"] in ("available", "waiting")]
        header, body = self._rum_payload(unsent)
        for report in unsent:
            report["state"] = "waiting"
        self.reporting["last_push"] = _iso(now)
        try:
            ack = self.device.ctx.ssm.report_usage(header, body)
        except LookupError:  # no account to report to: the reports wait for an ACK that does not come
            self.reporting["next_push"] = _iso(now + timedelta(days=self.push_interval()))
            return
        self._note_comm_ok()
        self._install_ack(ack, now)

    def save_usage(self, selector: str, value: int | None) -> str | None:
        """The RUM file for ``license smart save usage {all|unreported|day N|rum-id N}``; None: nothing."""
        now = self.device.now()
        self._close_reports(now)
        if selector == "all":
            chosen = [r for r in self.reports if r["state"] != "collecting"]
        elif selector == "unreported":
            chosen = [r for r in self.reports if r["state"] == "available"]
        elif selector == "day":
            since = now - timedelta(days=value or 0)
            chosen = [
                r for r in self.reports if r["state"] != "collecting" and (_parse(r["start"]) or now) >= since
            ]
        else:
            chosen = [r for r in self.reports if r["id"] == value]
        if not chosen:
            return None
        header, body = self._rum_payload(chosen)
        for report in chosen:
            if report["state"] == "available":
                report["state"] = "waiting"
        self.reporting["last_file_write"] = _iso(now)
        return licfiles.rum_file(header, body)

    def _comm_failure(self, at: datetime | None = None) -> None:
        self.comm_failed = True
        self.device.log("%SMART_LIC-3-COMM_FAILED", MESSAGES["comm_failed"].format(peer=self._peer()), at=at)

    def _note_comm_ok(self) -> None:
        if self.comm_failed:
            self.comm_failed = False
            self.device.log("%SMART_LIC-5-COMM_RESTORED", MESSAGES["comm_restored"].format(peer=self._peer()))

    def _peer(self) -> str:
        if self.transport() == "smart":
            return "Cisco Smart Software Manager (CSSM)"
        return "Cisco Smart License Utility (CSLU)"

    # ------------------------------------------------------------ configuration commands
    def allowed_addons(self, base: str) -> list[str]:
        if base == "network-essentials":
            return ["dna-essentials"]
        allowed = ["dna-advantage"]
        if self.device.settings.get("dna_renewal"):
            allowed.append("dna-essentials")
        return allowed

    def configure_boot_level(self, base: str, addon_typed: str | None) -> str:
        addon = None
        if addon_typed is not None:
            matches = [a for a in self.allowed_addons(base) if a.startswith(addon_typed.lower())]
            if len(matches) != 1:
                raise InvalidToken(addon_typed)
            addon = matches[0]
        line = f"license boot level {base}" + (f" addon {addon}" if addon else "")
        self.config.set(line, replacing="license boot level")
        return MESSAGES["boot_level"]

    # ------------------------------------------------------------ 16.x registration (sl16 generation)
    def register(self, token: str) -> str:
        """``license smart register idtoken``: registers with the SSM's account (any well-formed token)."""
        if len(token) < 20:
            return MESSAGES["bad_token"]
        if not self.reachable():
            self._comm_failure()
            return MESSAGES["registration_started"]
        account = self.device.ctx.default_account()
        if not account:
            return MESSAGES["registration_started"]
        now = self.device.now()
        self.account = _account_record(account, now)
        self.policy_installed = _iso(now)
        for udi in self.device.udis():
            self.trust[udi] = _iso(now)
        self._report_online(now)
        udi = self.device.active_unit().udi
        self.device.log("%SMART_LIC-5-AGENT_REG_SUCCESS", MESSAGES["registered"].format(udi=udi))
        self.device.log("%SMART_LIC-6-AUTH_RENEW_SUCCESS", MESSAGES["authorized"].format(udi=udi))
        return MESSAGES["registration_started"]

    def deregister(self) -> str:
        self.account = None
        self.trust.clear()
        udi = self.device.active_unit().udi
        self.device.log("%SMART_LIC-5-AGENT_DEREG_SUCCESS", MESSAGES["deregistered"].format(udi=udi))
        return ""

    def forget_licensing_information(self) -> None:
        """A new supervisor in a single-supervisor chassis: SLACs and trust codes are gone."""
        self.slacs.clear()
        self.trust.clear()
        self.pending = None
        self._refresh_reports()

    def factory_reset(self) -> str:
        self.slacs.clear()
        self.trust.clear()
        self.last_return.clear()
        self.pending = None
        self.pending_returns = []
        self.account = None
        self.policy = None
        self.policy_installed = None
        self.reporting = {}
        self.reports = []
        self.purged = 0
        self._refresh_reports()
        self._reset_deadline(self.device.now(), acked=False)
        return MESSAGES["factory_reset"]

    # ------------------------------------------------------------ persistence
    _FIELDS = (
        "base",
        "addon",
        "trust",
        "slacs",
        "last_return",
        "pending",
        "pending_returns",
        "account",
        "policy",
        "policy_installed",
        "reporting",
        "reports",
        "hsec_in_use",
        "comm_failed",
        "last_catch_up",
        "purged",
        "last_report_id",
    )

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._FIELDS}

    def load(self, data: dict[str, Any]) -> None:
        for name in self._FIELDS:
            if name in data:
                setattr(self, name, data[name])
