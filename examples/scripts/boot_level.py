"""Move the C9200 to Network Advantage + DNA Advantage: a dry run by default, --apply to change and save.

python examples/scripts/boot_level.py            # shows the commands
python examples/scripts/boot_level.py --apply    # sends them; the level runs after the next reload
"""

from __future__ import annotations

import sys

from lab_inventory import lab_nornir

from nornir_catlic.tasks.boot_level import catlic_set_boot_level


def main() -> int:
    apply = "--apply" in sys.argv[1:]
    nr = lab_nornir(dry_run=not apply).filter(name="c9200")
    results = nr.run(task=catlic_set_boot_level, base="network-advantage", addon="dna-advantage")
    for host, multi in results.items():
        if multi.failed:
            print(f"{host}: FAILED {multi[0].exception}")
            continue
        result = multi[0]
        verdict = ("changed" if apply else "would change") if result.changed else "already set"
        print(f"{host}: {verdict}")
        if result.diff:
            print(result.diff)
    return 1 if results.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
