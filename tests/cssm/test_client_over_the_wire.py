"""The CSSM API client against the lab's SSM served over HTTPS: tokens, Cisco's failures, polls, batches."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import ssl
import stat
import time
from pathlib import Path

import httpx
import pytest

from nornir_catlic.cssm import (
    CssmAuthError,
    CssmClient,
    CssmPollTimeout,
    CssmPortal,
    CssmUdiFailed,
    CssmUnavailable,
    PollHandle,
    load_settings,
)
from nornir_catlic.models.common import Udi
from nornir_catlic.models.license_files import LicenseFileKind
from nornir_catlic.parsers.license_files import parse_license_file
from nornir_catlic.portal import (
    KeyBudgetSource,
    SmartSoftwareManager,
    SsmRequestFailed,
    free_licenses,
    guard_ssm,
)
from virtual_devices.cssm_api import ApiCredentials

from .conftest import Api

UDIS = [("C9300X-24HX", "FOC0000A01"), ("C9300X-48HXN", "FOC0000A02")]


def test_one_token_serves_many_calls_and_names_resolve_to_ids(api: Api) -> None:
    with api.client() as client:
        sa_id, va_id = client.account_ids()
        assert sa_id > 100000 and va_id > 500000
        assert CssmPortal(client).free_licenses("C9K HSEC") == 10
        assert CssmPortal(client).free_licenses("C9K DNA") is None
    assert api.service.stats.tokens_issued == 1
    assert api.service.stats.refused == {}


def test_the_tls_of_the_lab_is_verified_with_its_ca_and_refused_without(api: Api) -> None:
    with api.client(ca_bundle=None) as client, pytest.raises(CssmUnavailable) as refused:
        client.account_ids()
    assert "does not verify (unable to get local issuer certificate)" in str(refused.value)
    assert "set ca_bundle" in str(refused.value)
    assert api.sleeps == []  # not retried: another attempt cannot fix a certificate
    assert api.service.stats.tokens_issued == 0


def test_a_token_expired_mid_run_is_renewed_once(api: Api) -> None:
    with api.client() as client:
        portal = CssmPortal(client)
        assert portal.free_licenses("C9K HSEC") == 10
        api.loop.call(api.service.expire_tokens)
        assert portal.free_licenses("C9K HSEC") == 10
    assert api.service.stats.tokens_issued == 2
    assert api.service.stats.refused == {401: 1}


def test_a_token_is_renewed_before_it_expires_without_a_401(api: Api) -> None:
    short = dataclasses.replace(api.service.credentials, token_lifetime=2)
    api.loop.call(setattr, api.service, "credentials", short)
    with api.client() as client:
        client.account_ids()
        first = client.tokens.token()
        time.sleep(1.1)  # past half the token's life: the client renews it ahead of Cisco's expiry
        assert client.tokens.token() != first
        assert CssmPortal(client).free_licenses("C9K HSEC") == 10
    assert api.service.stats.tokens_issued == 2
    assert api.service.stats.refused == {}


def test_invalid_client_403_is_a_clear_error_in_ciscos_words(api: Api) -> None:
    api.faults(invalid_client=True)
    with api.client() as client, pytest.raises(CssmAuthError) as refused:
        client.license_summary()
    assert refused.value.status_code == 403
    assert refused.value.cisco_message == "Invalid Client"
    assert "HTTP 403: Invalid Client" in str(refused.value)
    assert "associated" in str(refused.value)  # the remedy: Cisco's access request


def test_wrong_credentials_are_refused_by_the_identity_provider(api: Api) -> None:
    with api.client(client_secret="not-the-secret") as client, pytest.raises(CssmAuthError) as refused:
        client.account_ids()
    assert "Invalid client or Invalid client credentials" in str(refused.value)


def test_429_waits_its_retry_after_then_goes_on(api: Api) -> None:
    with api.client() as client:
        client.account_ids()
        api.faults(throttle=2, retry_after=0.2)
        assert CssmPortal(client).free_licenses("C9K HSEC") == 10
    assert api.service.stats.refused == {429: 2}
    assert api.sleeps == [0.2, 0.2]


def test_5xx_is_retried_with_backoff_and_ends_in_a_clear_error_when_it_lasts(api: Api) -> None:
    with api.client() as client:
        client.account_ids()
        api.faults(server_errors=2)
        assert client.license_summary()[0].free == 10
        assert api.service.stats.refused == {503: 2}
        assert len(api.sleeps) == 2 and all(0 < s <= 0.5 for s in api.sleeps)
        api.faults(server_errors=100)
        with pytest.raises(CssmUnavailable, match=r"HTTP 503 \(Service Unavailable\) after 4 attempts"):
            client.license_summary()


def test_ok_poll_is_polled_at_ciscos_interval_until_complete(api: Api) -> None:
    api.faults(polls_before_complete=3, poll_interval=0.1)
    with api.client() as client:
        slacs = CssmPortal(client).generate_slacs(UDIS)
        assert client.polls == 4
    assert api.sleeps == [0.1, 0.1, 0.1]
    assert sorted(slacs) == ["PID:C9300X-24HX,SN:FOC0000A01", "PID:C9300X-48HXN,SN:FOC0000A02"]
    for udi, text in slacs.items():
        file = parse_license_file(text)
        assert file.kind is LicenseFileKind.SLAC and [str(u) for u in file.udis] == [udi]
    assert api.service.submissions("authorizations") == 1
    assert [(p.total, p.in_use) for p in api.rig.ssm.pools()] == [(10, 2)]


def test_a_poll_past_its_deadline_resumes_from_its_handle_without_a_second_submission(api: Api) -> None:
    api.faults(polls_before_complete=4, poll_interval=0.2)
    with api.client(poll_deadline=0.5) as client:
        portal = CssmPortal(client)
        handle = client.submit("authorizations", [_hsec(*UDIS[0])], ["PID:C9300X-24HX,SN:FOC0000A01"])
        committed = handle.model_dump_json()
        with pytest.raises(CssmPollTimeout) as late:
            portal.collect(handle, "SLAC request")
        assert late.value.handle == handle
    with api.client() as client:
        resumed = client.resume(PollHandle.model_validate_json(committed))
        assert resumed.poll_id == handle.poll_id and resumed.deadline > handle.deadline
        slacs = CssmPortal(client).collect(resumed, "SLAC request")
    assert list(slacs) == ["PID:C9300X-24HX,SN:FOC0000A01"]
    assert api.service.submissions("authorizations") == 1
    assert resumed.poll_id > 2**53  # beyond JavaScript's safe integers, kept exact


def test_one_udi_failed_in_a_batch_is_named_with_ciscos_message_and_the_others_are_answered(api: Api) -> None:
    api.rig.ssm.set_pool("Eg-SA", "Eg-VA", "C9K HSEC", 1)
    with api.client() as client, pytest.raises(CssmUdiFailed) as failed:
        CssmPortal(client).generate_slacs(UDIS)
    assert list(failed.value.answers) == ["PID:C9300X-24HX,SN:FOC0000A01"]
    assert failed.value.failures == {
        "PID:C9300X-48HXN,SN:FOC0000A02": "All 1 C9K HSEC licenses in Eg-SA/Eg-VA are in use"
    }
    assert "PID:C9300X-48HXN,SN:FOC0000A02: All 1 C9K HSEC licenses" in str(failed.value)


def test_an_unknown_entitlement_fails_its_udi(api: Api) -> None:
    with api.client() as client:
        item = {**_hsec(*UDIS[0]), "keys": [{"entitlement": "regid.nothing", "count": "1"}]}
        handle = client.submit("authorizations", [item], ["PID:C9300X-24HX,SN:FOC0000A01"])
        with pytest.raises(CssmUdiFailed, match=r"Invalid entitlement tag regid\.nothing"):
            CssmPortal(client).collect(handle, "SLAC request")


def test_every_call_sends_a_fresh_nonce(api: Api) -> None:
    # The lab refuses a nonce it has seen: retries and polls would fail if one were reused.
    api.faults(polls_before_complete=2, server_errors=1)
    with api.client() as client:
        CssmPortal(client).generate_slacs(UDIS[:1])
    assert api.service.stats.refused == {503: 1}


def test_the_client_secret_reaches_no_log_exception_or_repr(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    secret = api.service.credentials.client_secret
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "nornir_catlic", "tenacity"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    errors: list[str] = []
    with api.client() as client:
        CssmPortal(client).generate_slacs(UDIS[:1])
        api.loop.call(api.service.expire_tokens)
        client.license_summary()
        errors.append(repr(client) + repr(client.settings) + str(client.settings) + repr(client.tokens))
        errors.append(str(vars(client.tokens)) + client.settings.model_dump_json())
    api.faults(invalid_client=True)
    with api.client() as client, pytest.raises(CssmAuthError) as refused:
        client.license_summary()
    errors.append(str(refused.value) + repr(refused.value))
    with api.client(token_url=api.service.url + "/nowhere") as client, pytest.raises(CssmAuthError) as lost:
        client.account_ids()
    errors.append(str(lost.value))
    assert any("POST" in r.getMessage() and "token" in r.getMessage() for r in caplog.records)  # logs on
    assert secret not in caplog.text
    assert secret not in "".join(errors)
    assert "**********" in repr(api.settings())


def test_an_https_proxy_carries_every_call_and_tls_is_still_verified_through_it(api: Api) -> None:
    tunnels: list[str] = []

    async def tunnel(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """An HTTP CONNECT proxy, as a site's egress proxy would be."""
        request = (await reader.readuntil(b"\r\n\r\n")).decode()
        target = request.split()[1]
        tunnels.append(request.split()[0] + " " + target)
        host, port = target.rsplit(":", 1)
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    proxy = api.loop.run(asyncio.start_server(tunnel, "127.0.0.1", 0), timeout=10)
    port = proxy.sockets[0].getsockname()[1]
    try:
        with api.client(proxy=f"http://127.0.0.1:{port}") as client:
            assert CssmPortal(client).free_licenses("C9K HSEC") == 10
    finally:
        proxy.close()
    service_port = api.service.url.rsplit(":", 1)[1]
    assert tunnels and set(tunnels) == {f"CONNECT 127.0.0.1:{service_port}"}
    assert api.service.stats.tokens_issued == 1


