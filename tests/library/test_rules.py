"""The guide's rules, table by table, as ``nornir_catlic.rules`` encodes them.

Each case names the statement of "Configuring Licenses on Cisco Catalyst 9000 Series Switches" it checks.
"""

from __future__ import annotations

import datetime as dt

import pytest

from nornir_catlic.domain import (
    AddOn,
    BaseLicense,
    BootLevel,
    ConnectionMode,
    CryptoFeature,
    DeviceFacts,
    MemberFacts,
    Permission,
    ProductFamily,
    Redundancy,
    Release,
    Role,
    combination_permission,
    compare_releases,
    format_udi,
    hseck9_support,
    infer_redundancy,
    is_combination_permitted,
    product_family,
    split_udi,
)
from nornir_catlic.errors import PrerequisiteError
from nornir_catlic.models.license import UsageStatus
from nornir_catlic.models.state import HsecState, LicenseState
from nornir_catlic.rules import (
    Severity,
    SlacAction,
    SlacMethod,
    SlacScope,
    SlacStepKind,
    audit,
    blocking_findings,
    boot_level_command,
    check_dna_advantage,
    check_hseck9,
    check_keys,
    check_order,
    check_platform,
    check_reporting,
    check_return_ready,
    check_setup,
    check_slac_coverage,
    check_stack_addition,
    forced_release_command,
    hseck9_not_applicable,
    keys_required,
    plan_slac_request,
    remedy_for_ssm_failure,
    slac_method,
    slac_request_command,
    slac_return_command,
    worst_severity,
)
from nornir_catlic.rules.installation import SlacPlan, SlacStep, request_refusal, transport_refusal
from nornir_catlic.rules.reporting import online_report_refusal
from nornir_catlic.rules.returns import release_refusal
from nornir_catlic.rules.stacking import stack_addition_not_applicable, standalone_first_refusal

NA_DA = BootLevel(base=BaseLicense.NETWORK_ADVANTAGE, addon=AddOn.DNA_ADVANTAGE)
NA = BootLevel(base=BaseLicense.NETWORK_ADVANTAGE)


def member(role: Role, pid: str, serial: str, slac: bool = False, code: str | None = None) -> MemberFacts:
    return MemberFacts(role=role, pid=pid, serial=serial, slac_installed=slac, confirmation_code=code)


# The guide's own set-ups.
ACTIVE_9300X = member(Role.ACTIVE, "C9300X-24HX", "FOC2519L8R7")
STANDBY_9300X = member(Role.STANDBY, "C9300X-48HXN", "FOC2524L39P")
MEMBER_9300X = member(Role.MEMBER, "C9300X-48HX", "FOC2516LC92")
SVL_ACTIVE = member(Role.ACTIVE, "C9407R", "FXS221500CT")
SVL_STANDBY = member(Role.STANDBY, "C9407R", "FXS221500BN")
DUAL_SUP_ACTIVE = member(Role.ACTIVE, "C9606R", "FXS241201WP")
DUAL_SUP_STANDBY = member(Role.STANDBY, "C9606R", "FXS241201WP")


def facts(*members: MemberFacts, **overrides: object) -> DeviceFacts:
    values: dict[str, object] = {
        "host": "sw1",
        "members": members,
        "release": "17.9.1",
        "boot_level": NA_DA,
        "boot_level_next_reload": NA_DA,
    }
    values.update(overrides)
    return DeviceFacts.model_validate(values)


def codes(findings: list) -> set[str]:  # type: ignore[type-arg]
    return {f.code for f in findings}


# ---------------------------------------------------------------------------------------- families


@pytest.mark.parametrize(
    ("pid", "supervisors", "family"),
    [
        ("C9300X-24HX", (), ProductFamily.C9300X),  # "Cisco Catalyst 9300X Series Switches"
        ("C9300X-48HXN", (), ProductFamily.C9300X),
        ("C9300-48UXM", (), ProductFamily.C9300),  # "not on any of the other models in the 9300 Series"
        ("C9300L-24P-4G", (), ProductFamily.C9300),
        ("C9200L-24P-4G", (), ProductFamily.C9200),
        ("C9500X-28C8D", (), ProductFamily.C9500X),  # "the C9500X-28C8D model of 9500X Series"
        ("C9500-48Y4C", (), ProductFamily.C9500),  # High Performance 9500: not 9500X
        ("C9407R", ("C9400X-SUP-2",), ProductFamily.C9400_SUP2),  # "Supervisor 2 and 2XL Modules"
        ("C9410R", ("C9400X-SUP-2XL", "C9400X-SUP-2XL"), ProductFamily.C9400_SUP2),
        ("C9407R", ("C9400-SUP-1",), ProductFamily.C9400),
        ("C9407R", (), ProductFamily.C9400),
        ("C9606R", ("C9600X-SUP-2",), ProductFamily.C9600_SUP2),  # "Supervisor Engine 2 (C9600X-SUP-2)"
        ("C9606R", ("C9600-SUP-1",), ProductFamily.C9600),
        ("c9300x-24hx ", (), ProductFamily.C9300X),
        ("ISR4451-X/K9", (), None),
        ("C9KV-UADP-8P", (), None),
    ],
)
def test_product_family_from_pid_and_supervisor(
    pid: str, supervisors: tuple[str, ...], family: object
) -> None:
    assert product_family(pid, supervisors) is family


