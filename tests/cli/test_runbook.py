"""``catlic run BOOK.yaml``: steps in order, per-step filters, failed hosts skipped, file:line errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from catlic_process import CatlicRunner, json_of

from nornir_catlic.cli.runbook import load_runbook
from nornir_catlic.domain import ConnectionMode


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    folder = tmp_path / "inventory"
    folder.mkdir()
    (folder / "hosts.yaml").write_text(
        textwrap.dedent(
            """\
            c9300x-stack: {groups: [campus], data: {needs_change: true}}
            c9500x: {groups: [core], data: {refuses: true}}
            c9200: {groups: [campus]}
            """
        )
    )
    (folder / "groups.yaml").write_text("campus: {}\ncore: {}\n")
    (folder / "defaults.yaml").write_text(
        "hostname: 127.0.0.1\nplatform: cisco_xe\nusername: a\npassword: b\n"
    )
    return folder


def write_book(tmp_path: Path, text: str) -> Path:
    book = tmp_path / "book.yaml"
    book.write_text(textwrap.dedent(text))
    return book


ROLLOUT = """\
    name: Greet, then ask for keys
    steps:
      - name: Greet the campus
        task: cli_sample_tasks:greet
        filter: campus
        args: {words: bonjour}
      - name: Ask every switch
        task: cli_sample_tasks:refuse
      - name: Greet again
        task: cli_sample_tasks:greet
    """


def test_steps_run_in_order_and_a_failed_host_is_skipped_afterwards(
    catlic: CatlicRunner, fleet: Path, tmp_path: Path
) -> None:
    done = catlic("run", str(write_book(tmp_path, ROLLOUT)), "-i", str(fleet))

    assert done.returncode == 1
    out = done.stdout
    assert out.index("STEP 1/3: Greet the campus [task]") < out.index("STEP 2/3: Ask every switch [task]")
    assert out.index("STEP 2/3") < out.index("STEP 3/3: Greet again [task]")
    assert "c9300x-stack : ok=3    changed=2    failed=0" in out
    assert "c9500x       : ok=0    changed=0    failed=1" in out
    assert "skipped=1" in out
    assert "3 hosts      : ok=6    changed=2    failed=1" in out
    assert done.stderr.strip().splitlines() == [
        "c9500x: 'license smart authorization request add hseck9 local' failed: "
        "% Error: ERROR_ALL_COUNTS_IN_USE"
    ]


def test_runbook_json_has_one_entry_per_step(catlic: CatlicRunner, fleet: Path, tmp_path: Path) -> None:
    done = catlic("run", str(write_book(tmp_path, ROLLOUT)), "-i", str(fleet), "--json")

    document = json_of(done)
    assert document["schema"] == "catlic/run/v1"
    assert document["name"] == "Greet, then ask for keys"
    assert [step["name"] for step in document["steps"]] == [
        "Greet the campus",
        "Ask every switch",
        "Greet again",
    ]
    first, _, last = document["steps"]
    assert set(first["hosts"]) == {"c9300x-stack", "c9200"}
    assert first["hosts"]["c9200"]["result"]["words"] == ["bonjour"]
    assert first["line"] == 3
    assert last["hosts"]["c9500x"]["error"] == "skipped: this host failed an earlier step"
    assert document["recap"]["failed_hosts"] == ["c9500x"]
    assert document["recap"]["skipped"] == 1


def test_a_dry_run_book_passes_dry_run_to_every_step(
    catlic: CatlicRunner, fleet: Path, tmp_path: Path
) -> None:
    book = write_book(tmp_path, "dry_run: true\nsteps:\n  - task: cli_sample_tasks:greet\n")

    done = catlic("run", str(book), "-i", str(fleet), "--json")

    assert done.returncode == 0, done.stderr
    assert json_of(done)["dry_run"] is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("steps:\n  - workflow: no-such-flow\n", "book.yaml:2: no workflow 'no-such-flow'"),
        (
            "steps:\n  - workflow: slac-instal\n",
            "book.yaml:2: no workflow 'slac-instal' (did you mean 'slac-install'?",
        ),
        (
            "steps:\n  - task: cli_sample_tasks:greet\n    args: {colour: red}\n",
            "book.yaml:3: step 1 ('task'): colour: not an argument of this task (it takes: words, dry_run)",
        ),
        (
            "steps:\n  - task: cli_sample_tasks:greet\n    filters: campus\n",
            "book.yaml:3: step 1: unknown key 'filters'",
        ),
        (
            "steps:\n  - task: cli_sample_tasks:greet\n    workflow: audit\n",
            "book.yaml:2: step 1: needs exactly one of 'workflow:' or 'task:'",
        ),
        ("steps: []\n", "book.yaml:1: steps: List should have at least 1 item"),
        ("steps:\n  - task: cli_sample_tasks:nothing_here\n", "book.yaml:2: cli_sample_tasks:nothing_here:"),
        (
            "steps:\n  - task: cli_sample_tasks:greet\n    filter: c9300-gone\n",
            "--filter 'c9300-gone': no host or group of that name in the inventory",
        ),
        ("steps:\n  - task: [unclosed\n", "book.yaml:2: not valid YAML"),
        (
            "steps:\n  - workflow: audit\n    args: {warn_days: soon}\n",
            "book.yaml:3: step 1 ('audit'): warn_days: Input should be a valid integer",
        ),
        (
            "steps:\n  - workflow: slac-install\n    args:\n      mode: online\n      wait: -5\n",
            "book.yaml:5: step 1 ('slac-install'): wait: Input should be greater than or equal to 0, not -5",
        ),
        (
            "steps:\n  - workflow: report\n    args: {if_due_within_days: .inf}\n",
            "book.yaml:3: step 1 ('report'): if_due_within_days: inf is not a finite number",
        ),
        (
            "steps:\n  - task: cli_sample_tasks:greet\n  - workflow: boot-level\n"
            "    args: {base: network-essentials, addon: dna-advantage}\n",
            "book.yaml:4: step 2 ('boot-level'): network-essentials with dna-advantage is not a permitted",
        ),
        ("steps:\n  - workflow: boot-level\n", "book.yaml:2: step 1 ('boot-level'): base: missing: the task"),
        (
            "dry_run: true\nsteps:\n  - task: cli_sample_tasks:greet\n    args: {dry_run: false}\n",
            "book.yaml:4: step 1 ('task'): dry_run: false in a dry run",
        ),
        (
            "steps:\n  - workflow: slac-install\n    args: {portal: book.yaml}\n",
            "book.yaml:3: step 1 ('slac-install'): portal: book.yaml is not a folder",
        ),
        (
            "steps:\n  - workflow: stack-add\n    args: {member_serial: FOC1, join: now}\n",
            "book.yaml:3: step 1 ('stack-add'): join: the only join a runbook knows is 'lab', not 'now'",
        ),
        ("steps:\n  - workflow: state\x07\n", "book.yaml: not valid YAML: unacceptable character"),
    ],
)
def test_a_bad_runbook_is_named_with_its_line_before_anything_runs(
    catlic: CatlicRunner, fleet: Path, tmp_path: Path, text: str, expected: str
) -> None:
    done = catlic("run", str(write_book(tmp_path, text)), "-i", str(fleet))

    assert done.returncode == 3
    assert expected in done.stderr
    assert done.stdout == ""


def test_a_step_gets_its_arguments_as_its_task_takes_them(tmp_path: Path) -> None:
    book = write_book(
        tmp_path,
        """\
        steps:
          - workflow: audit
            args: {warn_days: "7", connection: air-gapped}
        """,
    )

    (step,) = load_runbook(book).steps

    assert step.args == {"warn_days": 7, "connection": ConnectionMode.AIR_GAPPED}
