"""``changes`` in the guide's words: what a person reading two audits of a switch would say changed."""

from __future__ import annotations

import datetime as dt

from history.guide_states import ACTIVE, MORNING, NEW_MEMBER, STANDBY, audited, guide_stack, without_member
from nornir_catlic.history import ChangeKind, HostSnapshot, changes, fleet_changes
from nornir_catlic.models.license import UsageStatus
from nornir_catlic.models.state import BootLevelState

NEXT_DAY = MORNING + dt.timedelta(days=1)


def _kinds(found: list) -> list[tuple[ChangeKind, str]]:  # type: ignore[type-arg]
    return [(change.kind, change.subject) for change in found]


def test_the_same_switch_seen_twice_changed_in_nothing() -> None:
    assert changes(audited(guide_stack()), audited(guide_stack(), NEXT_DAY)) == []


def test_a_slac_returned_names_each_udi_and_the_return_code_the_switch_printed() -> None:
    before = HostSnapshot.of_state(guide_stack(), MORNING)
    after = HostSnapshot.of_state(guide_stack(authorization_from="returned"), NEXT_DAY)

    found = changes(before, after)

    assert _kinds(found) == [(ChangeKind.SLAC_RETURNED, ACTIVE), (ChangeKind.SLAC_RETURNED, STANDBY)]
    active = found[0]
    assert active.before == "72ad37d5"  # the confirmation code of the SLAC that went back
    assert active.after and active.after.startswith("Cr9JHx-L1x5Rj")
    assert "return code Cr9JHx" in active.text


def test_a_slac_installed_on_a_member_names_its_confirmation_code() -> None:
    returned = guide_stack(authorization_from="returned")
    found = changes(HostSnapshot.of_state(returned, MORNING), HostSnapshot.of_state(guide_stack(), NEXT_DAY))

    assert _kinds(found) == [(ChangeKind.SLAC_INSTALLED, ACTIVE), (ChangeKind.SLAC_INSTALLED, STANDBY)]
    assert found[0].after == "72ad37d5" and "confirmation code 72ad37d5" in found[0].text


def test_a_member_joined_without_a_slac_and_the_audit_finds_it_unauthorized() -> None:
    """Guide: "Adding a Member to a Stack Where HSECK9 Keys are in Use": the new member has no SLAC."""
    stack = guide_stack()
    before = audited(without_member(stack, "FOC2516LC92"))

    found = changes(before, audited(stack, NEXT_DAY))

    assert _kinds(found) == [
        (ChangeKind.MEMBER_JOINED, NEW_MEMBER),
        (ChangeKind.FINDING_NEW, f"MEMBER_WITHOUT_SLAC {NEW_MEMBER}"),
    ]
    assert found[0].text == f"switch 3 {NEW_MEMBER} (member) joined, without a SLAC"
    assert found[1].after == "warning"


def test_a_member_gone_from_the_stack() -> None:
    stack = guide_stack()
    found = changes(
        HostSnapshot.of_state(stack, MORNING),
        HostSnapshot.of_state(without_member(stack, "FOC2516LC92"), NEXT_DAY),
    )

    assert _kinds(found) == [(ChangeKind.MEMBER_GONE, NEW_MEMBER)]


def test_dna_advantage_dropped_after_the_next_reload_then_now() -> None:
    stack = guide_stack()
    saved = stack.model_copy(
        update={
            "boot_level": BootLevelState(current=stack.boot_level.current, next_reboot=["network-advantage"])
        }
    )
    reloaded = stack.model_copy(
        update={
            "boot_level": BootLevelState(current=["network-advantage"], next_reboot=["network-advantage"])
        }
    )

    first = changes(HostSnapshot.of_state(stack, MORNING), HostSnapshot.of_state(saved, NEXT_DAY))
    second = changes(HostSnapshot.of_state(saved, MORNING), HostSnapshot.of_state(reloaded, NEXT_DAY))

    assert [(c.kind, c.before, c.after) for c in first] == [
        (ChangeKind.BOOT_LEVEL_AFTER_RELOAD, "network-advantage dna-advantage", "network-advantage")
    ]
    assert [c.kind for c in second] == [ChangeKind.BOOT_LEVEL]