# ---------------------------------------------------------------------------------------- releases


@pytest.mark.parametrize(
    ("left", "right", "order"),
    [
        ("17.6.2", "17.06.02", 0),  # show version prints 17.06.02 for Bengaluru 17.6.2
        ("17.06.01", "17.6.2", -1),  # 17.6.1 predates HSECK9 on C9300X
        ("17.9.1", "17.6.2", 1),
        ("17.10.1", "17.9.1", 1),  # numeric, not text, comparison
        ("17.11.1", "17.11.1", 0),
        ("16.5.1a", "16.5.1", 1),  # Everest 16.5.1a is a rebuild of 16.5.1
        ("Cisco IOS XE Cupertino 17.8.1", "17.08.01", 0),
        ("Version 17.12.1,", "17.11.1", 1),
    ],
)
def test_release_comparison(left: str, right: str, order: int) -> None:
    assert compare_releases(left, right) == order


@pytest.mark.parametrize("garbage", ["", "Bengaluru", "17", "x.y.z", "17.6.2.1"])
def test_release_rejects_text_without_a_release(garbage: str) -> None:
    with pytest.raises(ValueError):
        Release.parse(garbage)


def test_release_prints_canonically() -> None:
    assert str(Release.parse("17.06.01")) == "17.6.1"


# ------------------------------------------------------------------------- Table 1: HSECK9 support


@pytest.mark.parametrize(
    ("family", "minimum", "feature"),
    [
        (ProductFamily.C9300X, "17.6.2", CryptoFeature.IPSEC),  # Bengaluru 17.6.2, IPsec
        (ProductFamily.C9600_SUP2, "17.8.1", CryptoFeature.WAN_MACSEC),  # Cupertino 17.8.1, WAN MACsec
        (ProductFamily.C9500X, "17.8.1", CryptoFeature.WAN_MACSEC),  # Cupertino 17.8.1
        (ProductFamily.C9400_SUP2, "17.11.1", CryptoFeature.IPSEC),  # Dublin 17.11.1, IPSec
    ],
)
def test_hseck9_supported_platforms(family: ProductFamily, minimum: str, feature: CryptoFeature) -> None:
    supported, min_release, crypto = hseck9_support(family)
    assert supported
    assert min_release == Release.parse(minimum)
    assert crypto is feature


@pytest.mark.parametrize(
    "family",
    [
        ProductFamily.C9200,
        ProductFamily.C9300,
        ProductFamily.C9400,
        ProductFamily.C9500,
        ProductFamily.C9600,
        None,
    ],
)
def test_hseck9_unsupported_platforms(family: ProductFamily | None) -> None:
    # Table 1 lists only 9300X, 9600X-SUP-2, 9500X and 9400X-SUP-2/2XL.
    assert hseck9_support(family) == (False, None, None)


@pytest.mark.parametrize(
    ("pid", "release", "code"),
    [
        ("C9300X-24HX", "17.06.01", "HSEC_RELEASE_TOO_OLD"),  # before Bengaluru 17.6.2
        ("C9300X-24HX", "17.06.02", None),
        ("C9500X-28C8D", "17.7.1", "HSEC_RELEASE_TOO_OLD"),  # before Cupertino 17.8.1
        ("C9300-48UXM", "17.9.1", "HSEC_PLATFORM_UNSUPPORTED"),
    ],
)
def test_platform_and_release_findings(pid: str, release: str, code: str | None) -> None:
    found = check_platform(facts(member(Role.ACTIVE, pid, "FOC1"), release=release))
    assert codes(found) == ({code} if code else set())
    assert all(f.severity is Severity.ERROR for f in found)


def test_an_engineering_build_is_an_unknown_release_not_a_crash() -> None:
    # An engineering image names a build in `show version`, not a release (see test_corpus_platform).
    build = facts(
        member(Role.ACTIVE, "C9300X-24HX", "FOC1"), release="BLD_POLARIS_DEV_LATEST_20211003_004933"
    )
    [finding] = check_platform(build)
    assert finding.code == "RELEASE_UNKNOWN" and finding.severity is Severity.WARNING
    assert "BLD_POLARIS_DEV_LATEST_20211003_004933" in finding.message
    assert "Bengaluru 17.6.2" in finding.remedy


def test_c9400_sup2_needs_dublin() -> None:
    sup2 = facts(SVL_ACTIVE, supervisor_pids=("C9400X-SUP-2",), release="17.10.1")
    [finding] = check_platform(sup2)
    assert finding.code == "HSEC_RELEASE_TOO_OLD" and "Dublin 17.11.1" in finding.remedy


def test_chassis_without_supervisor_facts_is_not_guessed() -> None:
    # The supervisor decides support on a C9407R: without it the check says so rather than refusing.
    [finding] = check_platform(facts(SVL_ACTIVE))
    assert finding.code == "SUPERVISOR_UNKNOWN" and finding.severity is Severity.WARNING


