"""Scrape an exporter (over HTTP, or its registry directly) and parse the text with prometheus_client."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample


@dataclass(frozen=True)
class Scrape:
    text: str
    samples: list[Sample]

    def values(self, name: str, **labels: str) -> list[float]:
        """Values of the samples named ``name`` whose labels include ``labels``."""
        return [
            sample.value
            for sample in self.samples
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
        ]

    def value(self, name: str, **labels: str) -> float:
        """The one sample named ``name`` with ``labels``; fails when there is none or more than one."""
        found = self.values(name, **labels)
        assert len(found) == 1, f"{name}{labels}: {len(found)} samples"
        return found[0]

    def label_sets(self, name: str) -> list[dict[str, str]]:
        return [dict(sample.labels) for sample in self.samples if sample.name == name]

    @property
    def names(self) -> set[str]:
        return {sample.name for sample in self.samples}


def parsed(text: str) -> Scrape:
    return Scrape(
        text, [sample for family in text_string_to_metric_families(text) for sample in family.samples]
    )


def scrape(url: str, timeout: float = 10) -> Scrape:
    """GET ``url`` as Prometheus does."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        assert response.status == 200
        return parsed(response.read().decode("utf-8"))


def exposition(registry: CollectorRegistry) -> Scrape:
    """What ``registry`` would serve, without HTTP."""
    return parsed(generate_latest(registry).decode("utf-8"))
