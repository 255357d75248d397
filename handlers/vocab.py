"""Keyword tables for intent parsing, all folded (lower case, no diacritics).

Kept apart from the parser so that adding a phrase officials use never touches the logic.
Phrases are space-separated tokens; the parser also accepts each phrase written without spaces
(`baocao`, `denhan`) and with one typo per token (`den hna`).
"""

from __future__ import annotations

# Slash commands (folded, without the slash) → intent value. Vietnamese aliases are written
# without spaces because Telegram commands cannot contain them.
COMMANDS: dict[str, str] = {
    "start": "start", "batdau": "start", "dangky": "start",
    "help": "help", "giup": "help", "trogiup": "help", "huongdan": "help", "menu": "help",
    "due": "due", "denhan": "due", "han": "due", "deadline": "due", "sapdenhan": "due",
    "overdue": "overdue", "quahan": "overdue", "trehan": "overdue",
    "list": "list", "ds": "list", "danhsach": "list", "tasks": "list", "nhiemvu": "list",
    "report": "report", "baocao": "report", "bc": "report", "capnhat": "report",
    "score": "score", "diem": "score", "xephang": "score", "bxh": "score", "rank": "score",
    "lang": "lang", "language": "lang", "ngonngu": "lang",
    "me": "me", "toi": "me", "whoami": "me", "thongtin": "me",
    "cancel": "cancel", "huy": "cancel", "huybo": "cancel",
    "undo": "undo", "hoantac": "undo",
    "import": "import", "nhap": "import",
    "broadcast": "broadcast", "thongbao": "broadcast",
    "invite": "invite", "moi": "invite", "mamoi": "invite",
    "link": "link", "lienket": "link", "ketnoi": "link",
}  # fmt: skip

OVERDUE_WORDS = (
    "qua han", "tre han", "tre hen", "bi tre", "cham tien do", "overdue", "past due",
    "late", "delayed", "behind schedule",
)  # fmt: skip
DUE_WORDS = (
    "den han", "sap den han", "toi han", "het han", "sap het han", "han chot", "han nop",
    "thoi han", "han", "phai nop", "can nop", "phai lam", "can lam", "phai xong",
    "due", "deadline", "deadlines", "upcoming", "coming up",
)  # fmt: skip
SCORE_WORDS = (
    "diem", "diem so", "cham diem", "xep hang", "bang xep hang", "bxh", "thi dua",
    "score", "scores", "scoreboard", "ranking", "rank", "leaderboard",
)  # fmt: skip
LIST_WORDS = (
    "danh sach", "ds", "liet ke", "viec cua toi", "nhiem vu cua toi", "nv cua toi",
    "cong viec cua toi", "viec cua don vi", "nhiem vu cua don vi", "nv cua don vi",
    "viec duoc giao", "nhiem vu duoc giao", "viec da hoan thanh", "viec da xong", "tat ca",
    "list", "my tasks", "tasks", "all tasks", "completed tasks",
)  # fmt: skip
REPORT_WORDS = ("bao cao", "bc", "cap nhat", "report", "update")
DONE_WORDS = (
    "xong", "da xong", "xong roi", "da xong roi", "hoan thanh", "da hoan thanh", "ht",
    "hoan thanh roi", "da hoan thanh roi", "done", "finished", "finish", "completed", "complete",
)  # fmt: skip
PROGRESS_WORDS = ("dang thuc hien", "dang lam", "dang trien khai", "in progress", "working on")
# A negation right before a done word turns it into "not done yet" (`chưa xong`, `ko xong`).
NEGATIONS = frozenset({"chua", "khong", "ko", "k", "kg", "hok", "not", "chang", "yet"})

# Questions about tasks: with a period they ask what falls due in it (`quý 3 có việc gì`).
QUESTION_WORDS = (
    "co gi", "viec gi", "nv gi", "nhiem vu gi", "viec nao", "nv nao", "nhiem vu nao",
    "gi khong", "co viec", "what", "which", "anything", "any tasks",
)  # fmt: skip
# The subset that asks about tasks even without a period (`có việc gì không`).
TASK_QUESTION_WORDS = ("viec gi", "nv gi", "nhiem vu gi", "viec nao", "nv nao", "nhiem vu nao")

HELP_WORDS = (
    "giup", "giup do", "tro giup", "huong dan", "cach dung", "su dung", "menu", "lenh",
    "help", "commands", "how to use",
)  # fmt: skip
GREETINGS = (
    "xin chao", "chao", "alo", "hi", "hello", "hey", "helo", "good morning", "good afternoon",
)  # fmt: skip
CANCEL_WORDS = ("huy", "huy bo", "thoi", "cancel", "stop", "abort")
UNDO_WORDS = ("hoan tac", "hoan lai", "phuc hoi", "undo")
ME_WORDS = (
    "toi la ai", "thong tin cua toi", "thong tin ca nhan", "tai khoan", "tai khoan cua toi",
    "ho so", "who am i", "whoami", "my profile", "my account", "my info",
)  # fmt: skip
START_WORDS = ("bat dau", "start", "get started")
LANG_WORDS: dict[str, str] = {
    "tieng anh": "en", "english": "en", "en": "en", "eng": "en",
    "tieng viet": "vi", "vietnamese": "vi", "vi": "vi", "vn": "vi",
    "ngon ngu": "", "doi ngon ngu": "", "language": "", "change language": "",
}  # fmt: skip

# Politeness and pronouns that do not change what a short message asks for
# (`hủy đi`, `giúp tôi với`, `cancel please`).
FILLERS = frozenset({
    "a", "ah", "ban", "bot", "oi", "nhe", "nha", "nhi", "di", "voi", "em", "anh", "chi", "minh",
    "toi", "cho", "giup", "please", "pls", "plz", "the", "ok", "vay", "ha",
})  # fmt: skip

# Real words one edit away from a keyword token: `cho` (báo cho) is not a typo of `cao`,
# `hang`/`hon` are not `han`.
NOT_TYPOS = frozenset({"cho", "hon", "hay", "hang", "hanh", "chan", "than", "nay", "sao"})

# For UNKNOWN: phrases that stand for each user-facing intent when ranking suggestions.
SUGGEST: dict[str, tuple[str, ...]] = {
    "due": ("den han", "viec gi den han", "han nop", "due", "deadline", "what is due"),
    "overdue": ("qua han", "viec qua han", "tre han", "overdue"),
    "report": ("bao cao", "bc nv", "cap nhat tien do", "xong", "hoan thanh", "report", "done"),
    "list": ("danh sach", "danh sach nhiem vu", "viec cua toi", "list", "my tasks"),
    "score": ("diem", "xep hang", "bang xep hang", "score", "ranking"),
    "help": ("giup", "huong dan", "tro giup", "help"),
    "me": ("toi la ai", "thong tin cua toi", "who am i"),
    "cancel": ("huy", "cancel"),
    "undo": ("hoan tac", "undo"),
}