# ---------------------------------------------------------------- Figure 1: permitted combinations


@pytest.mark.parametrize(
    ("base", "addon", "permission"),
    [
        (BaseLicense.NETWORK_ESSENTIALS, AddOn.DNA_ESSENTIALS, Permission.PERMITTED),  # Yes
        (BaseLicense.NETWORK_ESSENTIALS, AddOn.DNA_ADVANTAGE, Permission.FORBIDDEN),  # No
        (
            BaseLicense.NETWORK_ADVANTAGE,
            AddOn.DNA_ESSENTIALS,
            Permission.RENEWAL_ONLY,
        ),  # Yes, at renewal only
        (BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ADVANTAGE, Permission.PERMITTED),  # Yes
        (BaseLicense.NETWORK_ADVANTAGE, None, Permission.PERMITTED),  # a base license alone
    ],
)
def test_permitted_combinations(base: BaseLicense, addon: AddOn | None, permission: Permission) -> None:
    assert combination_permission(base, addon) is permission


def test_network_advantage_with_dna_essentials_only_at_renewal() -> None:
    # "available only at the time of DNA license renewal, and not with the initial or first-time purchase"
    assert not is_combination_permitted(BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ESSENTIALS)
    assert is_combination_permitted(BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ESSENTIALS, renewal=True)
    with pytest.raises(PrerequisiteError, match="renewal"):
        boot_level_command(BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ESSENTIALS)
    assert (
        boot_level_command(BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ESSENTIALS, renewal=True)
        == "license boot level network-advantage addon dna-essentials"
    )


def test_boot_level_command_of_the_guide_example() -> None:
    # Step 3: "license boot level network-advantage add-on dna-advantage"; IOS itself takes "addon".
    assert (
        boot_level_command(BaseLicense.NETWORK_ADVANTAGE, AddOn.DNA_ADVANTAGE)
        == "license boot level network-advantage addon dna-advantage"
    )
    assert boot_level_command(BaseLicense.NETWORK_ESSENTIALS) == "license boot level network-essentials"


def test_network_essentials_with_dna_advantage_is_refused() -> None:
    with pytest.raises(PrerequisiteError, match="not a permitted combination"):
        boot_level_command(BaseLicense.NETWORK_ESSENTIALS, AddOn.DNA_ADVANTAGE, renewal=True)


# ------------------------------------------------------------------------------- keys per topology


def test_keys_for_the_9300x_stack() -> None:
    # "At a minimum, obtain an HSECK9 key ... for the active ... we recommend ... the standby also";
    # "all" requests for every device in the stack.
    plan = keys_required(ProductFamily.C9300X, Redundancy.STACK, [ACTIVE_9300X, STANDBY_9300X, MEMBER_9300X])
    assert plan.minimum == (ACTIVE_9300X.udi,)
    assert plan.recommended == (ACTIVE_9300X.udi, STANDBY_9300X.udi)
    assert plan.request_all == (ACTIVE_9300X.udi, STANDBY_9300X.udi, MEMBER_9300X.udi)


def test_keys_for_dual_supervisor_is_one_per_chassis() -> None:
    # "one HSECK9 key is required for each chassis UDI" regardless of the number of supervisors.
    plan = keys_required(
        ProductFamily.C9600_SUP2, Redundancy.DUAL_SUPERVISOR, [DUAL_SUP_ACTIVE, DUAL_SUP_STANDBY]
    )
    assert plan.minimum == plan.recommended == plan.request_all == ("PID:C9606R,SN:FXS241201WP",)


def test_keys_for_stackwise_virtual() -> None:
    # "minimum ... chassis UDI C9407R, SN:FXS221500CT ... an HSECK9 key must be obtained for
    # C9407R, SN:FXS221500BN as well"
    plan = keys_required(ProductFamily.C9400_SUP2, Redundancy.STACKWISE_VIRTUAL, [SVL_ACTIVE, SVL_STANDBY])
    assert plan.minimum == ("PID:C9407R,SN:FXS221500CT",)
    assert plan.recommended == ("PID:C9407R,SN:FXS221500CT", "PID:C9407R,SN:FXS221500BN")


@pytest.mark.parametrize(
    ("family", "redundancy", "why"),
    [
        (ProductFamily.C9500X, Redundancy.STACKWISE_VIRTUAL, "standalone"),  # 9500X: standalone only
        (ProductFamily.C9600_SUP2, Redundancy.STACKWISE_VIRTUAL, "9400"),  # SVL: 9400 only
        (ProductFamily.C9300, Redundancy.STANDALONE, "does not support"),
    ],
)
def test_keys_refused_for_unsupported_setups(family: ProductFamily, redundancy: Redundancy, why: str) -> None:
    with pytest.raises(PrerequisiteError, match=why):
        keys_required(family, redundancy, [SVL_ACTIVE, SVL_STANDBY])


