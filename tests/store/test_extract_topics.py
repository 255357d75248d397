"""Topic headings over the paragraph that assigns their work (synthetic inputs)."""

from __future__ import annotations

from store.importing.cleanup import clean_lines, paragraphs
from store.importing.items import parse_outline


def _outline(text: str) -> list:
    tasks, _, _ = parse_outline(paragraphs(clean_lines(text.splitlines())))
    return tasks


def test_a_topic_heading_without_colon_takes_the_lead_of_the_paragraph_under_it() -> None:
    text = "\n".join(
        [
            "1. Về công tác tuyên truyền",
            "Giao Ban Tuyên giáo rà soát các tài liệu.",
            "2. Về công tác cán bộ",
            "Thường trực Đảng uỷ cơ bản nhất trí với chủ trương và nhân sự đề xuất. Giao Ban"
            " Xây dựng Đảng tiếp tục tham mưu thực hiện các quy trình theo quy định.",
            "3. Về tình hình chung",
            "Thường trực Đảng uỷ cơ bản nhất trí với báo cáo của Văn phòng.",
            "4. Giao Văn phòng Đảng uỷ theo dõi việc thực hiện.",
        ]
    )
    leads = {task.ref: task.lead for task in _outline(text)}
    assert leads == {
        "1": ["Ban Tuyên giáo"],
        "2": ["Ban Xây dựng Đảng"],
        "4": ["Văn phòng Đảng uỷ"],
    }


def test_a_paragraph_closing_a_list_of_no_tasks_hands_the_item_over() -> None:
    text = "\n".join(
        [
            "1. Giao Văn phòng Đảng uỷ chuẩn bị nội dung hội nghị.",
            "2. Cho ý kiến một số nội dung Ban Xây dựng Đảng trình, gồm:",
            "- Tờ trình số 13-TTr/BXDĐ ngày 26/8/2025 về kiện toàn Ban Chấp hành Hội;",
            "- Tờ trình số 14-TTr/BXDĐ ngày 26/8/2025 về thành lập Hội đồng Đội cấp xã;",
            "Thường trực Đảng uỷ cơ bản nhất trí với chủ trương. Giao Ban Tuyên giáo tiếp tục"
            " tham mưu thực hiện các thủ tục theo quy định.",
            "3. Giao Văn phòng Đảng uỷ theo dõi việc thực hiện.",
        ]
    )
    leads = {task.ref: task.lead for task in _outline(text)}
    assert leads == {
        "1": ["Văn phòng Đảng uỷ"],
        "2": ["Ban Tuyên giáo"],
        "3": ["Văn phòng Đảng uỷ"],
    }
