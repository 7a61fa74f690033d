"""Returns, forced releases, switchovers, reporting and every failure path of the licensing agent."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtual_devices.device import Device, LabContext
from virtual_devices.ssm import SimulatedSSM

from .rig import Rig, Terminal, guide_time, squash, stack_spec, svl_spec, syslog_messages

ACTIVE = "PID:C9300X-24HX,SN:FOC2519L8R7"


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path, guide_time(2021, 12, 3, 18, 34, 3))


def test_return_needs_the_key_out_of_use_then_prints_the_code(rig: Rig) -> None:
    device = rig.device(stack_spec(slacs="active", crypto=True))
    term = Terminal(device)
    refused = term.run("license smart authorization return all offline")
    assert refused.startswith("% Error: The HSECK9 key is in use.")
    term.configure("interface Tunnel10", "no tunnel mode")
    assert squash(term.run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 0 NOT IN USE"

    printed = term.run("license smart authorization return all offline")
    lines = printed.splitlines()
    assert lines[:2] == ["Enter this return code in Cisco Smart Software Manager portal:", f"UDI: {ACTIVE}"]
    assert len(lines) == 3 and lines[2].startswith("Return code: ")
    code = lines[2].removeprefix("Return code: ")
    authorization = term.run("show license authorization")
    assert f"  Active: {ACTIVE}\n    Status: NOT INSTALLED\n    Last return code: {code}" in authorization
    assert "Authorizations:" not in authorization

    ack = rig.ssm.process_return(printed)
    assert [(p.total, p.in_use) for p in rig.ssm.pools()] == [(10, 0)]
    (device.bootflash / "return-ack.txt").write_text(ack)
    assert term.run("license smart import bootflash:return-ack.txt") == "Import Data Successful"
    assert term.run("license smart authorization return all offline") == (
        "No reservation authorization code installed in device"
    )


def test_return_to_a_file_and_online(rig: Rig) -> None:
    device = rig.device(stack_spec(slacs="all"))
    term = Terminal(device)
    assert term.run("license smart authorization return local offline bootflash:return-code.txt") == ""
    saved = (device.bootflash / "return-code.txt").read_text()
    assert f"UDI: {ACTIVE}\nReturn code: " in saved
    assert "Last return code:" in term.run("show license authorization")
    assert [(p.in_use) for p in rig.ssm.pools()] == [2]  # offline: SSM does not know yet
    rig.ssm.process_return(saved)
    assert term.run("license smart authorization return all online") == ""
    assert [(p.in_use) for p in rig.ssm.pools()] == [0]
    assert [e["kind"] for e in rig.ssm.events()].count("authorization_returned") == 2


def test_forced_release_when_the_key_stays_in_use(rig: Rig) -> None:
    term = Terminal(rig.device(stack_spec(slacs="active", crypto=True, hsec_release_required=True)))
    term.configure("interface Tunnel10", "no tunnel mode")
    assert squash(term.run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 1 IN USE"
    assert term.run("license smart authorization return local offline").startswith(
        "% Error: The HSECK9 key is in use"
    )
    outputs = term.configure("platform hsec-license-release")
    assert outputs[1] == "HSEC license is released"
    assert squash(term.run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 0 NOT IN USE"
    assert "Return code: " in term.run("license smart authorization return local offline")


def test_replace_is_refused_offline_while_the_key_is_in_use(rig: Rig) -> None:
    device = rig.device(stack_spec(slacs="all", crypto=True))
    term = Terminal(device)
    term.configure("license smart transport off")
    refusal = term.run("license smart authorization request replace hseck9 all")
    assert refusal.startswith("% Error: The HSECK9 key is in use. Disable the cryptographic feature")
    term.configure("license smart transport smart")
    assert term.run("license smart authorization request replace hseck9 all") == ""  # online: swapped at once


def test_daily_message_and_switchover_reload_when_the_standby_has_no_key(tmp_path: Path) -> None:
    rig = Rig(tmp_path, guide_time(2022, 7, 7, 10, 14, 4))
    device = rig.device(svl_spec(slacs="active", crypto=True))
    assert "tunnel mode ipsec ipv4" in device.startup.interfaces["Tunnel10"]
    rig.clock.advance(days=2)
    assert (
        syslog_messages(device, "%IOSXE_SMART_AGENT-6-STANDBY_NOT_AUTHORIZED")
        == ["Standby is in 'not authorized' state for license hseck9"] * 2
    )

    assert device.switchover() == ""
    assert syslog_messages(device, "%PLATFORM_IPSEC_HSEC-3-UNAUTHORIZED_HSEC") == [
        "Switchover happened with IPsec configured but HSEC unauthorized, reloading."
    ]
    assert syslog_messages(device, "%PMAN-5-EXITACTION") == [
        "F0/0: pvp: Process manager is exiting: reload fp action requested",
        "R0/0: pvp: Process manager is exiting: rp processes exit with reload switch code",
    ]
    # The next active elected at boot (highest priority) holds a key: the crypto feature comes back.
    assert device.active_unit().serial == "FXS221500CT"
    assert squash(Terminal(device).run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 1 IN USE"


def test_switchover_to_a_next_active_without_a_key_rejects_the_crypto_config(tmp_path: Path) -> None:
    rig = Rig(tmp_path, guide_time(2022, 7, 7, 10, 14, 4))
    device = rig.device(svl_spec(slacs="active", crypto=True))
    term = Terminal(device)
    term.run("switch 2 priority 15\r")
    term.run("switch 1 priority 1\r")
    assert device.switchover() == ""
    assert device.active_unit().serial == "FXS221500BN"
    assert syslog_messages(device, "%PLATFORM_IPSEC_HSEC-3-INVALID_HSEC")
    term = Terminal(device)
    assert "tunnel mode ipsec" not in term.run("show running-config")
    assert squash(term.run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 0 NOT IN USE"


def test_stack_switchover_with_an_authorized_standby_is_uninterrupted(rig: Rig) -> None:
    device = rig.device(stack_spec(slacs="all", crypto=True))
    rig.clock.advance(days=3)
    assert not syslog_messages(device, "%IOSXE_SMART_AGENT-6-STANDBY_NOT_AUTHORIZED")
    assert device.switchover() == ""
    assert not syslog_messages(device, "%PLATFORM_IPSEC_HSEC-3-UNAUTHORIZED_HSEC")
    assert device.active_unit().serial == "FOC2524L39P"
    assert squash(Terminal(device).run("show license summary"))[-1] == "C9K HSEC (Cat9K HSEC) 1 IN USE"
    assert Terminal(device).run("show license udi").splitlines()[0] == "UDI: PID:C9300X-48HXN,SN:FOC2524L39P"


def test_switchover_without_a_standby_is_refused(rig: Rig) -> None:
    device = rig.device({"name": "solo", "platform": "C9500X", "release": "17.8.1"})
    assert device.switchover() == "% Standby not ready for switchover"


def test_offline_usage_reporting_round_trip(rig: Rig) -> None:
    device = rig.device(stack_spec(transport="off"))
    term = Terminal(device)
    assert syslog_messages(device, "%SMART_LIC-6-REPORTING_REQUIRED") == [
        "A Usage report acknowledgment will be required in 89 days."
    ]
    status = term.run("show license status")
    assert "  Next ACK deadline: Mar 03 18:34:03 2022 UTC" in status
    assert "  Reporting push interval: 0 (no reporting)" in status
    rig.at(2021, 12, 3, 18, 36, 0)  # measurements need time to measure something
    assert term.run("license smart save usage unreported file bootflash:rum.txt") == ""
    assert (
        term.run("license smart save usage unreported file bootflash:rum2.txt")
        == "The requested item was not found"
    )
    ack = rig.ssm.process_usage_report((device.bootflash / "rum.txt").read_text())
    rig.at(2021, 12, 3, 18, 37, 21)
    (device.bootflash / "ack.txt").write_text(ack)
    assert term.run("license smart import bootflash:ack.txt") == "Import Data Successful"
    status = term.run("show license status")
    assert "  Last ACK received: Dec 03 18:37:21 2021 UTC" in status
    assert "  Next ACK deadline: Mar 03 18:37:21 2022 UTC" in status
    assert "  Policy name: Custom Policy" in status
    assert "  Smart Account: Eg-SA As of Dec 03 18:37:21 2021 UTC" in status
    assert "Total Acknowledged Received: " in term.run("show license all")
    assert term.run("license smart sync all").startswith("% Error: Transport type is 'off'")


def test_online_reporting_is_pushed_on_schedule(rig: Rig) -> None:
    device = rig.device(stack_spec())
    term = Terminal(device)
    assert "  Last report push: Dec 03 18:34:03 2021 UTC" in term.run("show license status")
    rig.clock.advance(days=31)
    status = term.run("show license status")
    assert "  Last report push: Jan 02 18:34:03 2022 UTC" in status
    assert "  Next ACK deadline: Apr 02 18:34:03 2022 UTC" in status


def test_ssm_unreachable_keeps_the_request_pending_until_sync(rig: Rig) -> None:
    device = rig.device(stack_spec())
    term = Terminal(device)
    device.faults.ssm_unreachable = True
    assert term.run("license smart authorization request add hseck9 all") == ""
    assert syslog_messages(device, "%SMART_LIC-3-COMM_FAILED") == [
        "Communications failure with the Cisco Smart Software Manager (CSSM) : "
        "Unable to resolve server hostname/domain name"
    ]
    assert "SMART AUTHORIZATION INSTALLED" not in term.run("show license authorization")
    device.faults.ssm_unreachable = False
    assert term.run("license smart sync all") == ""
    assert syslog_messages(device, "%SMART_LIC-5-COMM_RESTORED")
    assert term.run("show license authorization").count("Status: SMART AUTHORIZATION INSTALLED") == 2


def test_request_save_needs_a_request_and_imports_check_the_file(rig: Rig) -> None:
    device = rig.device(stack_spec(transport="off"))
    term = Terminal(device)
    assert term.run("license smart authorization request save bootflash:r.txt").startswith(
        "% Error: No authorization"
    )
    (device.bootflash / "junk.txt").write_text("not a license file")
    assert term.run("license smart import bootflash:junk.txt").startswith("% Error: Import Data Failed")
    assert "No such file" in term.run("license smart import bootflash:missing.txt")
    other = rig.ssm.generate_slacs([("C9300X-48HX", "FOC2516LC92")])
    (device.bootflash / "other.txt").write_text(next(iter(other.values())))
    assert "is for PID:C9300X-48HX,SN:FOC2516LC92" in term.run("license smart import bootflash:other.txt")
    mine = rig.ssm.generate_slacs([("C9300X-24HX", "FOC2519L8R7")])
    (device.bootflash / "mine.txt").write_text(next(iter(mine.values())))
    device.faults.corrupt_import = True
    assert term.run("license smart import bootflash:mine.txt").startswith("% Error: Import Data Failed")
    device.faults.corrupt_import = False
    assert term.run("license smart import bootflash:mine.txt").startswith("Import Data Successful")


def test_factory_reset_removes_licensing_information(rig: Rig) -> None:
    term = Terminal(rig.device(stack_spec(slacs="all")))
    assert term.run("license smart factory reset") == (
        '%Warning: reload required after "license smart factory reset" command'
    )
    assert "SMART AUTHORIZATION INSTALLED" not in term.run("show license authorization")
    assert "Trust Code Installed: <none>" in term.run("show license status")


def test_a_restarted_lab_keeps_slacs_codes_and_reservations(tmp_path: Path) -> None:
    rig = Rig(tmp_path, guide_time(2021, 12, 3, 18, 34, 3))
    device = rig.device(stack_spec(slacs="all"))
    before = Terminal(device).run("show license authorization")
    device.save_state()

    ssm = SimulatedSSM(tmp_path / "ssm.sqlite", clock=rig.clock.now)
    ctx = LabContext(clock=rig.clock, ssm=ssm, state_dir=tmp_path, reload_delay=0)
    again = Device.from_spec(stack_spec(slacs="all"), ctx)
    assert Terminal(again).run("show license authorization") == before
    assert [(p.total, p.in_use) for p in ssm.pools()] == [(10, 2)]


def test_a_year_of_daily_reporting_keeps_a_bounded_report_store(rig: Rig) -> None:
    device = rig.device(stack_spec())
    term = Terminal(device)
    term.configure("license smart usage interval 1")
    term.run("license smart sync all")
    rig.clock.advance(days=365)
    summary = squash(term.run("show license all"))
    total = next(line for line in summary if line.startswith("Total:"))
    numbers = [int(word.strip(",")) for word in total.replace(",", " ").split() if word.strip(",").isdigit()]
    assert numbers[0] > 365 and numbers[1] > 0  # total, purged
    assert len(device.agent.state.reports) <= 130
    assert "  Last report push: Dec 03 18:34:03 2022 UTC" in term.run("show license status")


def test_replace_local_online_returns_the_standbys_key(rig: Rig) -> None:
    device = rig.device(stack_spec(slacs="all"))
    term = Terminal(device)
    assert term.run("license smart authorization request replace hseck9 local") == ""
    authorization = term.run("show license authorization")
    assert authorization.count("Status: SMART AUTHORIZATION INSTALLED") == 1
    assert (
        "  Standby: PID:C9300X-48HXN,SN:FOC2524L39P\n    Status: NOT INSTALLED\n    Last return code: "
        in (authorization)
    )
    assert [(p.total, p.in_use) for p in rig.ssm.pools()] == [(10, 1)]


def test_replace_all_offline_goes_through_the_request_file(rig: Rig) -> None:
    device = rig.device(stack_spec(slacs="active", transport="off"))
    term = Terminal(device)
    old = term.run("show license authorization")
    assert term.run("license smart authorization request replace hseck9 all") == ""
    assert term.run("license smart authorization request save bootflash:replace.txt") == ""
    files = rig.ssm.process_slac_request((device.bootflash / "replace.txt").read_text())
    assert sorted(files) == [ACTIVE, "PID:C9300X-48HXN,SN:FOC2524L39P"]
    assert [(p.total, p.in_use) for p in rig.ssm.pools()] == [(10, 2)]  # the old key went back, two issued
    for number, text in enumerate(files.values()):
        (device.bootflash / f"slac-{number}.txt").write_text(text)
        assert term.run(f"license smart import bootflash:slac-{number}.txt").startswith(
            "Import Data Successful"
        )
    new = term.run("show license authorization")
    assert new.count("Status: SMART AUTHORIZATION INSTALLED") == 2
    assert old.split("Last Confirmation code: ")[1][:8] not in new
    again = rig.ssm.process_slac_request((device.bootflash / "replace.txt").read_text())  # uploaded twice
    assert sorted(again) == sorted(files)
    assert [(p.total, p.in_use) for p in rig.ssm.pools()] == [(10, 2)]


def test_an_ssm_without_accounts_refuses_with_its_message_code(tmp_path: Path) -> None:
    rig = Rig(tmp_path, guide_time(2021, 12, 3, 18, 34, 3))
    empty = SimulatedSSM(tmp_path / "empty.sqlite", clock=rig.clock.now)
    ctx = LabContext(clock=rig.clock, ssm=empty, state_dir=tmp_path / "empty", reload_delay=0)
    device = Device.from_spec(stack_spec(), ctx)
    term = Terminal(device)
    assert "Account Information:\n  Smart Account: <none>" in term.run("show license status")
    assert term.run("license smart authorization request add hseck9 local") == ""
    assert syslog_messages(device, "%SMART_LIC-3-AUTHORIZATION_INSTALL_FAILED") == [
        f"The install of a new licensing authorization code has failed on {ACTIVE}: ERROR_ACCOUNT_NOT_FOUND."
    ]


def test_scheduled_pushes_fail_daily_while_ssm_is_unreachable(rig: Rig) -> None:
    device = rig.device(stack_spec(transport="cslu"))
    device.faults.ssm_unreachable = True
    rig.clock.advance(days=32)  # the push due on day 30 fails, and again on day 31 and 32
    failures = syslog_messages(device, "%SMART_LIC-3-COMM_FAILED")
    assert (
        failures
        == [
            "Communications failure with the Cisco Smart License Utility (CSLU) : "
            "Unable to resolve server hostname/domain name"
        ]
        * 3
    )
    device.faults.ssm_unreachable = False
    rig.clock.advance(days=1)
    assert syslog_messages(device, "%SMART_LIC-5-COMM_RESTORED")
    assert "  Last report push: Jan 05 18:34:03 2022 UTC" in Terminal(device).run("show license status")


def test_a_usage_change_is_reported_a_few_minutes_later(rig: Rig) -> None:
    device = rig.device(stack_spec(slacs="active"))
    term = Terminal(device)
    term.configure("interface Tunnel10", "tunnel mode ipsec ipv4")  # C9K HSEC goes IN USE
    assert "  Next report push: Dec 03 18:39:03 2021 UTC" in term.run("show license status")
    rig.clock.advance(seconds=300)
    status = term.run("show license status")
    assert "  Last report push: Dec 03 18:39:03 2021 UTC" in status
    assert "  Next report push: Jan 02 18:39:03 2022 UTC" in status
