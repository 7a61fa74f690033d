"""Our TextFSM runtime against textfsm's own ``ParseText``: the same records (or error) for every input.

Every template in ``textfsm_templates/`` runs over every capture we hold (guide examples, facts variants,
syslog samples, real device captures), then small templates exercise each value option and rule action.
"""

from __future__ import annotations

import io
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
import textfsm
from parsing_cases import CORPUS_DIR

from nornir_catlic.parsers.engine import TemplateEngine
from textfsm_templates import TEMPLATES_DIR

REPO = Path(__file__).resolve().parents[2]
CAPTURES = sorted(
    {path for path in (REPO / "tests" / "parsing").rglob("*.raw")}
    | {path for path in CORPUS_DIR.glob("*/*") if path.is_file()}
)
TEMPLATES = sorted(TEMPLATES_DIR.glob("*.textfsm"))


def textfsm_result(template: str, text: str, eof: bool = True) -> Any:
    """textfsm's records, or its error message."""
    try:
        return textfsm.TextFSM(io.StringIO(template)).ParseText(text, eof=eof)
    except textfsm.TextFSMError as error:
        return ("TextFSMError", str(error))


def engine_result(template: str, text: str, eof: bool = True) -> Any:
    try:
        return TemplateEngine(textfsm.TextFSM(io.StringIO(template))).parse_rows(text, eof=eof)
    except textfsm.TextFSMError as error:
        return ("TextFSMError", str(error))


def same_as_textfsm(template: str, text: str, eof: bool = True) -> Any:
    """The engine's result, after checking it equals textfsm's."""
    template = textwrap.dedent(template).lstrip("\n")
    text = textwrap.dedent(text).lstrip("\n")
    expected = textfsm_result(template, text, eof)
    assert engine_result(template, text, eof) == expected
    return expected


def test_the_differential_set_is_not_empty() -> None:
    assert len(TEMPLATES) >= 15
    assert len(CAPTURES) >= 80


@pytest.mark.parametrize("template_path", TEMPLATES, ids=lambda path: path.stem)
def test_every_capture_gives_textfsm_records(template_path: Path) -> None:
    template = template_path.read_text()
    engine = TemplateEngine(textfsm.TextFSM(io.StringIO(template)))
    fsm = textfsm.TextFSM(io.StringIO(template))
    differing = []
    for capture in CAPTURES:
        text = capture.read_text(errors="replace")
        fsm.Reset()
        if engine.parse_rows(text) != fsm.ParseText(text):
            differing.append(capture.relative_to(REPO.parent))
    assert differing == []


def test_filldown_survives_record_and_clear_but_not_clearall() -> None:
    records = same_as_textfsm(
        r"""
        Value Filldown CHASSIS (\S+)
        Value PORT (\S+)

        Start
          ^Chassis ${CHASSIS}
          ^Port ${PORT} -> Record
          ^Reset -> Clearall
          ^Drop -> Clear
        """,
        """
        Chassis C9300
        Port Gi1/0/1
        Port Gi1/0/2
        Drop
        Port Gi1/0/3
        Reset
        Port Gi1/0/4
        """,
    )
    assert records == [
        ["C9300", "Gi1/0/1"],
        ["C9300", "Gi1/0/2"],
        ["C9300", "Gi1/0/3"],
        ["", "Gi1/0/4"],
    ]


def test_fillup_copies_up_until_a_record_has_the_value() -> None:
    records = same_as_textfsm(
        r"""
        Value Fillup SWITCH (\d+)
        Value PORT (\S+)

        Start
          ^Port ${PORT} -> Record
          ^Switch ${SWITCH} -> Record
        """,
        """
        Port 1
        Switch 1
        Port 2
        Port 3
        Switch 2
        """,
    )
    assert records == [["1", "1"], ["1", ""], ["2", "2"], ["2", "3"], ["2", ""]]


