"""The demo shows the pushes: `/nhac` delivers the 16:00 reminder to the console through the
outbox; the banner is Vietnamese; `--unit` takes a unit name. Also `nhacviec parse --json`
prints the new intents with their slots."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main())"]


def _demo(cwd: Path, script: str, *args: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [*CLI, "demo", *args],
        input=script,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_demo_delivers_the_reminder_and_numbers_its_choices(tmp_path):
    out = _demo(
        tmp_path,
        "nv 2 xong chưa?\n/nhac\n1\n/quit\n",
        "--unit",
        "Cục Kiểm soát thủ tục hành chính",
    )
    assert "Anh/chị là cán bộ của Cục Kiểm soát thủ tục hành chính" in out  # Vietnamese banner
    assert "NV 2 ·" in out and "Đã nhận" not in out  # a question, answered with the card
    assert "Nhắc báo cáo tiến độ hôm nay" in out  # the reminder, through the outbox
    # "1" presses the reminder's first numbered choice (read back from the delivered row).
    assert "Tiến độ đến đâu?" in out


def test_demo_refuses_an_unknown_unit(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [*CLI, "demo", "--unit", "Bộ Không Tồn Tại Xyz"],
        input="",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 1 and "Bộ Không Tồn Tại Xyz" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nv 1 xong chưa?", {"intent": "task", "task_ref": "1", "percent": None}),
        ("nhiệm vụ nào chưa báo cáo hôm nay", {"intent": "unreported", "task_ref": None}),
        ("cảm ơn", {"intent": "thanks"}),
        (
            "xin gia hạn NV 7 đến 15/1/2026 vì chờ số liệu",
            {
                "intent": "extend",
                "task_ref": "7",
                "period": {"start": "2026-01-15", "end": "2026-01-15"},
                "reason": "chờ số liệu",
            },
        ),
        (
            "tháng 4 có việc gì",
            {"intent": "due", "period": {"start": "2026-04-01", "end": "2026-04-30"}},
        ),
        (
            "nv 2 và nv 7 đều đạt 80%",
            {"intent": "report", "task_refs": ["2", "7"], "percent": 80},
        ),
    ],
)
def test_parse_json_prints_the_new_intents_with_their_slots(text, expected, capsys):
    assert main(["parse", text, "--today", "2025-12-07", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {k: data.get(k) for k in expected} == expected
    assert {"intent", "period", "task_ref", "percent", "status"} <= set(data)