def test_the_settings_the_lab_writes_are_what_the_client_loads(api: Api, tmp_path: Path) -> None:
    path = api.loop.call(api.service.write_client_settings, tmp_path / "cssm.yaml", "Eg-SA", "Eg-VA")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with CssmClient(load_settings(path, {})) as client:
        assert CssmPortal(client).free_licenses("C9K HSEC") == 10
    kept = ApiCredentials.load_or_create(tmp_path / "credentials.json")
    assert ApiCredentials.load_or_create(tmp_path / "credentials.json") == kept


def _hsec(pid: str, serial: str) -> dict[str, object]:
    from nornir_catlic.cssm.portal import C9K_HSEC_TAG

    return {
        "sudi": {"udi_pid": pid, "udi_serial_number": serial},
        "keys": [{"entitlement": C9K_HSEC_TAG, "count": "1"}],
    }


def test_the_portal_is_a_smart_software_manager_with_a_key_budget(api: Api) -> None:
    with api.client(batch_size=1) as client:
        portal = CssmPortal(client)
        assert isinstance(portal, SmartSoftwareManager) and isinstance(portal, KeyBudgetSource)
        guarded = guard_ssm(portal)
        assert free_licenses(guarded, "C9K HSEC") == 10
        assert sorted(guarded.generate_slacs(UDIS)) == [str(Udi(pid=p, serial=s)) for p, s in UDIS]
        assert free_licenses(guarded, "C9K HSEC") == 8
        api.rig.ssm.set_pool("Eg-SA", "Eg-VA", "C9K HSEC", 2)
        with pytest.raises(SsmRequestFailed, match=r"\[UDI_FAILED\].*FOC0000A03: All 2 C9K HSEC") as failed:
            guarded.generate_slacs([("C9300X-24HX", "FOC0000A03")])
        assert isinstance(failed.value.__cause__, CssmUdiFailed)  # the cause keeps the other UDIs' SLACs
    assert api.service.submissions("authorizations") == 3  # batch_size 1: one request per UDI


def test_the_labs_admin_calls_switch_faults_and_count_over_http(api: Api) -> None:
    with httpx.Client(verify=ssl.create_default_context(cafile=str(api.service.tls.ca_bundle))) as http:
        answer = http.post(api.service.url + "/lab/cssm/faults", json={"server_errors": 1})
        assert answer.json()["server_errors"] == 1
        refused = http.post(api.service.url + "/lab/cssm/faults", json={"no_such_fault": 1})
        assert refused.status_code == 400 and "no_such_fault" in refused.text
        with api.client() as client:
            client.account_ids()
        stats = http.get(api.service.url + "/lab/cssm/stats").json()
    assert stats["refused"] == {"503": 1} and stats["tokens_issued"] == 1
