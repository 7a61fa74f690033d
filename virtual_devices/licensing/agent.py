"""The Smart Licensing Using Policy agent of one virtual switch: its life cycle (built, booted, time passing)
and the one door the commands, the renderers and the device go through.

The rules themselves live beside it, one concern per module (see ``virtual_devices/DESIGN.md``); the
agent owns the :class:`LicensingState` and hands it to them with the switch.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from virtual_devices.licensing import (
    authorization,
    boot_level,
    hardware,
    hseck9,
    link,
    persistence,
    policy,
    registration,
    reporting,
    settings,
    trust,
    usage,
)
from virtual_devices.licensing.messages import MESSAGES
from virtual_devices.licensing.state import LicensingState, Policy, Reporting, instant
from virtual_devices.licensing.switch import Switch
from virtual_devices.licensing.usage import UsageRow
from virtual_devices.licfiles import Slac


class LicensingAgent:
    def __init__(self, switch: Switch) -> None:
        self.switch = switch
        self.state = LicensingState()

    # ------------------------------------------------------------ life cycle
    def provision(self, spec: dict[str, Any]) -> None:
        """A new lab device: registered (online), reporting started, SLACs and crypto as the topology says."""
        switch, state = self.switch, self.state
        now = switch.now()
        state.base, state.addon = settings.boot_level(switch.config)
        account = switch.ctx.default_account()
        online = settings.is_online(switch)
        if online and account:
            state.account = reporting.account_from({**account, **spec}, now)
            given = account.get("policy")
            state.policy = persistence.policy_from_dict(given) if given else None
            state.policy_installed = instant(now)
            state.reporting.last_ack = instant(now)
            state.reporting.last_push = instant(now)
        if spec.get("trust", online):
            for udi in switch.udis():
                state.trust[udi] = instant(now)
        policy.reset_deadline(switch, state, now, acked=online and bool(account))
        slacs = str(spec.get("slacs", "none"))
        if slacs in ("active", "all") and switch.hsec_supported():
            scope = "local" if slacs == "active" else "all"
            authorization.request_online(switch, state, "add", scope, announce=False)
        if spec.get("crypto") and hseck9.active_authorized(switch, state):
            hseck9.add_crypto_at_build(switch)
        self.boot()

    def boot(self, *, quiet: bool = False) -> None:
        """Apply the configuration just loaded from startup: the saved boot level, and the crypto feature only
        if the (possibly new) active holds a SLAC."""
        switch, state = self.switch, self.state
        state.base, state.addon = settings.boot_level(switch.config)
        refusal = hseck9.crypto_refusal(switch, state)
        if settings.crypto_configured(switch) and refusal is not None:
            hseck9.strip_crypto(switch)
            if not quiet:
                hseck9.log_rejection(switch, refusal)
        state.crypto_seen = settings.crypto_configured(switch)
        state.hsec_in_use = state.crypto_seen
        state.last_catch_up = instant(switch.now())
        usage.refresh_reports(switch, state)
        if quiet:
            return
        switch.log("%SMART_LIC-6-AGENT_ENABLED", MESSAGES["agent_enabled"])
        switch.log(
            "%SMART_LIC-6-EXPORT_CONTROLLED",
            MESSAGES["export_allowed" if state.hsec_in_use else "export_not_allowed"],
        )
        policy.announce_deadline(switch, state, switch.now())

    def refresh(self) -> None:
        """Notice configuration changes made elsewhere (``no interface Tunnel10``); let time pass."""
        hseck9.notice_crypto_change(self.switch, self.state)
        usage.refresh_reports(self.switch, self.state)
        self.catch_up(self.switch.now())

    def catch_up(self, now: datetime) -> None:
        """Daily messages and scheduled report pushes for the time that passed since the last look."""
        switch, state = self.switch, self.state
        day = timedelta(days=1)
        moment = (state.last_catch_up or now) + day
        while moment <= now:
            if state.hsec_in_use and not hseck9.standby_authorized(switch, state):
                switch.log(
                    "%IOSXE_SMART_AGENT-6-STANDBY_NOT_AUTHORIZED",
                    MESSAGES["standby_not_authorized"],
                    at=moment,
                )
            policy.announce_deadline(switch, state, moment)
            moment += day
        state.last_catch_up = instant(moment - day)  # whole days only: the next boundary stays where it was
        reporting.push_due_reports(switch, state, now)

    def factory_reset(self) -> str:
        """``license smart factory reset``: codes, account, policy and reports gone; the boot level stays."""
        switch, state = self.switch, self.state
        state.slacs.clear()
        state.trust.clear()
        state.last_return.clear()
        state.pending = None
        state.pending_returns = []
        state.account = None
        state.policy = None
        state.policy_installed = None
        state.reporting = Reporting()
        state.reports = []
        state.purged = 0
        usage.refresh_reports(switch, state)
        policy.reset_deadline(switch, state, switch.now(), acked=False)
        return MESSAGES["factory_reset"]

    # ------------------------------------------------------------ hardware (device.py)
    def switchover_authorized(self) -> bool:
        return hseck9.switchover_authorized(self.switch, self.state)

    def trust_established(self) -> bool:
        return trust.trust_established(self.switch, self.state)

    def install_trust(self, udi: str, *, announce: bool) -> None:
        trust.install_trust(self.switch, self.state, udi, announce=announce)

    def adopt(self, other: LicensingAgent, udi: str) -> None:
        hardware.adopt(self.state, other.state, udi)

    def forget_licensing_information(self) -> None:
        hardware.forget_licensing_information(self.switch, self.state)

    # ------------------------------------------------------------ what the show commands print (render.py)
    def usage_rows(self) -> list[UsageRow]:
        return usage.usage_rows(self.switch, self.state)

    def report_summary(self) -> dict[str, int]:
        return usage.report_summary(self.state)

    def effective_policy(self) -> Policy:
        return policy.effective_policy(self.state)

    # ------------------------------------------------------------ EXEC commands (commands/licensing.py)
    def request_authorization(self, mode: str, feature: str, scope: str) -> str:
        return authorization.request_authorization(self.switch, self.state, mode, feature, scope)

    def request_text(self) -> str | None:
        return authorization.request_text(self.switch, self.state)

    def install_slac(self, slac: Slac, *, announce: bool = True) -> None:
        authorization.install_slac(self.switch, self.state, slac, announce=announce)

    def import_text(self, text: str) -> str:
        return authorization.import_text(self.switch, self.state, text)

    def return_authorization(self, scope: str, online: bool, to_file: bool = False) -> tuple[str, str | None]:
        return authorization.return_authorization(self.switch, self.state, scope, online, to_file)

    def sync(self) -> str:
        """``license smart sync``: the pending request and returns, then a usage report."""
        switch, state = self.switch, self.state
        if not settings.is_online(switch):
            return MESSAGES["transport_off"]
        if not link.reachable(switch):
            link.comm_failure(switch, state)
            return ""
        if state.pending is not None:
            authorization.request_online(
                switch, state, state.pending.mode, state.pending.scope, announce=True
            )
        authorization.send_pending_returns(switch, state)
        reporting.report_online(switch, state, switch.now())
        return ""

    def save_usage(self, selector: str, value: int | None) -> str | None:
        return reporting.save_usage(self.switch, self.state, selector, value)

    def trust_with_token(self, token: str, scope: str) -> str:
        return trust.trust_with_token(self.switch, self.state, token, scope)

    def register(self, token: str) -> str:
        return registration.register(self.switch, self.state, token)

    def deregister(self) -> str:
        return registration.deregister(self.switch, self.state)

    # ------------------------------------------------------------ configuration commands
    def configure_boot_level(self, base: str, addon_typed: str | None) -> str:
        return boot_level.configure_boot_level(self.switch, base, addon_typed)

    def configure_crypto(self, interface: str, line: str) -> str:
        if hseck9.configure_crypto(self.switch, self.state, interface, line):
            self.refresh()
        return ""

    def unconfigure_crypto(self, interface: str, prefix: str) -> str:
        self.switch.config.remove_in(interface, prefix)
        self.refresh()
        return ""

    def force_release(self) -> str:
        return hseck9.force_release(self.switch, self.state)

    # ------------------------------------------------------------ persistence (the device's state file)
    def to_dict(self) -> dict[str, Any]:
        return persistence.state_to_dict(self.state)

    def load(self, data: dict[str, Any]) -> None:
        self.state = persistence.state_from_dict(data)
