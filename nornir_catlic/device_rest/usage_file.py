"""The RUM reports a switch's REST API hands out, as the usage file Cisco SSM takes (Cisco's own shape).

``<smartLicense>``: one ``smartLicenseSystemInfo/data`` (the device: sudi, hostname, software tag, when,
a nonce) and one ``RUMReport`` per report holding ``{"payload", "signature"}`` JSON, the payload untouched
(Cisco checks its signature over those bytes). :func:`nornir_catlic.parsers.cssm_files.read_usage` reads it
back for Cisco's API; the file-drop portal's operator uploads it as any usage file.
"""

from __future__ import annotations

import json
import secrets
import xml.etree.ElementTree as ET

from nornir_catlic.device_rest.models import SignedRum


def usage_file(reports: list[SignedRum]) -> str:
    """The usage file of ``reports`` (one device's: the first report's header names it)."""
    if not reports:
        raise ValueError("a usage file needs at least one report")
    root = ET.Element("smartLicense")
    info = ET.SubElement(ET.SubElement(root, "smartLicenseSystemInfo"), "data")
    system = {**reports[0].header, "nonce": secrets.token_hex(8)}
    info.text = json.dumps(system, sort_keys=True)
    for report in reports:
        element = ET.SubElement(root, "RUMReport")
        element.text = json.dumps({"payload": report.payload, "signature": report.signature}, sort_keys=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