@pytest.mark.parametrize(
    ("members", "family", "redundancy"),
    [
        ((ACTIVE_9300X,), ProductFamily.C9300X, Redundancy.STANDALONE),
        ((ACTIVE_9300X, STANDBY_9300X), ProductFamily.C9300X, Redundancy.STACK),
        ((DUAL_SUP_ACTIVE, DUAL_SUP_STANDBY), ProductFamily.C9600_SUP2, Redundancy.DUAL_SUPERVISOR),
        ((SVL_ACTIVE, SVL_STANDBY), ProductFamily.C9400_SUP2, Redundancy.STACKWISE_VIRTUAL),
    ],
)
def test_redundancy_is_inferred_from_the_udis(
    members: tuple[MemberFacts, ...], family: ProductFamily, redundancy: Redundancy
) -> None:
    # The dual-supervisor sample shows one chassis UDI for Active and Standby; SVL shows two chassis UDIs.
    assert infer_redundancy(family, members) is redundancy


# ----------------------------------------------------------------------------- add / replace / all


def test_first_slac_on_a_stack_is_add_all() -> None:
    # "license smart authorization request add hseck9 all" (recommended for a stack).
    plan = plan_slac_request(facts(ACTIVE_9300X, STANDBY_9300X, MEMBER_9300X))
    assert plan.commands == ("license smart authorization request add hseck9 all",)
    assert len(plan.authorized_after) == 3


def test_local_scope_asks_for_the_active_only() -> None:
    plan = plan_slac_request(facts(ACTIVE_9300X, STANDBY_9300X), SlacScope.LOCAL)
    assert plan.commands == ("license smart authorization request add hseck9 local",)
    assert plan.authorized_after == (ACTIVE_9300X.udi,)


def test_member_added_to_a_slac_stack_needs_replace_all() -> None:
    # "If you have added a device where SLAC is not installed, to a stack where SLAC is already installed,
    # use the replace and all keywords."
    stack = facts(
        member(Role.ACTIVE, "C9300X-24HX", "FOC2519L8R7", slac=True, code="72ad37d5"),
        member(Role.STANDBY, "C9300X-48HXN", "FOC2524L39P", slac=True, code="842584db"),
        MEMBER_9300X,
        hsec_in_use=True,
    )
    plan = plan_slac_request(stack)
    assert plan.commands == ("license smart authorization request replace hseck9 all",)
    assert plan.missing == (MEMBER_9300X.udi,)
    assert len(plan.authorized_after) == 3  # "requests SLAC for all the devices in the stack"


def svl_with_active_slac(**overrides: object) -> DeviceFacts:
    """A C9400 StackWise Virtual pair (17.11.1) whose active holds a SLAC and whose standby does not."""
    return facts(
        member(Role.ACTIVE, "C9407R", "FXS221500CT", slac=True, code="40ba43d2"),
        SVL_STANDBY,
        supervisor_pids=("C9400X-SUP-2", "C9400X-SUP-2"),
        release="17.11.1",
        **overrides,
    )


def test_svl_standby_needs_return_then_request_all() -> None:
    # "This keyword is not supported on ... StackWise Virtual. ... return the SLAC which is on the active and
    # then request and install SLAC on the active and standby again."
    plan = plan_slac_request(svl_with_active_slac(), online=False)
    assert [s.kind for s in plan.steps] == [SlacStepKind.RETURN, SlacStepKind.REQUEST]
    assert plan.commands == (
        "license smart authorization return local offline",
        "license smart authorization request add hseck9 all",
    )
    assert plan.requires_not_in_use
    assert "replace" not in " ".join(plan.commands)


def test_nothing_to_request_when_every_udi_holds_a_slac() -> None:
    # Idempotence: the stack after "replace hseck9 all" (confirmation codes f6c6978d, 7ae69c8c, e3fd6642).
    done = facts(
        member(Role.ACTIVE, "C9300X-24HX", "FOC2519L8R7", slac=True, code="f6c6978d"),
        member(Role.STANDBY, "C9300X-48HXN", "FOC2524L39P", slac=True, code="7ae69c8c"),
        member(Role.MEMBER, "C9300X-48HX", "FOC2516LC92", slac=True, code="e3fd6642"),
    )
    plan = plan_slac_request(done)
    assert not plan.needed and plan.commands == ()


def test_dual_supervisor_counts_one_udi() -> None:
    dual = facts(DUAL_SUP_ACTIVE, DUAL_SUP_STANDBY, supervisor_pids=("C9600X-SUP-2", "C9600X-SUP-2"))
    plan = plan_slac_request(dual)
    assert plan.authorized_after == ("PID:C9606R,SN:FXS241201WP",)


def test_request_refused_on_an_unsupported_platform() -> None:
    with pytest.raises(PrerequisiteError):
        plan_slac_request(facts(member(Role.ACTIVE, "C9300-48UXM", "FOC1")))


@pytest.mark.parametrize(
    ("online", "path", "command"),
    [
        (True, None, "license smart authorization return all online"),
        (False, None, "license smart authorization return all offline"),
        (
            False,
            "bootflash:return-code.txt",
            "license smart authorization return all offline bootflash:return-code.txt",
        ),
    ],
)
def test_return_commands_of_the_guide(online: bool, path: str | None, command: str) -> None:
    assert slac_return_command(SlacScope.ALL, online=online, path=path) == command


# -------------------------------------------------------------------------- topologies and methods