def test_required_drops_records_and_list_order_decides_what_it_checks() -> None:
    """``Required,List`` checks the last string assigned, ``List,Required`` the collected list."""
    results = {}
    for options in ("Required,List", "List,Required"):
        results[options] = same_as_textfsm(
            rf"""
            Value Required NAME (\S+)
            Value {options} TAGS (\S+)
            Value Filldown SITE (\S+)

            Start
              ^Site ${{SITE}}
              ^Name ${{NAME}}
              ^Tag(?: ${{TAGS}})?$$
              ^Tagless -> Clear
              ^End -> Record
            """,
            """
            Site lab
            Name a
            Tag x
            Tag y
            End
            Name b
            End
            Tag z
            Tagless
            Tag w
            Name c
            Tag
            End
            """,
        )
    assert results["Required,List"] == [["a", ["x", "y"], "lab"]]
    assert results["List,Required"] == [["a", ["x", "y"], "lab"], ["c", ["w", None], "lab"]]


def test_list_values_collect_strings_or_nested_group_dicts() -> None:
    records = same_as_textfsm(
        r"""
        Value List MEMBERS ((?P<number>\d+):(?P<pid>\S+))
        Value List NOTES (\S.*)
        Value Filldown,List STACK (\S+)

        Start
          ^Stack ${STACK}
          ^Member ${MEMBERS}
          ^Note ${NOTES}
          ^-- -> Record
        """,
        """
        Stack one
        Member 1:C9300-48P
        Member 2:C9300-24T
        Note first stack
        --
        Stack two
        Member 3:C9300X-12Y
        --
        """,
    )
    assert records[0][0] == [{"number": "1", "pid": "C9300-48P"}, {"number": "2", "pid": "C9300-24T"}]
    assert records[1][2] == ["one", "two"]


def test_key_option_changes_nothing() -> None:
    same_as_textfsm(
        r"""
        Value Key SN (\S+)
        Value PID (\S+)

        Start
          ^SN ${SN} PID ${PID} -> Record
        """,
        """
        SN FOC1 PID C9300
        SN FOC2 PID C9400
        """,
    )


def test_continue_record_then_the_next_rules_see_the_same_line() -> None:
    records = same_as_textfsm(
        r"""
        Value ROLE (\w+)
        Value PID (\S+)
        Value SN (\S+)

        Start
          ^\w+: PID -> Continue.Record
          ^${ROLE}: -> Continue
          ^.*PID:${PID} -> Continue
          ^.*SN:${SN}
        """,
        """
        Active: PID:C9300 SN:FOC1
        Standby: PID:C9300 SN:FOC2
        Member: PID:C9400
        """,
    )
    assert records == [["Active", "C9300", "FOC1"], ["Standby", "C9300", "FOC2"], ["Member", "C9400", ""]]


def test_error_raises_textfsms_message_with_or_without_text() -> None:
    template = r"""
        Value NAME (\S+)

        Start
          ^Name ${NAME} -> Record
          ^Broken -> Error "unexpected line"
          ^Bad -> Error.Record
        """
    assert same_as_textfsm(template, "Name a\nBroken here\n") == (
        "TextFSMError",
        'Error: "unexpected line". Rule Line: 5. Input Line: Broken here.',
    )
    assert same_as_textfsm(template, "Name a\nBad\n")[0] == "TextFSMError"


def test_state_changes_end_and_eof() -> None:
    template = r"""
        Value Filldown SECTION (\w+)
        Value ITEM (\S+)

        Start
          ^Section ${SECTION} -> Items
          ^Stop -> End
          ^Finish -> EOF

        Items
          ^  ${ITEM} -> Record
          ^Done -> Start
        """
    text = """
        Section a
          1
        Done
        Section b
          2
        {last}
          3
        """
    for last in ("Stop", "Finish", "Done"):
        same_as_textfsm(template, text.format(last=last))
    # Reaching End skips the implicit last record; EOF (undeclared) keeps it.
    assert same_as_textfsm(template, "Section a\nDone\nStop\n") == []
    assert same_as_textfsm(template, "Section a\nDone\nFinish\n") == [["a", ""]]