def test_an_ack_received_moves_the_deadline_and_the_next_push() -> None:
    stack = guide_stack()
    reporting = stack.reporting
    assert reporting is not None and isinstance(reporting.next_ack_deadline, dt.datetime)
    later = dt.timedelta(days=30)
    acked = stack.model_copy(
        update={
            "reporting": reporting.model_copy(
                update={
                    "last_ack_received": NEXT_DAY,
                    "next_ack_deadline": reporting.next_ack_deadline + later,
                }
            )
        }
    )

    found = changes(HostSnapshot.of_state(stack, MORNING), HostSnapshot.of_state(acked, NEXT_DAY))

    assert [c.kind for c in found] == [ChangeKind.ACK_RECEIVED, ChangeKind.ACK_DEADLINE_MOVED]
    assert found[0].after == "2021-12-05 08:00:00 UTC"


def test_licenses_in_use_appeared_gone_and_counted() -> None:
    stack = guide_stack()
    in_use = [entry for entry in stack.usage if entry.status is UsageStatus.IN_USE]
    assert len(in_use) >= 2
    first, second = in_use[0], in_use[1]
    varied = [
        first.model_copy(update={"count": (first.count or 0) + 1}),
        second.model_copy(update={"status": UsageStatus.NOT_IN_USE}),
        *[entry for entry in stack.usage if entry not in (first, second)],
    ]

    found = changes(
        HostSnapshot.of_state(stack, MORNING),
        HostSnapshot.of_state(stack.model_copy(update={"usage": varied}), NEXT_DAY),
    )

    assert [c.kind for c in found] == [ChangeKind.LICENSE_COUNT, ChangeKind.LICENSE_NOT_IN_USE]
    back = changes(
        HostSnapshot.of_state(stack.model_copy(update={"usage": varied}), MORNING),
        HostSnapshot.of_state(stack, NEXT_DAY),
    )
    assert ChangeKind.LICENSE_IN_USE in [c.kind for c in back]


def test_findings_are_compared_by_code_and_subject_only_between_two_audits() -> None:
    stack = guide_stack()
    on_time = audited(stack)
    late = audited(stack, dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))  # past every deadline

    found = changes(on_time, late)
    state_run = changes(HostSnapshot.of_state(stack, MORNING), late)

    assert ChangeKind.FINDING_NEW in [c.kind for c in found]
    assert all(c.kind in (ChangeKind.FINDING_NEW, ChangeKind.FINDING_RESOLVED) for c in found)
    assert state_run == []  # a state run knows no findings: nothing to compare


def test_reachability_lost_and_regained_and_hosts_appearing_or_gone() -> None:
    read = HostSnapshot.of_state(guide_stack(), MORNING)
    unread = HostSnapshot.unreachable("c9300x-stack", NEXT_DAY, "TCP connection to device failed")

    assert _kinds(changes(read, unread)) == [(ChangeKind.REACHABILITY_LOST, "")]
    assert changes(read, unread)[0].after == "TCP connection to device failed"
    assert _kinds(changes(unread, read)) == [(ChangeKind.REACHABILITY_REGAINED, "")]
    assert _kinds(changes(None, read)) == [(ChangeKind.HOST_APPEARED, "")]
    assert _kinds(changes(read, None)) == [(ChangeKind.HOST_GONE, "")]
    assert changes(None, None) == []


def test_fleet_changes_lists_only_the_hosts_that_changed() -> None:
    one, two = guide_stack("sw-1"), guide_stack("sw-2")
    before = {"sw-1": HostSnapshot.of_state(one, MORNING), "sw-2": HostSnapshot.of_state(two, MORNING)}
    after = {
        "sw-1": HostSnapshot.of_state(one, NEXT_DAY),
        "sw-2": HostSnapshot.of_state(guide_stack("sw-2", authorization_from="returned"), NEXT_DAY),
        "sw-3": HostSnapshot.of_state(guide_stack("sw-3"), NEXT_DAY),
    }

    found = fleet_changes(before, after)

    assert list(found) == ["sw-2", "sw-3"]
    assert [c.kind for c in found["sw-3"]] == [ChangeKind.HOST_APPEARED]