@pytest.mark.parametrize(
    ("mode", "method"),
    [
        (ConnectionMode.SSM_DIRECT, SlacMethod.ONLINE),  # directly connected
        (ConnectionMode.CSLU_PUSH, SlacMethod.ONLINE),  # product instance initiates
        (ConnectionMode.ON_PREM_PUSH, SlacMethod.ONLINE),
        (ConnectionMode.AIR_GAPPED, SlacMethod.FILE_EXCHANGE),  # No Connectivity to CSSM and No CSLU
        (ConnectionMode.CSLU_PULL, SlacMethod.SSM_MULTIPLE_DEVICES),  # CSLU-initiated
        (ConnectionMode.ON_PREM_PULL, SlacMethod.SSM_MULTIPLE_DEVICES),
        (ConnectionMode.CONTROLLER, SlacMethod.UNSUPPORTED),  # Catalyst Center cannot generate a SLAC
    ],
)
def test_slac_method_per_topology(mode: ConnectionMode, method: SlacMethod) -> None:
    assert slac_method(mode) is method


def test_catalyst_center_topology_is_an_error() -> None:
    found = check_setup(facts(ACTIVE_9300X, connection=ConnectionMode.CONTROLLER))
    assert codes(found) == {"HSEC_VIA_CONTROLLER"}


def test_mixed_stack_is_an_error() -> None:
    # "Mixed stacking is not support. All the devices in the stack must be Cisco Catalyst 9300X"
    mixed = facts(ACTIVE_9300X, member(Role.MEMBER, "C9300-48UXM", "FOC9999"))
    [finding] = check_setup(mixed)
    assert finding.code == "MIXED_STACK" and finding.subject == "FOC9999"
    assert codes(check_stack_addition(facts(ACTIVE_9300X), "C9300-24P")) == {"MIXED_STACK"}
    assert check_stack_addition(facts(ACTIVE_9300X), "C9300X-48HX") == []


def test_9500x_in_high_availability_is_an_error() -> None:
    # "On Cisco Catalyst 9500X Series Switches, the HSECK9 key is supported only in a standalone setup."
    svl = facts(member(Role.ACTIVE, "C9500X-28C8D", "FDO1"), member(Role.STANDBY, "C9500X-28C8D", "FDO2"))
    assert codes(check_setup(svl)) == {"HSEC_SETUP_UNSUPPORTED"}


# ----------------------------------------------------------------------------------- prerequisites


def test_dna_advantage_is_required() -> None:
    # "You cannot use an HSECK9 key without DNA Advantage configured."
    [missing] = check_dna_advantage(facts(ACTIVE_9300X, boot_level=NA, boot_level_next_reload=NA))
    assert missing.code == "DNA_ADVANTAGE_MISSING" and missing.blocking
    assert "license boot level network-advantage addon dna-advantage" in missing.remedy
    [pending] = check_dna_advantage(facts(ACTIVE_9300X, boot_level=NA, boot_level_next_reload=NA_DA))
    assert pending.code == "DNA_ADVANTAGE_AFTER_RELOAD" and not pending.blocking
    assert check_dna_advantage(facts(ACTIVE_9300X)) == []


def test_slac_before_crypto() -> None:
    # "First install SLAC on the device, and only then configure the cryptographic feature."
    [finding] = check_order(facts(ACTIVE_9300X, crypto_configured=True))
    assert finding.code == "CRYPTO_BEFORE_SLAC" and "reconfigure" in finding.remedy
    assert (
        check_order(
            facts(member(Role.ACTIVE, "C9300X-24HX", "FOC2519L8R7", slac=True), crypto_configured=True)
        )
        == []
    )


def test_standby_without_slac_in_a_stack_warns_of_switchover() -> None:
    # Scenario 2: "If the standby device in a stack does not use an HSECK9 key, system messages are displayed"
    stack = facts(
        member(Role.ACTIVE, "C9300X-24HX", "FOC2519L8R7", slac=True),
        STANDBY_9300X,
        MEMBER_9300X,
        hsec_in_use=True,
    )
    found = check_slac_coverage(stack)
    assert codes(found) == {"STANDBY_NOT_AUTHORIZED", "MEMBER_WITHOUT_SLAC"}
    standby = next(f for f in found if f.code == "STANDBY_NOT_AUTHORIZED")
    assert standby.subject == STANDBY_9300X.udi
    assert "license smart authorization request replace hseck9 all" in standby.remedy


def test_svl_standby_without_slac_remedy_is_return_then_request() -> None:
    svl = facts(
        member(Role.ACTIVE, "C9407R", "FXS221500CT", slac=True),
        SVL_STANDBY,
        supervisor_pids=("C9400X-SUP-2",),
        release="17.11.1",
        hsec_in_use=True,
    )
    [finding] = check_slac_coverage(svl)
    assert finding.code == "STANDBY_NOT_AUTHORIZED"
    assert "return the SLAC on the active" in finding.remedy


