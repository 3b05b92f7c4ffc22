"""Sample-file loading: every format, every malformed input, and a 200 MB stream."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from costmodel.errors import SampleFileError
from costmodel.tokens import samples
from costmodel.tokens.samples import (
    MAX_JSON_BYTES,
    ChatMessage,
    Sample,
    SampleStream,
    read_samples,
)
from costmodel.tokens.tokenizers import get_encoding

FIXTURES = Path(__file__).parent / "fixtures" / "samples"
REPO = Path(__file__).parents[1]
DEMO = REPO / "costmodel" / "demo"


def load(name: str):
    return read_samples(FIXTURES / name)


def error_for(source) -> str:
    with pytest.raises(SampleFileError) as info:
        read_samples(source)
    return str(info.value)


# --- formats -----------------------------------------------------------------


def test_txt_splits_on_separator_lines_with_surrounding_spaces():
    s = load("prompts.txt")
    assert s.format == "txt"
    assert [x.long_prompt for x in s.samples] == [
        "Summarise the customer's complaint in one sentence.\nKeep the tone neutral.",
        'Translate the following note into French:\n"The parcel left our warehouse on Monday."',
        "Write a haiku about overdue invoices.",
    ]
    assert [x.line for x in s.samples] == [1, 4, 7]
    assert s.warnings == ()


def test_txt_without_separator_is_one_prompt_keeping_inner_blank_lines():
    s = load("single.txt")
    assert len(s) == 1
    assert s.samples[0].long_prompt == (
        "You are a careful assistant.\n\nAnswer the question below using only the attached policy."
    )


def test_txt_separator_at_either_end_makes_no_record_but_one_in_the_middle_warns():
    s = read_samples((b"---\nA\n---\n   \n---\nB\n---\n", "x.txt"))
    assert [x.long_prompt for x in s.samples] == ["A", "B"]
    assert s.warnings == ("skipped 1 record(s) with an empty prompt (line 4)",)


def test_csv_with_quoted_newlines_synonyms_and_ignored_column():
    s = load("prompts.csv")
    assert s.format == "csv"
    first, second, third = s.samples
    assert first.long_prompt == (
        "Classify the ticket.\nCategories: billing, login, shipping.\n"
        "Ticket: I was charged twice, please refund one payment."
    )
    assert first.short_prompt == "Classify: I was charged twice"
    assert first.output == '{"category": "billing"}'
    assert second.long_prompt.endswith('The reset link says "expired", again.')
    assert third.short_prompt is None
    assert [x.line for x in s.samples] == [2, 5, 8]
    assert "ignored fields: 'ticket_id'" in s.warnings
    assert "short prompt missing in 1 of 3 records; its statistics cover the other 2" in s.warnings


def test_csv_semicolon_header_and_spaced_column_name():
    s = load("semicolon.csv")
    assert [(x.long_prompt, x.output) for x in s.samples] == [
        ("Bonjour, ma commande est en retard", "shipping"),
        ("Je ne peux pas me connecter", "login"),
    ]


def test_tsv_with_input_and_completion_synonyms():
    s = load("prompts.tsv")
    assert s.format == "tsv"
    assert [(x.long_prompt, x.output) for x in s.samples] == [
        ("Reset my password", "login"),
        ("Refund my order", "billing"),
    ]


def test_csv_with_utf8_byte_order_mark():
    s = load("bom.csv")
    assert s.samples[0].long_prompt == "with a byte-order mark"
    assert s.samples[0].output == "ok"


def test_json_records_object():
    s = load("records.json")
    assert s.format == "json"
    assert s.samples[1] == Sample(
        2, None, "List three risks of fine-tuning.", "Risks?", "Overfitting, cost, drift."
    )


def test_json_list_with_bare_string_and_any_key_case():
    s = load("list.json")
    assert [x.long_prompt for x in s.samples] == [
        "A bare string is a long prompt.",
        "Keys match whatever their case.",
        "Input is a synonym too.",
    ]
    assert s.samples[2].output == "ok"


def test_jsonl_skips_blank_lines_and_keeps_special_token_text():
    s = load("prompts.jsonl")
    assert s.format == "jsonl"
    assert [x.line for x in s.samples] == [1, 3, 4]
    assert [x.record for x in s.samples] == [1, 2, 3]
    assert "<|endoftext|>" in s.samples[2].long_prompt
    assert s.samples[0].output == "4"


def test_chat_records_split_prompt_and_final_assistant_reply():
    s = load("chat.jsonl")
    first, second = s.samples
    assert first.long_prompt == (
        ChatMessage("system", "You label support tickets."),
        ChatMessage("user", "My invoice shows the wrong VAT number."),
    )
    assert first.output == '{"category": "billing"}'
    assert first.short_prompt == (ChatMessage("user", "Label: wrong VAT number"),)
    assert second.long_prompt[1] == ChatMessage("user", "The app crashes on start.", "dana")
    assert second.output is None


def test_bytes_and_filename_read_like_a_path():
    data = (FIXTURES / "prompts.csv").read_bytes()
    assert read_samples((data, "upload.CSV")).samples == load("prompts.csv").samples


def test_stream_reports_position_and_warnings_after_iteration():
    stream = SampleStream(FIXTURES / "empty_prompts.csv")
    assert len(list(stream)) == 2
    assert stream.position == stream.size == (FIXTURES / "empty_prompts.csv").stat().st_size
    assert stream.warnings == ("skipped 2 record(s) with an empty prompt (line 3, line 4)",)


def test_sample_set_is_immutable():
    s = load("prompts.jsonl")
    with pytest.raises(AttributeError):
        s.samples[0].long_prompt = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        s.format = "csv"  # type: ignore[misc]


def test_duplicate_synonyms_warn_which_one_is_used():
    s = read_samples((b'{"prompt": "used", "text": "not used"}\n', "x.jsonl"))
    assert s.samples[0].long_prompt == "used"
    assert s.warnings == ("using 'prompt' as the long prompt; ignoring 'text'",)


def test_output_field_is_optional_and_missing_counts_are_reported():
    s = read_samples((b'{"prompt": "a", "output": "x"}\n{"prompt": "b"}\n', "x.jsonl"))
    assert [x.output for x in s.samples] == ["x", None]
    assert s.warnings == ("output missing in 1 of 2 records; its statistics cover the other 1",)


def test_non_text_message_parts_and_extra_message_fields_are_reported():
    record = {
        "messages": [
            {
                "role": "user",
                "content": [{"type": "text", "text": "see"}, {"type": "image_url"}],
                "tool_call_id": "x",
            }
        ]
    }
    s = read_samples((json.dumps(record).encode(), "x.jsonl"))
    assert s.samples[0].long_prompt == (ChatMessage("user", "see"),)
    assert "1 non-text message part(s) (images, audio…) not counted" in s.warnings
    assert "message fields not counted: 'tool_call_id'" in s.warnings


# --- malformed input ---------------------------------------------------------


def test_binary_file_with_nul_bytes():
    message = error_for((b"prompt\n\x00\x01\x02binary", "data.csv"))
    assert message == (
        "data.csv: looks like a binary file (NUL byte at offset 7), not a text sample file"
    )


def test_nul_byte_after_the_first_block_names_offset_and_line(tmp_path):
    path = tmp_path / "late.jsonl"
    line = b'{"prompt": "' + b"x" * 100 + b'"}\n'
    path.write_bytes(line * 100 + b'{"prompt": "\x00"}\n')
    message = error_for(path)
    assert message == (
        f"late.jsonl: NUL byte at offset {len(line) * 100 + 12} (line 101); the file looks binary"
    )


LINE = b'{"prompt": "' + b"x" * 20 + b'"}\n'  # 35 bytes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # a problem in a later block: named by its own offset and line
        (LINE * 9 + b'{"prompt": "\x00"}\n', "NUL byte at offset 327 (line 10)"),
        (LINE * 9 + b'{"prompt": "\xe9"}\n', "byte 0xE9 at offset 327 (line 10)"),
        # the first problem in a block is the one reported, as line by line
        (LINE * 3 + b"{oops\n" + b'{"prompt": "\x00"}\n', "line 4 is not valid JSON"),
        # a line that outgrows the limit across blocks
        (LINE * 2 + b'{"prompt": "' + b"y" * 300 + b'"}\n', "line 3 is over"),
    ],
)
def test_a_file_read_in_blocks_reports_like_one_read_by_lines(tmp_path, monkeypatch, data, message):
    monkeypatch.setattr(samples, "BLOCK_BYTES", 64)
    monkeypatch.setattr(samples, "MAX_RECORD_CHARS", 200)
    monkeypatch.setattr(samples, "SNIFF_BYTES", 16)  # the first look sees no problem
    path = tmp_path / "blocks.jsonl"
    path.write_bytes(data)
    assert message in error_for(path)


def test_lines_read_in_blocks_are_the_lines_of_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(samples, "BLOCK_BYTES", 7)
    text = 'prompt,output\n"two\nlines",a\n\n"café ☕",b\r\nlast,c'
    path = tmp_path / "blocks.csv"
    path.write_bytes(text.encode())
    got = [(s.line, s.long_prompt, s.output) for s in SampleStream(path)]
    assert got == [(2, "two\nlines", "a"), (5, "café ☕", "b"), (6, "last", "c")]


def test_utf16_file_is_named_as_such():
    data = "prompt\nhello\n".encode("utf-16")
    assert error_for((data, "x.csv")) == "x.csv: is UTF-16 encoded; save it as UTF-8"


def test_broken_json_line_names_the_line():
    assert error_for(FIXTURES / "bad_line.jsonl") == (
        "bad_line.jsonl: line 3 is not valid JSON: Expecting property name enclosed in "
        "double quotes (column 20)"
    )


def test_non_utf8_text_reports_byte_offset_and_does_not_guess():
    assert error_for(FIXTURES / "cp1252.csv") == (
        "cp1252.csv: is not valid UTF-8: byte 0xE9 at offset 17 (line 2); save the file as UTF-8"
    )


def test_non_utf8_json_reports_byte_offset():
    message = error_for((b'["caf\xe9"]', "x.json"))
    assert message == (
        "x.json: is not valid UTF-8: byte 0xE9 at offset 5 (line 1); save the file as UTF-8"
    )


def test_non_utf8_json_names_the_line_of_a_multi_line_file():
    # hand-counted: "[", newline, 2 spaces, '"ok",', newline, 2 spaces, '"caf' is 16 bytes
    message = error_for((b'[\n  "ok",\n  "caf\xe9"\n]', "x.json"))
    assert message == (
        "x.json: is not valid UTF-8: byte 0xE9 at offset 16 (line 3); save the file as UTF-8"
    )


def test_blank_lines_before_the_first_record_are_not_an_empty_file():
    data = b"\n" * 10_000 + b'{"prompt": "late start"}\n'
    s = read_samples((data, "x.jsonl"))
    assert [(x.line, x.long_prompt) for x in s.samples] == [(10_001, "late start")]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ((FIXTURES / "empty.txt"), "empty.txt: the file is empty"),
        ((b"  \n\n ", "x.jsonl"), "x.jsonl: the file is empty"),
        ((b"[]", "x.json"), "x.json: contains no prompts"),
        ((b"prompt,output\n", "x.csv"), "x.csv: has a header row but no data rows"),
    ],
)
def test_empty_inputs(source, message):
    assert error_for(source) == message


def test_csv_without_prompt_column_lists_found_and_accepted_names():
    assert error_for(FIXTURES / "no_prompt_column.csv") == (
        "no_prompt_column.csv: the header has no prompt column; columns found: 'id', "
        "'question', 'answer'; accepted names (any case): long_prompt, prompt, input, text"
    )


def test_json_record_without_prompt_field_names_the_record():
    assert error_for((b'[{"prompt": "ok"}, {"question": "?"}]', "x.json")) == (
        "x.json: record 2 has no prompt field; fields found: 'question'; "
        "accepted names (any case): long_prompt, prompt, input, text, or messages"
    )


def test_number_where_text_expected_names_the_line():
    assert error_for(FIXTURES / "wrong_type.jsonl") == (
        "wrong_type.jsonl: line 2: field 'prompt' must be text, got a number"
    )


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("[1, 2]", "x.jsonl: line 1 should be an object or a string, got a list"),
        (
            '{"output": 3, "prompt": "p"}',
            "x.jsonl: line 1: field 'output' must be text, got a number",
        ),
        (
            '{"messages": "hi"}',
            "x.jsonl: line 1: 'messages' must be a list of messages, got text",
        ),
        (
            '{"messages": [{"role": "robot", "content": "x"}]}',
            "x.jsonl: line 1: messages item 1 has role 'robot'; expected one of "
            "assistant, developer, system, tool, user",
        ),
        (
            '{"messages": [{"role": "user", "content": 5}]}',
            "x.jsonl: line 1: messages item 1: content must be text or a list of parts, "
            "got a number",
        ),
        (
            '{"messages": [{"role": "user", "content": "x"}], "prompt": "y"}',
            "x.jsonl: line 1 has both 'messages' and 'prompt'; keep one of them",
        ),
        (
            '{"messages": [{"role": "user", "content": "x"}, '
            '{"role": "assistant", "content": "y"}], "output": "z"}',
            "x.jsonl: line 1 has both 'output' and a final assistant message; keep one of them",
        ),
    ],
)
def test_wrong_types_and_ambiguous_records(record, message):
    assert error_for((record.encode(), "x.jsonl")) == message


def test_rows_with_empty_prompt_are_skipped_with_counts():
    s = load("empty_prompts.csv")
    assert [x.long_prompt for x in s.samples] == ["first prompt", "last prompt"]
    assert [x.record for x in s.samples] == [1, 4]
    assert s.warnings == ("skipped 2 record(s) with an empty prompt (line 3, line 4)",)


def test_all_prompts_empty_is_an_error_not_an_empty_result():
    assert error_for((b'{"prompt": ""}\n{"prompt": null}\n', "x.jsonl")) == (
        "x.jsonl: contains no prompts (2 records with an empty prompt)"
    )


def test_chat_without_user_content_is_an_empty_prompt():
    data = b'{"messages": [{"role": "assistant", "content": "only a reply"}]}\n{"prompt": "p"}\n'
    s = read_samples((data, "x.jsonl"))
    assert len(s) == 1
    assert s.warnings == ("skipped 1 record(s) with an empty prompt (line 1)",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'prompt\n"never closed\n', "x.csv: line 2 is not valid CSV: unexpected end of data"),
        (b"prompt,output\na,b,c\n", "x.csv: line 2 has 3 fields but the header has 2"),
        (b"prompt,prompt\na,b\n", "x.csv: column 'prompt' appears twice in the header"),
    ],
)
def test_broken_csv(data, message):
    assert error_for((data, "x.csv")).startswith(message)


def test_json_lines_saved_as_json_get_a_hint():
    assert error_for((b'{"prompt": "a"}\n{"prompt": "b"}\n', "x.json")) == (
        "x.json: is not valid JSON: Extra data at line 2, column 1; it looks like one record "
        "per line: name the file .jsonl"
    )


def test_json_top_level_must_hold_records():
    assert error_for((b'{"rows": []}', "x.json")) == (
        'x.json: expected a list of records or an object with a "records" list, got an object'
    )


def test_oversized_json_asks_for_jsonl(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as f:
        f.write(b"[")
        f.truncate(MAX_JSON_BYTES + 6 * 2**20)
    assert error_for(path) == (
        "big.json: 70 MB is over the 64 MB limit for .json files, which are read whole; "
        "save the records as JSON Lines (.jsonl), which is streamed"
    )


def test_unknown_extension_and_missing_file(tmp_path):
    assert error_for((b"x", "sheet.xlsx")) == (
        "sheet.xlsx: unsupported file type ('.xlsx'); use one of .csv, .json, .jsonl, "
        ".ndjson, .tsv, .txt"
    )
    assert error_for(tmp_path / "nope.csv").startswith("nope.csv: no such file")
    assert error_for(tmp_path).startswith(f"{tmp_path.name}: ")


# --- the shipped demo --------------------------------------------------------


def test_demo_prompts_have_every_column_and_a_shared_long_prefix():
    s = read_samples(DEMO / "support_prompts.jsonl")
    assert len(s) >= 200
    assert s.warnings == ()
    assert all(x.short_prompt and x.output for x in s.samples)
    first_ticket = s.samples[0].long_prompt.rsplit("Ticket:\n", 1)
    assert all(x.long_prompt.startswith(first_ticket[0]) for x in s.samples)
    assert all(json.loads(x.output)["category"] for x in s.samples)


def test_demo_training_file_is_valid_chat_fine_tuning_data():
    lines = (DEMO / "support_train.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 250
    for line in lines:
        record = json.loads(line)
        assert list(record) == ["messages"]
        roles = [m["role"] for m in record["messages"]]
        assert roles == ["system", "user", "assistant"]
        assert all(isinstance(m["content"], str) and m["content"] for m in record["messages"])
        json.loads(record["messages"][-1]["content"])
    assert len(read_samples(DEMO / "support_train.jsonl")) == len(lines)


def test_demo_files_are_what_the_generator_writes(tmp_path):
    script = DEMO / "make_demo.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True)
    for name in ("support_prompts.jsonl", "support_train.jsonl"):
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes()


# --- size --------------------------------------------------------------------


@pytest.mark.slow
def test_200_mb_jsonl_is_counted_in_bounded_memory(tmp_path):
    """Streams: peak memory stays far below what holding every record would need.

    Most of each 4.7 KB record is a field the reader parses and leaves out (and
    says so), so the 200 MB pass through the reader costs seconds, not the half
    minute that tokenizing 200 MB of prompts would; how fast prompts are counted
    is measured by benchmarks/, not here.
    """
    path = tmp_path / "big.jsonl"
    prompt = "Where is my parcel? Order 12345 was due last week. " * 6
    line = json.dumps({"prompt": prompt, "ticket_history": "delivered; " * 400})
    line_bytes = len(line) + 1
    records = 200 * 2**20 // line_bytes + 1
    with path.open("w", encoding="utf-8") as f:
        block = (line + "\n") * 100
        for _ in range(records // 100):
            f.write(block)
        f.write((line + "\n") * (records % 100))
    assert path.stat().st_size >= 200 * 2**20
    code = textwrap.dedent(
        f"""
        import json, pathlib, resource
        from costmodel.tokens.stats import token_stats
        stats = token_stats({str(path)!r}, encoding="o200k_base")
        # VmHWM is this process's own peak; ru_maxrss can carry the parent's over exec
        status = pathlib.Path("/proc/self/status")
        hwm = [l for l in status.read_text().splitlines() if l.startswith("VmHWM")]
        peak = (int(hwm[0].split()[1]) if hwm
                else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) // 1024
        print(json.dumps({{"records": stats.records, "total": stats.long.total, "peak": peak,
                          "warnings": list(stats.warnings)}}))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    result = json.loads(done.stdout)
    per_prompt = len(get_encoding("o200k_base").encode_ordinary(json.loads(line)["prompt"]))
    assert result["records"] == records
    assert result["total"] == records * per_prompt
    assert result["warnings"] == ["ignored fields: 'ticket_history'"]
    assert result["peak"] < 300, f"peak RSS {result['peak']} MB for a 200 MB file"


def test_jsonl_tolerates_surrounding_spaces_and_reports_trailing_garbage():
    s = read_samples((b'  {"prompt": "a"}  \r\n', "x.jsonl"))
    assert s.samples[0].long_prompt == "a"
    # Two spaces, 15 characters of JSON, a space: the stray x is in column 19.
    assert error_for((b'  {"prompt": "a"} x\n', "x.jsonl")) == (
        "x.jsonl: line 1 is not valid JSON: Extra data (column 19)"
    )