def test_a_declared_eof_state_suppresses_the_implicit_record() -> None:
    records = same_as_textfsm(
        r"""
        Value NAME (\S+)

        Start
          ^Name ${NAME}

        EOF
        """,
        "Name a\n",
    )
    assert records == []


def test_without_eof_there_is_no_implicit_record() -> None:
    template = "Value NAME (\\S+)\n\nStart\n  ^Name ${NAME}\n"
    assert same_as_textfsm(template, "Name a\n", eof=False) == []
    assert same_as_textfsm(template, "Name a\n") == [["a"]]


def test_a_group_outside_the_match_assigns_none_and_resets_filldown() -> None:
    records = same_as_textfsm(
        r"""
        Value Filldown RESULT (\w+)
        Value Filldown DATE (\S+)
        Value EVENT (\w+)

        Start
          ^Attempt ${RESULT}(?: on ${DATE})?$$
          ^Event ${EVENT} -> Record
        """,
        """
        Attempt SUCCEEDED on 2024-01-02
        Event one
        Attempt FAILED
        Event two
        """,
    )
    assert records == [["SUCCEEDED", "2024-01-02", "one"], ["FAILED", "", "two"], ["FAILED", "", ""]]


def test_an_all_empty_record_is_not_added_but_an_empty_string_is_a_value() -> None:
    records = same_as_textfsm(
        r"""
        Value NAME (\S*)
        Value List NOTES (\S+)

        Start
          ^Name:${NAME}$$ -> Record
          ^Nothing -> Record
        """,
        """
        Nothing
        Name:
        Nothing
        """,
    )
    assert records == [["", []]]


def test_rules_that_cannot_share_a_regex_keep_their_meaning() -> None:
    """Numeric backreferences and conditional groups make a rule stand alone; classes and escapes do not."""
    records = same_as_textfsm(
        r"""
        Value WORD (\w+)
        Value PAIR (\w)
        Value QUOTED (\w+)
        Value OTHER (.*)

        Start
          ^(?i:shout) ${WORD} -> Record
          ^(\w)\1 ${PAIR} -> Record
          ^(<)?${QUOTED}(?(1)>)$$ -> Record
          ^[(?P<x>)\]]+ ${OTHER} -> Record
          ^(?P<unrelated>\w+)\(${OTHER}\) -> Record
        """,
        """
        SHOUT loud
        aa b
        <tag>
        plain
        (]) brackets
        call(args)
        """,
    )
    assert records == [
        ["loud", "", "", ""],
        ["", "b", "", ""],
        ["", "", "tag", ""],
        ["", "", "plain", ""],
        ["", "", "", "brackets"],
        ["", "", "", "args"],
    ]


def test_empty_text_gives_no_records() -> None:
    assert same_as_textfsm("Value NAME (\\S+)\n\nStart\n  ^${NAME}\n", "") == []


def test_one_engine_serves_threads_at_once() -> None:
    template = (TEMPLATES_DIR / "cisco_xe_show_license_summary.textfsm").read_text()
    engine = TemplateEngine(textfsm.TextFSM(io.StringIO(template)))
    texts = [path.read_text() for path in CAPTURES if path.parent.name == "show_license_summary"]
    expected = [textfsm_result(template, text) for text in texts]
    failures: list[int] = []

    def worker() -> None:
        for _ in range(20):
            if [engine.parse_rows(text) for text in texts] != expected:
                failures.append(1)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert texts and failures == []


def test_a_template_with_options_textfsm_does_not_ship_is_refused() -> None:
    class Options(textfsm.TextFSMOptions):
        class Upper(textfsm.TextFSMOptions.OptionBase):
            def OnAssignVar(self) -> None:
                self.value.value = self.value.value.upper()

    template = "Value Upper NAME (\\S+)\n\nStart\n  ^${NAME} -> Record\n"
    fsm = textfsm.TextFSM(io.StringIO(template), options_class=Options)
    with pytest.raises(ValueError, match="option Upper is not textfsm's own"):
        TemplateEngine(fsm)