def test_dual_supervisor_switchover_is_never_at_risk() -> None:
    # "a switchover in this High Availability setup can never result in an interruption"
    dual = facts(
        member(Role.ACTIVE, "C9606R", "FXS241201WP", slac=True, code="7cf1f54a"),
        member(Role.STANDBY, "C9606R", "FXS241201WP", slac=True, code="7cf1f54a"),
        supervisor_pids=("C9600X-SUP-2", "C9600X-SUP-2"),
        hsec_in_use=True,
    )
    [keys] = check_hseck9(dual)  # nothing but the key count: "only one is required for each chassis"
    assert keys.code == "HSEC_KEYS_REQUIRED" and keys.severity is Severity.INFO
    assert "minimum 1, recommended 1, 1 for every UDI; 1 hold a SLAC now" in keys.message


def test_key_count_of_the_stack() -> None:
    [keys] = check_keys(facts(ACTIVE_9300X, STANDBY_9300X, MEMBER_9300X))
    assert "minimum 1, recommended 2, 3 for every UDI; 0 hold a SLAC now" in keys.message
    assert check_keys(facts(member(Role.ACTIVE, "C9300-24P", "FOC1"))) == []


def test_svl_after_switchover_returns_whatever_slac_the_pair_holds() -> None:
    # Only the (new) standby holds a SLAC: "return local" would find nothing on the active.
    svl = facts(
        SVL_ACTIVE,
        member(Role.STANDBY, "C9407R", "FXS221500BN", slac=True),
        supervisor_pids=("C9400X-SUP-2",),
        release="17.11.1",
    )
    plan = plan_slac_request(svl)
    assert plan.commands == (
        "license smart authorization return all online",
        "license smart authorization request add hseck9 all",
    )


def test_a_stack_without_any_c9300x_is_not_called_mixed() -> None:
    # A C9300 stack is an unsupported platform (check_platform), not a mixed stack.
    plain = facts(member(Role.ACTIVE, "C9300-24P", "FOC1"), member(Role.STANDBY, "C9300-48P", "FOC2"))
    assert "MIXED_STACK" not in codes(check_setup(plain))
    assert codes(check_hseck9(plain)) == {"HSEC_PLATFORM_UNSUPPORTED"}


def test_hsec_in_use_without_a_slac_on_the_active_is_critical() -> None:
    [finding] = check_slac_coverage(facts(ACTIVE_9300X, hsec_in_use=True))
    assert finding.code == "HSEC_IN_USE_WITHOUT_SLAC" and finding.severity is Severity.CRITICAL


def test_slac_lost_with_a_replaced_supervisor() -> None:
    # "if you remove the active supervisor module and replace it with another one, you must install SLAC
    # again"
    single = facts(
        member(Role.ACTIVE, "C9606R", "FXS241201WP"),
        supervisor_pids=("C9600X-SUP-2",),
        previously_authorized_udis=frozenset({"PID:C9606R,SN:FXS241201WP"}),
    )
    [finding] = check_slac_coverage(single)
    assert finding.code == "SLAC_LOST" and "install SLAC again" in finding.remedy


def test_check_hseck9_collects_every_prerequisite() -> None:
    bad = facts(
        member(Role.ACTIVE, "C9300X-24HX", "FOC1"),
        member(Role.MEMBER, "C9300-24P", "FOC2"),
        release="17.06.01",
        boot_level=NA,
        boot_level_next_reload=NA,
        crypto_configured=True,
        connection=ConnectionMode.CONTROLLER,
    )
    found = check_hseck9(bad)
    assert {
        "HSEC_RELEASE_TOO_OLD",
        "MIXED_STACK",
        "HSEC_VIA_CONTROLLER",
        "DNA_ADVANTAGE_MISSING",
        "CRYPTO_BEFORE_SLAC",
    } <= codes(found)
    assert worst_severity(found) is Severity.ERROR
    assert all(f.remedy and f.reference for f in blocking_findings(found))


# ----------------------------------------------------------------------------------------- returns


def test_return_needs_the_key_not_in_use_and_names_the_forced_release() -> None:
    # "If the status of the HSECK9 key is displayed as IN USE even after the cryptographic feature is
    # disabled, then first enter the required command to release the HSECK9 key."
    [finding] = check_return_ready(facts(ACTIVE_9300X, hsec_in_use=True))
    assert finding.code == "HSEC_IN_USE" and "platform hsec-license-release" in finding.remedy
    assert check_return_ready(facts(ACTIVE_9300X, hsec_in_use=False)) == []


@pytest.mark.parametrize(
    ("family", "command"),
    [
        (ProductFamily.C9300X, "platform hsec-license-release"),
        (ProductFamily.C9400_SUP2, "platform hsec-license-release"),
        (ProductFamily.C9500X, "platform wanmacsec hsec-license-release"),
        (ProductFamily.C9600_SUP2, "platform wanmacsec hsec-license-release"),
        (ProductFamily.C9300, None),
    ],
)
def test_forced_release_command_per_platform(family: ProductFamily, command: str | None) -> None:
    assert forced_release_command(family) == command


