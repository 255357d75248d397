"""The `nhacviec` command line, run in-process (and the demo as a real subprocess)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.cli import main

DIRECTIVES = Path(__file__).resolve().parents[1] / "store" / "fixtures" / "directives"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "NHACVIEC_ADMINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    return tmp_path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "việc gì đến hạn tháng này",
            {"intent": "due", "period": {"start": "2025-03-01", "end": "2025-03-31"}},
        ),
        (
            "tuan sau co gi den han",
            {"intent": "due", "period": {"start": "2025-03-17", "end": "2025-03-23"}},
        ),
        ("quá hạn", {"intent": "overdue"}),
        ("nv 3 dat 40%", {"intent": "report", "task_ref": "3", "percent": 40}),
        (
            "what is due in April",
            {"intent": "due", "period": {"start": "2025-04-01", "end": "2025-04-30"}},
        ),
    ],
)
def test_parse_prints_the_intent_as_json(text, expected, capsys):
    assert main(["parse", text, "--today", "2025-03-10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"intent", "period", "task_ref", "percent", "status"}
    for key, value in expected.items():
        assert out[key] == value


def test_import_json_follows_the_schema(env, capsys):
    path = DIRECTIVES / "tb35-tgv-2025.txt"
    assert main(["import", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["directive"]["number"] == "35-TB/TGV"
    assert out["directive"]["issued_on"] == "2025-07-11"
    task = out["tasks"][0]
    for key in ("ref", "title", "lead", "cooperating", "deadline_text", "due", "kind"):
        assert key in task
    assert any(
        t["deadline_text"].startswith("Hoàn thành trước ngày 25/7/2025")
        and t["due"] == "2025-07-24"
        for t in out["tasks"]
    )
    # Phrases that name no unit are reported, not assigned and not offered wrong candidates.
    assert "các cơ quan liên quan" in out["vague"]
    assert out["unresolved"] == []
    # A second import updates, never duplicates.
    assert main(["import", str(path), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["stats"]["created_tasks"] == 0
    assert again["stats"]["updated_tasks"] == len(out["tasks"])


def test_import_dry_run_then_list(env, capsys):
    assert main(["import", str(DIRECTIVES / "qd230-vpcp-2025.txt"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would import 230/QĐ-VPCP")


FLAGGED = """Số hiệu: 12/KH-BCĐ
Ngày ban hành: 01/03/2025
Trích yếu: Kế hoạch triển khai
TT,Tên nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian hoàn thành
1,Rà soát thủ tục hành chính nội bộ,Bộ Công an,Bộ Tài chính,Tháng 4/2025
2,Số hóa hồ sơ lưu trữ,Sở Ngoại vụ Sao Hỏa,,Tháng 5/2025
3,Báo cáo kết quả thực hiện,Bộ Công,,Quý II/2025
"""


def test_import_dry_run_prints_flags_and_a_summary(env, capsys):
    path = env / "kehoach.csv"
    path.write_text(FLAGGED, encoding="utf-8")
    assert main(["import", str(path), "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("would import 12/KH-BCĐ: 3 tasks")
    flagged = {lines[i - 1].split()[0]: line for i, line in enumerate(lines) if "! " in line}
    assert set(flagged) == {"2", "3"}
    assert "unit_unresolved" in flagged["2"] and "unit_ambiguous" in flagged["3"]
    assert "3 tasks, 2 to check" in lines
    assert main(["import", str(path), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"] == {"tasks": 3, "to_check": 2}
    assert [t["flags"] for t in out["tasks"]] == [[], ["unit_unresolved"], ["unit_ambiguous"]]
    assert all(isinstance(t["source"], list) for t in out["tasks"])
    assert out["stats"]["created_tasks"] == 0  # a dry run writes nothing


def test_import_draft_goes_live_only_after_review(env, capsys):
    path = env / "kehoach.csv"
    path.write_text(FLAGGED, encoding="utf-8")
    assert main(["import", str(path), "--draft", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["draft"]["number"] == "12/KH-BCĐ" and out["draft"]["to_check"] == 2
    assert out["stats"]["created_tasks"] == 0
    assert main(["import", str(path), "--draft"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"draft #{out['draft']['id'] + 1} of 12/KH-BCĐ: 3 tasks, 2 to check")
    assert "nothing is live yet" in text
    # An operator's plain import goes live at once.
    assert main(["import", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stats"]["created_tasks"] == 3


def test_import_without_a_number_is_not_refused(env, capsys):
    path = env / "kehoach.csv"
    path.write_text(FLAGGED.replace("Số hiệu: 12/KH-BCĐ\n", ""), encoding="utf-8")
    numbers = set()
    for _round in range(2):
        assert main(["import", str(path), "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["directive"]["numbered"] is False
        numbers.add(out["directive"]["number"])
    assert len(numbers) == 1 and out["stats"]["updated_tasks"] == 3
    assert any("no directive number" in w for w in out["warnings"])


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "empty"), (bytes(range(256)) * 50, "binary"), ("Xin chào.\n".encode(), "no_tasks")],
)
def test_import_bad_files_fail_with_a_clear_message(env, capsys, content, code):
    path = env / "bad.txt"
    path.write_bytes(content)
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "cannot import bad.txt" in err and f"({code})" in err


def test_import_refuses_unsupported_and_missing_files(env, capsys):
    (env / "x.pdf").write_bytes(b"%PDF-1.4")
    assert main(["import", str(env / "x.pdf")]) == 1
    assert main(["import", str(env / "nope.txt")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_invite_prints_a_code(env, capsys):
    assert main(["invite", "--unit", "Bo Cong an", "--role", "head", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["unit"] == "Bộ Công an" and out["role"] == "head" and len(out["code"]) == 8
    assert out["link"] is None  # no Telegram token configured
    assert main(["invite", "--unit", "Bộ Không Tồn Tại Gì Cả"]) == 1


def test_invite_is_audited_like_the_chat_invite(env, capsys):
    assert main(["invite", "--unit", "BCA", "--role", "head", "--json"]) == 0
    code = json.loads(capsys.readouterr().out)["code"]
    assert main(["invite", "--unit", "Bộ Không Tồn Tại Gì Cả"]) == 1
    with closing(sqlite3.connect(env / "cli.sqlite3")) as db:
        rows = db.execute("SELECT actor_id, action, target, detail FROM audit_log").fetchall()
        (created_by,) = db.execute(
            "SELECT created_by FROM invites WHERE code = ?", (code,)
        ).fetchone()
    assert len(rows) == 1  # the unknown unit wrote nothing
    actor, action, target, detail = rows[0]
    assert (actor, action) == (None, "invite") and target.startswith("unit:")
    assert json.loads(detail) == {"role": "head", "via": "cli"}
    assert created_by is None


def test_bad_setting_stops_with_one_line_naming_it(env, capsys, monkeypatch):
    monkeypatch.setenv("NHACVIEC_TIMEZONE", "Mars/Olympus")
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err.strip()
    assert "NHACVIEC_TIMEZONE" in err and "\n" not in err


def test_run_without_a_channel_explains(env, capsys):
    assert main(["run"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def _demo(cwd: Path, script: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main())", "demo"],
        input=script,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_demo_chats_and_persists_reports(tmp_path):
    out = _demo(tmp_path, "tháng này có việc gì đến hạn?\nnv 2 dat 60%\n/quit\n")
    assert "Chủ trì" in out and "quá hạn" in out and "thường xuyên" in out
    assert "Đã nhận báo cáo NV 2 — 60%" in out
    # A second run reuses the database: the report is still there.
    out = _demo(tmp_path, "danh sach\n")
    assert "60%" in out


def test_help_is_in_the_admins_language(env, capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    assert "gửi tới các nhóm theo dõi" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["score", "--help", "--lang", "en"])
    assert "send it to the oversight groups" in capsys.readouterr().out
    monkeypatch.setenv("NHACVIEC_LANG", "en")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "directive task reminders over chat" in capsys.readouterr().out
