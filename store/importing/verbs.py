"""The work verbs of the genre: the words that end a subject and open what it must do.

Directives write a performer, then its work: ``Sở Y tế giám sát ...``, ``Công an tỉnh giữ
vững ...``. The core verbs are the ones assignments open with most (``chủ trì``, ``triển
khai``, ``rà soát``); the wider lexicon adds the action verbs of administrative work in
general -- supporting, drawing up, inspecting, moving, paying, training, publishing, keeping
order -- so that a performer is found whatever its work is. A verb that is also a noun inside
unit names (``cơ quan quản lý``, ``cơ sở đào tạo``) is guarded by the words it follows as a
noun (`NOUN_GUARD`). Verbs are matched case-sensitively: ``Ban Quản lý``, ``Bộ ... Đào tạo``
are names, ``quản lý``, ``đào tạo`` are work.
"""

from __future__ import annotations

import re

#: Verbs the reader has always known to open a task (``Bộ X chủ trì ...``, ``Rà soát ...``).
CORE_VERBS = (
    "chủ trì", "phối hợp", "khẩn trương", "chủ động", "bảo đảm", "đảm bảo", "tập trung",
    "nghiêm túc", "tổ chức", "rà soát", "nghiên cứu", "tham mưu", "chỉ đạo", "triển khai",
    "xây dựng", "hoàn thành", "hoàn thiện", "thực hiện", "lựa chọn", "được giao", "tiếp tục",
    "đẩy mạnh", "đẩy nhanh", "ban hành", "báo cáo", "tổng hợp", "cập nhật", "bố trí",
    "hướng dẫn", "theo dõi", "đôn đốc", "kiểm tra", "có trách nhiệm", "cần", "phải", "sớm",
    "duy trì", "quán triệt", "đề xuất", "khắc phục", "cung cấp", "thống nhất", "ưu tiên",
    "tăng cường", "phê duyệt", "nâng cấp", "vận hành", "phát động", "thành lập", "số hóa",
    "tiến hành", "đánh giá", "chuẩn bị", "trình Chính phủ", "trình Thủ tướng", "trình cấp",
    "làm việc", "xem xét", "xử lý", "giải quyết", "giám sát", "bổ sung", "sửa đổi",
    "phân bổ", "tham gia", "tuyên truyền", "tiếp thu", "hoàn chỉnh", "thẩm định", "kiểm soát",
    "ứng phó", "điều chỉnh", "chịu trách nhiệm", "sẵn sàng", "làm đầu mối", "là đầu mối",
    "là cơ quan", "là đơn vị", "công bố", "gửi", "tiếp nhận", "phổ biến", "vận động", "huy động",
    "tổ chức thực hiện", "quyết liệt", "kịp thời", "thường xuyên", "phát huy",
    "tích cực", "nắm chắc", "nắm bắt", "quan tâm", "chỉ đạo", "căn cứ", "khắc phục",
    "nâng cao", "phấn đấu", "đổi mới", "kiên quyết", "định kỳ", "sẽ", "hằng năm", "hàng năm",
    "hằng quý", "hàng quý", "hằng tháng", "hàng tháng", "thống kê", "lựa chọn", "cử",
    "cụ thể hóa", "cụ thể hoá", "bám sát", "trực tiếp chỉ đạo", "trực tiếp phụ trách", "xuất cấp",
)  # fmt: skip
#: Action verbs of administrative work beyond the core (supporting, drawing up, inspecting,
#: moving, paying, training, publishing, keeping order).
WIDER_VERBS = (
    "hỗ trợ", "thiết lập", "trình UBND", "trình Ủy ban", "trình Uỷ ban", "trình Hội đồng",
    "trình Ban", "trình Bộ", "sắp xếp", "kiện toàn", "thu hồi", "ngăn chặn", "xác minh",
    "lồng ghép", "nghiêm cấm", "không để", "giữ vững", "giữ", "mở", "cảnh báo",
    "di dời", "sơ tán", "bảo vệ", "hoàn tất", "giải ngân", "thanh toán", "quyết toán",
    "mua sắm", "sửa chữa", "khôi phục", "khảo sát", "quản lý", "sơ kết", "tổng kết",
    "đăng ký", "áp dụng", "ứng dụng", "chấn chỉnh", "xử phạt", "tháo gỡ", "tập huấn",
    "bồi dưỡng", "đào tạo", "chi trả", "chú trọng", "kết nối", "tích hợp",
    "chia sẻ", "công khai", "thu thập", "soạn thảo", "biên soạn", "phát hành", "thi hành",
    "chấp hành", "tuân thủ", "kiến nghị", "trao đổi", "kiểm kê", "nghiệm thu", "thi công",
    "cắt giảm", "rút ngắn", "chuyển giao", "đình chỉ", "tạm dừng", "rút kinh nghiệm",
    "kiểm điểm", "phục vụ", "tuần tra", "phòng ngừa", "đấu tranh", "ngăn ngừa",
    "điều động", "điều phối", "điều hành", "vận chuyển", "làm rõ", "phân công", "phân loại",
    "phân tích", "thẩm tra", "lấy ý kiến", "góp ý", "trả lời", "giải trình", "đối chiếu",
    "hoàn trả", "bàn bạc", "đưa tin", "dự trữ", "tạo điều kiện", "chăm lo", "thăm hỏi",
    "động viên", "khen thưởng", "xét duyệt", "cấp phát", "cấp phép", "chỉ huy", "theo sát",
    "lãnh đạo", "quyết định", "liên hệ", "tiến hành", "dự họp", "dự hội nghị", "dự Hội nghị",
    # data entry and filing: "các bộ, tỉnh nhập dữ liệu", "các chủ đầu tư lập và trình ..."
    "nhập dữ liệu", "nhập thông tin", "đăng nhập", "liệt kê", "lập", "họp",
    # "Bộ Nội vụ giúp Ban Thường vụ Đảng ủy Chính phủ tổng hợp ...": the helper performs
    "giúp",
)  # fmt: skip