def test_all_counts_in_use_remedy() -> None:
    # The guide's remedy: enough keys, return the active's SLAC, request for active and standby again.
    svl = facts(SVL_ACTIVE, SVL_STANDBY, supervisor_pids=("C9400X-SUP-2",), release="17.11.1")
    remedy = remedy_for_ssm_failure("ERROR_ALL_COUNTS_IN_USE", svl)
    assert "add keys to the virtual account" in remedy
    assert "2 needed here, one per UDI" in remedy
    returning = remedy.index("license smart authorization return local")
    requesting = remedy.index("license smart authorization request add hseck9 all")
    assert returning < requesting  # first return the active's SLAC, then request for all again


def test_an_exhausted_pool_names_the_pool_not_a_stack_procedure_on_a_standalone() -> None:
    standalone = facts(MemberFacts(role=Role.ACTIVE, pid="C9300X-24HX", serial="FOC0001"), release="17.9.4")
    remedy = remedy_for_ssm_failure("ERROR_ALL_COUNTS_IN_USE", standalone)
    assert "add keys to the virtual account" in remedy
    assert "1 needed here" in remedy
    assert "return" not in remedy.replace("return unused SLACs", "")
    assert "active" not in remedy


def test_hseck9_not_applicable_names_platform_release_and_setup() -> None:
    c9200 = facts(MemberFacts(role=Role.ACTIVE, pid="C9200-48P", serial="JAE1"), release="17.9.4")
    old = facts(MemberFacts(role=Role.ACTIVE, pid="C9300X-24HX", serial="FOC1"), release="17.3.1")
    ready = facts(MemberFacts(role=Role.ACTIVE, pid="C9300X-24HX", serial="FOC1"), release="17.9.4")
    assert "does not support the HSECK9 key" in (hseck9_not_applicable(c9200) or "")
    assert "older than 17.6.2" in (hseck9_not_applicable(old) or "")
    assert hseck9_not_applicable(ready) is None


# --------------------------------------------------------------------------------------- reporting


NOW = dt.datetime(2022, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("deadline", "code"),
    [
        (
            dt.datetime(2022, 3, 3, 18, 37, 21, tzinfo=dt.timezone.utc),
            "ACK_DEADLINE_NEAR",
        ),  # Mar 03 2022, in 2 days
        (dt.datetime(2022, 2, 28, 18, 37, 21, tzinfo=dt.timezone.utc), "ACK_DEADLINE_PASSED"),
        (dt.datetime(2022, 6, 1, tzinfo=dt.timezone.utc), None),
        (dt.datetime(2022, 3, 3, 18, 37, 21), "ACK_DEADLINE_NEAR"),  # naive: taken as UTC
    ],
)
def test_next_ack_deadline(deadline: dt.datetime, code: str | None) -> None:
    # "check the Next ACK deadline field. This means a RUM report must be sent and the ACK must be
    # installed by this date."
    found = check_reporting(facts(ACTIVE_9300X, next_ack_deadline=deadline), NOW)
    assert codes(found) == ({code} if code else set())


def test_audit_reports_boot_level_waiting_for_reload() -> None:
    # "The Technology-package Next reboot column displays the change ... effective after reload"
    found = audit(facts(ACTIVE_9300X, boot_level=NA, boot_level_next_reload=NA_DA), NOW)
    assert "BOOT_LEVEL_PENDING_RELOAD" in codes(found)


# -------------------------------------------------------------------------------------------- UDIs


def test_udi_text_round_trip() -> None:
    assert format_udi("C9300X-24HX", "FOC2519L8R7") == "PID:C9300X-24HX,SN:FOC2519L8R7"
    assert split_udi("PID:C9300X-24HX,SN:FOC2519L8R7") == ("C9300X-24HX", "FOC2519L8R7")
    # TRUST_INSTALL_SUCCESS prints "P:C9300X-48HX,S:FOC2516LC92"
    assert split_udi("P:C9300X-48HX,S:FOC2516LC92") == ("C9300X-48HX", "FOC2516LC92")
    with pytest.raises(ValueError):
        split_udi("C9300X-24HX FOC2519L8R7")


def test_request_command_text() -> None:
    assert (
        slac_request_command(SlacAction.REPLACE, SlacScope.ALL)
        == "license smart authorization request replace hseck9 all"
    )


def test_air_gapped_plan_saves_the_request_for_ssm() -> None:
    # No Connectivity to CSSM and No CSLU: step 2 request, step 3 "request save bootflash:slac.txt".
    plan = plan_slac_request(facts(ACTIVE_9300X, STANDBY_9300X), online=False, save_to="bootflash:slac.txt")
    assert plan.commands == (
        "license smart authorization request add hseck9 all",
        "license smart authorization request save bootflash:slac.txt",
    )
    assert [s.kind for s in plan.steps] == [SlacStepKind.REQUEST, SlacStepKind.SAVE]
    nothing = facts(member(Role.ACTIVE, "C9300X-24HX", "FOC2519L8R7", slac=True))
    assert plan_slac_request(nothing, save_to="bootflash:slac.txt").commands == ()


