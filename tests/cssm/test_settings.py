"""The client's settings: a YAML file under CATLIC_CSSM_* variables; errors name where, never the secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from nornir_catlic.cssm import CssmConfigError, load_settings
from nornir_catlic.cssm.config import CISCO_LEGACY_TOKEN_URL, CISCO_TOKEN_URL

SECRET = "s3cr3t-value-never-shown"


def test_a_file_with_variables_over_it(tmp_path: Path) -> None:
    path = tmp_path / "cssm.yaml"
    path.write_text(
        "client_id: app\nclient_secret: from-file\nsmart_account: example.com\nvirtual_account: Eg-VA\n"
        "path_prefix: services/api/services/api/smart-accounts-and-licensing\n"
    )
    settings = load_settings(
        path, {"CATLIC_CSSM_CLIENT_SECRET": SECRET, "CATLIC_CSSM_TOKEN_URL": CISCO_LEGACY_TOKEN_URL}
    )
    assert settings.client_secret.get_secret_value() == SECRET
    assert settings.token_url == CISCO_LEGACY_TOKEN_URL
    assert settings.api_url("v2/accounts/poll") == (
        "https://swapi.cisco.com/services/api/services/api/smart-accounts-and-licensing/v2/accounts/poll"
    )
    assert settings.verify_tls is True and settings.ca_bundle is None
    assert SECRET not in repr(settings) and SECRET not in str(settings)


def test_variables_alone_suffice_and_cisco_is_the_default(tmp_path: Path) -> None:
    settings = load_settings(
        None,
        {
            "CATLIC_CSSM_CLIENT_ID": "app",
            "CATLIC_CSSM_CLIENT_SECRET": SECRET,
            "CATLIC_CSSM_SMART_ACCOUNT": "Eg-SA",
            "CATLIC_CSSM_VIRTUAL_ACCOUNT": "Eg-VA",
            "CATLIC_CSSM_BATCH_SIZE": "200",
            "OTHER": "ignored",
        },
    )
    assert settings.token_url == CISCO_TOKEN_URL and settings.batch_size == 200


def test_errors_name_the_file_key_or_variable_and_never_the_value(tmp_path: Path) -> None:
    path = tmp_path / "cssm.yaml"
    path.write_text(f"client_id: app\nclient_secret: {SECRET}\nsmart_acount: typo\n")
    with pytest.raises(CssmConfigError) as wrong:
        load_settings(path, {"CATLIC_CSSM_TIMEOUT": "soon"})
    message = str(wrong.value)
    assert f"{path}: smart_acount: Extra inputs are not permitted" in message
    assert "environment variable CATLIC_CSSM_TIMEOUT" in message
    assert "smart_account (in a file or CATLIC_CSSM_SMART_ACCOUNT): Field required" in message
    assert SECRET not in message and "soon" not in message
    path.write_text("- a list\n")
    with pytest.raises(CssmConfigError, match="must be a mapping"):
        load_settings(path, {})
