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
    "nv": "task", "task": "task", "xem": "task", "chitiet": "task",
    "giahan": "extend", "extend": "extend",
    "chuabaocao": "unreported", "chuabc": "unreported", "unreported": "unreported",
    "camon": "thanks", "thanks": "thanks",
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

# --- questions, small talk, extensions (issue 9) -------------------------------------------

# Words that ask wherever they stand (`bao nhiêu`, `khi nào`, `ai`, `thế nào`). `nao`, `gi`
# and `sao` ask on their own; `đâu` is checked on the original text (`đầu` folds the same).
WH_WORDS = (
    "bao nhieu", "bao nhieu phan tram", "may phan tram", "may ngay", "may hom", "may tuan",
    "may thang", "may lan", "may nguoi", "may don vi", "may viec", "may nv", "may nhiem vu",
    "khi nao", "bao gio", "luc nao",
    "hom nao", "ngay nao", "the nao", "ra sao", "nhu the nao", "nhu nao", "bao lau", "sao",
    "nao", "gi", "ai", "chang", "khong biet", "lieu", "phai khong", "dung khong",
    "what", "whats", "when", "who", "whom", "which", "how", "why", "whether", "where",
)  # fmt: skip
# English auxiliaries that open a yes/no question (`is task 2 finished`).
EN_OPENERS = frozenset({"is", "are", "was", "were", "has", "have", "had", "did", "does", "do",
                        "can", "could", "will", "would", "should"})  # fmt: skip
# Opening words that ask to see something (`cho hỏi`, `xem nv 5`, `thông tin nhiệm vụ 20`).
ASK_OPENERS = (
    "cho hoi", "cho minh hoi", "cho em hoi", "cho toi hoi", "xin hoi", "hoi", "xem",
    "kiem tra", "tra cuu", "thong tin", "chi tiet", "tinh hinh", "show", "check", "details",
    "info", "tell me", "status of", "status",
)  # fmt: skip
# Last words that turn a statement into a yes/no question (`xong chưa`, `quá hạn không`).
FINAL_PARTICLES = frozenset({"chua", "khong", "ko", "k", "kg", "khg", "hok", "ha", "hem",
                             "chang", "yet", "chu"})  # fmt: skip
# Words that may follow the final particle without changing it (`xong chưa vậy anh`).
TAIL_FILLERS = frozenset({"vay", "nhi", "the", "a", "ah", "anh", "chi", "em", "ban", "bot",
                          "nhe", "nha", "oi", "ad", "sep", "ha", "day", "nao"})  # fmt: skip
# Questions about what the unit has not reported on today.
UNREPORTED_WORDS = (
    "chua bao cao", "chua bc", "chua cap nhat", "chua duoc bao cao", "con thieu bao cao",
    "thieu bao cao", "not reported", "not yet reported", "unreported", "havent reported",
    "not report", "still to report", "chua nop bao cao",
)  # fmt: skip
# Counting questions about open work (`còn bao nhiêu việc`, `tổng cộng còn mấy nhiệm vụ`).
COUNT_WORDS = (
    "bao nhieu viec", "bao nhieu nhiem vu", "bao nhieu nv", "may viec", "may nhiem vu",
    "may nv", "how many tasks", "how many",
)  # fmt: skip
# Nouns for work: a period next to one asks what falls due (`việc chủ trì tháng này`).
TASK_NOUNS = ("viec", "nhiem vu", "nv", "cong viec", "task", "tasks", "chu tri", "phoi hop")
EXTEND_WORDS = (
    "gia han", "xin gia han", "de nghi gia han", "lui han", "doi han", "dieu chinh han",
    "dieu chinh thoi han", "keo dai thoi han", "keo dai han", "xin them thoi gian",
    "extend", "extension", "postpone", "more time",
)  # fmt: skip
# Whole messages of thanks or acknowledgement (fillers and these words only).
THANKS_TOKENS = frozenset({
    "cam", "on", "camon", "cm", "cmon", "thank", "thanks", "thankyou", "tks",
    "thx", "ty", "ok", "oke", "okay", "okie", "okela", "oki", "vang", "da", "uh", "um",
    "roi", "duoc", "ro", "nhieu", "lam", "rat", "noted", "got", "it", "great", "good", "tot",
    "tuyet", "hay", "qua", "cool", "nice", "you", "so", "much", "very", "nhe", "nha", "a",
    "bot", "ban", "em", "anh", "chi", "roger", "fine", "dc", "xin",
})  # fmt: skip
# A thanks message must hold at least one of these.
THANKS_CORE = frozenset({"cam", "camon", "cm", "cmon", "thank", "thanks", "thankyou", "tks",
                         "thx", "ty", "ok", "oke", "okay", "okie", "okela", "oki", "vang",
                         "noted", "got", "great", "good", "tot", "tuyet", "cool", "nice",
                         "roger", "fine", "dc", "ro", "duoc", "on"})  # fmt: skip
THANKS_EMOJI = ("👍", "🙏", "❤", "👌", "🙂", "😊", "🌹", "💐")
# Things people ask for that the bot does not do (yet): answered with a plain "not yet".
NOT_YET_WORDS = (
    "nhac toi", "nhac minh", "nhac em", "nhac lai", "hen gio", "dat lich", "dat nhac",
    "remind me", "set a reminder", "tom tat", "tom luoc", "summarize", "summarise", "summary",
    "dich", "translate", "soan thao", "soan giup", "viet giup", "draft", "doc giup",
)  # fmt: skip
# Words that ask to see a task rather than report on it (`hạn của nv 9`, `thông tin nv 3`).
TASK_ATTRIBUTES = (
    "han", "thoi han", "deadline", "due", "chu tri", "phoi hop", "thong tin", "chi tiet",
    "tien do", "tinh hinh", "trang thai", "don vi", "ai", "noi dung", "status", "details",
    "info", "lead", "supports", "progress", "qua han", "tre han", "den han", "het han",
)  # fmt: skip
