"""Every message of the dashboard (templates and code) has a Vietnamese translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir

from handlers.i18n import translations

ROOT = Path(__file__).resolve().parents[2]


def test_every_dashboard_message_is_translated_into_vietnamese():
    found = extract_from_dir(
        ROOT / "bot" / "web" / "templates",
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    ids = {m[0] if isinstance(m, tuple) else m for _f, _l, m, _c, _x in found}
    assert len(ids) > 50
    vi = translations("vi")
    assert sorted(m for m in ids if vi.gettext(m) == m) == []
