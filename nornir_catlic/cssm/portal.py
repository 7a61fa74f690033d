"""Cisco's licensing API as the workflows' :class:`~nornir_catlic.portal.SmartSoftwareManager`.

The switch still saves its request, return or usage file; this portal reads it, makes Cisco's API call,
polls the answer and hands back the files the switch imports, as the lab's SSM and the file-drop portal do.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from nornir_catlic.cssm.client import CssmClient
from nornir_catlic.cssm.errors import CssmError, CssmUdiFailed
from nornir_catlic.cssm.models import ItemResult, PollHandle
from nornir_catlic.models.common import Udi
from nornir_catlic.parsers.cssm_files import (
    SlacRequest,
    UsageReport,
    read_return_codes,
    read_slac_request,
    read_usage,
)

C9K_HSEC_TAG = "regid.2021-05.com.cisco.C9K_HSEC,1.0_90fdf411-3823-45bd-bd8c-5a5d0e0e1ea2"
"""The HSECK9 entitlement of Catalyst 9000 switches, for SLACs generated from a device list."""


class CssmPortal:
    """The four SSM exchanges (and the key budget) over Cisco's API. ``client`` stays the caller's."""

    def __init__(self, client: CssmClient) -> None:
        self.client = client

    # ------------------------------------------------------------ the Protocol
    def process_slac_request(self, request_text: str, /) -> dict[str, str]:
        """The saved SLAC request in; UDI -> SLAC file text.

        Raises:
            CssmUdiFailed: some UDIs failed (``answers`` holds the others' SLACs).
        """
        handle = self.submit_slac_request(read_slac_request(request_text))
        return self.collect(handle, "SLAC request")

    def generate_slacs(self, udis: list[tuple[str, str]], /) -> dict[str, str]:
        """ "Multiple Devices": (PID, serial) pairs in, ``batch_size`` per request; UDI -> SLAC file text.

        Raises:
            CssmUdiFailed: some UDIs failed (``answers`` holds the others' SLACs).
        """
        pairs = [Udi(pid=pid, serial=serial) for pid, serial in dict.fromkeys(udis)]
        size = self.client.settings.batch_size
        handles = [
            self.client.submit(
                "authorizations",
                [_license(udi, [C9K_HSEC_TAG]) for udi in pairs[start : start + size]],
                [str(udi) for udi in pairs[start : start + size]],
            )
            for start in range(0, len(pairs), size)
        ]
        slacs: dict[str, str] = {}
        failures: dict[str, str] = {}
        for handle in handles:
            try:
                slacs.update(self.collect(handle, "SLAC generation"))
            except CssmUdiFailed as partial:
                slacs.update(partial.answers)
                failures.update(partial.failures)
        if failures:
            raise CssmUdiFailed("SLAC generation", failures, slacs)
        return slacs

    def process_return(self, return_text: str, /) -> str:
        """The return codes (a return file or the printed text) in; the ACK text, "" when Cisco sent none
        (Cisco's API answers a return with no file; the lab's sends the ACK its web UI gives).

        Raises:
            CssmUdiFailed: Cisco failed the return of some UDIs (a code it does not know...).
        """
        acks = self.collect(self.submit_return(return_text), "return")
        return next(iter(dict.fromkeys(text for text in acks.values() if text)), "")

    def process_usage_report(self, rum_text: str, /) -> str:
        """A saved usage file in; the ACK file text."""
        report = read_usage(rum_text)
        answers = self.report_usage({str(report.udi): report})
        answer = answers[str(report.udi)]
        if isinstance(answer, CssmError):
            raise answer
        return answer

    def free_licenses(self, entitlement: str, /) -> int | None:
        """Free keys of ``entitlement`` (a name such as ``C9K HSEC`` or a tag) in the virtual account."""
        for entry in self.client.license_summary():
            if entitlement in (entry.tag, entry.display_name):
                return entry.free
        return None

    # ------------------------------------------------------------ batches and resumable steps
    def submit_slac_request(self, request: SlacRequest) -> PollHandle:
        """Submit a saved request; commit the handle before :meth:`collect` (a second request spends keys)."""
        return self.client.submit(
            "authorizations", slac_request_items(request), [str(item.udi) for item in request.items]
        )

    def submit_return(self, return_text: str) -> PollHandle:
        """Submit the return codes; commit the handle before :meth:`collect` (Cisco accepts a code once).

        Raises:
            CssmError: a code without its UDI (Cisco's API wants both).
        """
        items, udis = return_items(return_text)
        return self.client.submit("authorizations", items, udis)

    def submit_usage(self, reports: list[UsageReport]) -> PollHandle:
        """Submit many switches' usage in one request; commit the handle before :meth:`collect`."""
        items = [usage_item(report) for report in reports]
        return self.client.submit("acknowledgements", items, [str(report.udi) for report in reports])

    def collect(self, handle: PollHandle, what: str) -> dict[str, str]:
        """Poll ``handle`` to its end; UDI -> file text (SLAC or ACK; "" for a return answered with none).

        Raises:
            CssmUdiFailed: some UDIs failed, with Cisco's words; ``answers`` holds the others.
        """
        return _files(self.client.wait(handle), what)

    def report_usage(self, reports: Mapping[str, UsageReport]) -> dict[str, str | CssmError]:
        """Usage of many switches, ``batch_size`` per request, all submitted before the polls; UDI -> the
        ACK text or the error of its batch."""
        size = self.client.settings.batch_size
        listed = list(reports.values())
        outcome: dict[str, str | CssmError] = {}
        handles: list[PollHandle] = []
        for start in range(0, len(listed), size):
            batch = listed[start : start + size]
            try:
                handles.append(self.submit_usage(batch))
            except CssmError as error:
                outcome.update((str(report.udi), error) for report in batch)
        for handle in handles:
            try:
                outcome.update(self.collect(handle, "usage report"))
            except CssmUdiFailed as partial:
                outcome.update(partial.answers)
                outcome.update(
                    (udi, CssmError(why, cisco_message=why)) for udi, why in partial.failures.items()
                )
            except CssmError as error:
                outcome.update((udi, error) for udi in handle.udis)
        return outcome


def slac_request_items(request: SlacRequest) -> list[dict[str, object]]:
    """The ``licenses`` of ``v2/devices/authrequest`` for a saved SLAC request, one per UDI."""
    items = []
    for item in request.items:
        license_ = _license(item.udi, [key.entitlement for key in item.keys], hostname=request.hostname)
        license_.update(confirm_code=item.confirm_code, remove_code=item.remove_code)
        items.append(license_)
    return items


def return_items(return_text: str) -> tuple[list[dict[str, object]], list[str]]:
    """The ``licenses`` of a return (``remove_code``, no keys) and their UDIs, from the return codes.

    Raises:
        CssmError: a code without its UDI (Cisco's API wants both).
    """
    codes = read_return_codes(return_text)
    if not codes or any(udi is None for udi, _ in codes):
        raise CssmError("Cisco's API needs each return code with its UDI (the return file's UDI: lines)")
    items = [{**_license(udi, []), "remove_code": code} for udi, code in codes if udi is not None]
    return items, [str(udi) for udi, _ in codes]


def usage_item(report: UsageReport) -> dict[str, object]:
    """One switch's entry in the ``reports`` of ``v2/devices/reportusage``, payloads kept byte for byte."""
    return {
        "sudi": _sudi(report.udi),
        "hostname": report.hostname,
        "software_tag_identifier": report.software_tag,
        "usage": [
            {"payload": payload, "signature": signature}
            for payload, signature in zip(
                report.payloads, report.signatures or ({},) * len(report.payloads), strict=True
            )
        ],
    }


def _license(udi: Udi, tags: list[str], *, hostname: str = "") -> dict[str, object]:
    return {
        "sudi": _sudi(udi),
        "hostname": hostname,
        "keys": [{"entitlement": tag, "count": "1"} for tag in tags],
    }


def _sudi(udi: Udi) -> dict[str, str]:
    return {"udi_pid": udi.pid, "udi_serial_number": udi.serial}


def _files(results: list[ItemResult], what: str) -> dict[str, str]:
    files: dict[str, str] = {}
    failures: dict[str, str] = {}
    for result in results:
        udi = result.sudi.udi
        if result.failed:
            failures[udi] = result.status_message or result.error_code or "FAILED"
            continue
        try:
            files[udi] = (
                base64.b64decode(result.smart_license, validate=True).decode() if result.smart_license else ""
            )
        except (binascii.Error, UnicodeDecodeError):
            failures[udi] = "Cisco's answer is not base64 text"
    if failures:
        raise CssmUdiFailed(what, failures, files)
    return files
