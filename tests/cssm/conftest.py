"""The lab's SSM served as Cisco's API over HTTPS on a free port, and a client trusting the lab's CA."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from lab.rig import Rig, guide_time

from nornir_catlic.cssm import CssmClient, CssmSettings
from virtual_devices.cssm_api import ApiCredentials, CssmApiService
from virtual_devices.lab_tls import lab_tls
from virtual_devices.loop_thread import LoopThread


@dataclass
class Api:
    service: CssmApiService
    loop: LoopThread
    rig: Rig
    sleeps: list[float] = field(default_factory=list)

    def faults(self, **changes: Any) -> None:
        self.loop.call(self.service.faults.update, changes)

    def settings(self, **overrides: Any) -> CssmSettings:
        url = self.service.url
        values: dict[str, Any] = {
            "client_id": self.service.credentials.client_id,
            "client_secret": self.service.credentials.client_secret,
            "smart_account": "Eg-SA",
            "virtual_account": "Eg-VA",
            "token_url": url + "/oauth2/default/v1/token",
            "base_url": url,
            "ca_bundle": self.service.tls.ca_bundle if self.service.tls else None,
            "retries": 4,
            "max_backoff": 0.5,
            "poll_deadline": 30,
        }
        values.update(overrides)
        return CssmSettings.model_validate(values)

    def client(self, **overrides: Any) -> CssmClient:
        def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)
            import time

            time.sleep(seconds)

        return CssmClient(self.settings(**overrides), sleep=sleep)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    rig = Rig(tmp_path, guide_time(2021, 12, 3, 18, 34, 3), pools=10)
    loop = LoopThread("cssm-api-test")
    loop.start()
    service = CssmApiService(rig.ssm, ApiCredentials.generate(), tls=lab_tls(tmp_path / "tls"))
    loop.run(service.start(), timeout=30)
    try:
        yield Api(service, loop, rig)
    finally:
        loop.run(service.stop(), timeout=30)
        loop.stop()