@pytest.mark.parametrize(
    ("release", "method"),
    [
        ("17.06.02", SlacMethod.SSM_MULTIPLE_DEVICES),  # before 17.7.1: enter PID and SN in the SSM web UI
        (
            "17.07.01",
            SlacMethod.FILE_EXCHANGE,
        ),  # "supported starting with Cisco IOS XE Cupertino 17.7.1 only"
        (None, SlacMethod.FILE_EXCHANGE),
    ],
)
def test_air_gapped_request_file_needs_cupertino(release: str | None, method: SlacMethod) -> None:
    assert slac_method(ConnectionMode.AIR_GAPPED, release) is method
    assert slac_method(ConnectionMode.SSM_DIRECT, release) is SlacMethod.ONLINE


# ------------------------------------------------------- a deadline in a zone whose offset is unknown


@pytest.mark.parametrize(
    ("local", "code"),
    [
        (
            dt.datetime(2022, 3, 2, 1, 0),
            "ACK_DEADLINE_PASSED",
        ),  # 13 h ahead of NOW read as UTC: may be UTC+14
        (dt.datetime(2022, 3, 3, 18, 37, 21), "ACK_DEADLINE_NEAR"),
        (dt.datetime(2022, 6, 1), "ACK_DEADLINE_ZONE_UNKNOWN"),
    ],
)
def test_a_deadline_in_an_unknown_zone_is_judged_at_the_earliest_it_can_be(
    local: dt.datetime, code: str
) -> None:
    found = check_reporting(facts(ACTIVE_9300X, next_ack_deadline_unzoned=(local, "pacific")), NOW)
    assert codes(found) == {code}
    assert all(
        "'pacific'" in f.remedy or "pacific, a zone whose offset is unknown" in f.message for f in found
    )


def _in_use_state() -> LicenseState:
    return LicenseState(host="svl1", hsec=HsecState(usage_status=UsageStatus.IN_USE, usage_count=1))


def test_a_return_first_is_refused_while_the_key_is_in_use() -> None:
    svl = svl_with_active_slac(hsec_in_use=True)
    plan = plan_slac_request(svl, online=False)
    refusal = request_refusal(_in_use_state(), svl, plan, offline=True)
    assert refusal is not None
    assert "IN USE" in refusal.device_words and refusal.remedy
    assert request_refusal(LicenseState(host="svl1"), svl, plan, offline=True) is None


def test_replace_is_refused_on_stackwise_virtual_and_offline_while_in_use() -> None:
    replace = SlacPlan(
        steps=(
            SlacStep(
                kind=SlacStepKind.REQUEST,
                command=slac_request_command(SlacAction.REPLACE, SlacScope.ALL),
                reason="the operator asked for replace",
            ),
        ),
        missing=(),
        authorized_after=(),
    )
    svl = facts(member(Role.ACTIVE, "C9407R", "FXS221500CT"), SVL_STANDBY)
    refusal = request_refusal(LicenseState(host="svl1"), svl, replace, offline=False)
    assert refusal is not None and "not supported in a StackWise Virtual" in refusal.reason
    stack = facts(ACTIVE_9300X, STANDBY_9300X)
    assert request_refusal(LicenseState(host="s1"), stack, replace, offline=True) is None
    in_use = facts(ACTIVE_9300X, STANDBY_9300X, hsec_in_use=True)
    refusal = request_refusal(_in_use_state(), in_use, replace, offline=True)
    assert refusal is not None and "while the key is IN USE" in refusal.reason


def test_the_workflow_mode_must_fit_the_transport() -> None:
    assert "use mode='offline'" in (transport_refusal(ConnectionMode.AIR_GAPPED, offline=False) or "")
    assert "use mode='online'" in (transport_refusal(ConnectionMode.SSM_DIRECT, offline=True) or "")
    assert transport_refusal(ConnectionMode.AIR_GAPPED, offline=True) is None
    assert transport_refusal(ConnectionMode.CSLU_PUSH, offline=False) is None


def test_a_forced_release_is_refused_while_the_feature_is_configured() -> None:
    command = "platform hsec-license-release"
    assert release_refusal(command, "\n") is None
    refusal = release_refusal(command, " tunnel mode ipsec ipv4\n")
    assert refusal is not None and refusal.device_words == "tunnel mode ipsec ipv4"
    assert "still configured" in refusal.reason and "unconfigure" in refusal.remedy


def test_stack_addition_prerequisites() -> None:
    assert stack_addition_not_applicable(ProductFamily.C9300X) is None
    assert "this is C9500X" in (stack_addition_not_applicable(ProductFamily.C9500X) or "")
    assert "this is unknown" in (stack_addition_not_applicable(None) or "")
    no_slac = standalone_first_refusal("FOC1", slac_installed=False, crypto_configured=True)
    assert no_slac is not None and no_slac.startswith("no SLAC on FOC1 yet")
    no_crypto = standalone_first_refusal("FOC1", slac_installed=True, crypto_configured=False)
    assert no_crypto is not None and "step 5" in no_crypto
    assert standalone_first_refusal("FOC1", slac_installed=True, crypto_configured=True) is None


def test_an_air_gapped_switch_cannot_report_online() -> None:
    refusal = online_report_refusal(ConnectionMode.AIR_GAPPED)
    assert refusal is not None and "mode='offline'" in refusal.remedy
    assert online_report_refusal(ConnectionMode.CSLU_PUSH) is None
