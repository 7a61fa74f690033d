"""The air-gapped install saves a request file from 17.7.1 on (guide: Feature History, Cupertino 17.7.1)."""

import pytest

from nornir_catlic.models.state import LicenseState
from nornir_catlic.rules.installation import SlacMethod
from nornir_catlic.tasks.slac import offline_method


@pytest.mark.parametrize(
    ("release", "saves"),
    [
        ("17.6.2", False),  # Bengaluru: SSM's Multiple Devices CSV instead
        ("17.07.01", True),
        ("17.9.1", True),
        (None, True),  # not read: try the save, the device's reply decides
        ("BLD_POLARIS_DEV_LATEST_20211003_004933", True),  # engineering build (corpus): no release to compare
    ],
)
def test_request_file_is_saved_from_cupertino_17_7_1(release: str | None, saves: bool) -> None:
    expected = SlacMethod.FILE_EXCHANGE if saves else SlacMethod.SSM_MULTIPLE_DEVICES
    assert offline_method(LicenseState(host="sw1", release=release)) is expected