#: Verbs the subject reader knows: the core and the wider lexicon.
TASK_VERBS = tuple(dict.fromkeys(CORE_VERBS + WIDER_VERBS))
#: Verbs that report or react rather than give work (``vừa``, ``nhất trí``).
NOT_TASK = (
    "vừa", "đã", "đưa ra", "xác định", "trân trọng", "nêu rõ", "nhấn mạnh", "ghi nhận",
    "đánh giá cao", "được quyền", "kết luận", "biểu dương", "thông báo", "nhất trí",
    "cơ bản nhất trí", "đồng ý", "hoan nghênh", "cơ bản đồng ý", "ghi nhận", "lưu ý",
)  # fmt: skip
#: Verbs that hand the work to the unit after them.
DELEGATE = ("giao", "yêu cầu", "đề nghị")
#: Words that end a list of units without being a verb.
STOPS = (
    "trên cơ sở", "để", "nhằm", "trong", "theo", "tại", "về", "đối với", "khi", "có cơ chế",
    "thông qua", "với sự",
)  # fmt: skip


#: Verbs that are nouns after some words: "cơ quan, tổ chức", "các cơ quan tham mưu",
#: "cơ quan quản lý", "cơ sở đào tạo", "các Nhóm công tác hỗ trợ".
NOUN_GUARD = {
    "thường xuyên": "(?<!dục )",  # "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên"
    "giám sát": "(?<!sự )(?<!được )",  # "các cơ quan chịu sự giám sát"
    "kiểm tra": "(?<!được )",  # "các cơ quan, đơn vị được kiểm tra": the inspected
    "hỗ trợ": "(?<!tác )(?<!tổ )(?<!nhóm )(?<!quỹ )(?<!Quỹ )",
    "quyết định": "(?<!theo )(?<!tại )(?<!các )(?<!và )(?<!hành )",
    "lãnh đạo": "(?<!đồng chí )(?<!Đồng chí )",
    "tổ chức": "(?<!, )",
    "tham mưu": "(?<!cơ quan )",
    "quản lý": "(?<!quan )(?<!mưu )(?<!mưu, )(?<!vị )(?<!Ban )(?<!ban )(?<!năng )",
    "đào tạo": "(?<!sở )(?<!vị )",
    "lập": "(?<!độc )(?<!Độc )(?<!thành )(?<!thiết )(?<!công )(?<!sáng )(?<!xác )",
    "họp": "(?<!cuộc )(?<!phiên )(?<!kỳ )(?<!dự )",
    # "Tổ giúp việc", "các cơ quan tham mưu, giúp việc": names, not the verb
    "giúp": "(?<!Tổ )(?<!tổ )(?<!mưu, )(?<!mưu )(?<!quan )(?<!Quan )",
}


def verb_regex(words: tuple[str, ...]) -> str:
    """An alternation of `words`, longest first, guarded against their noun uses."""
    # Captures glue syllables (``chủtrì``), so the space inside a verb is optional.
    ordered = sorted(words, key=len, reverse=True)
    # "tổ chức" after a comma is the noun of a list ("cơ quan, tổ chức"), not the verb.
    return "|".join(_guard(w) + re.escape(w).replace(r"\ ", r"\s?") for w in ordered)


_WIDER_ONLY = frozenset(WIDER_VERBS) - frozenset(CORE_VERBS)


def _guard(word: str) -> str:
    # A wider verb after "được" is a participle that qualifies a unit ("các đơn vị được phân
    # công"), not the unit's work.
    return NOUN_GUARD.get(word, "") + ("(?<!được )" if word in _WIDER_ONLY else "")
