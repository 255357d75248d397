"""Local government levels in unit lists: ``HĐND, UBND xã`` (a level shared by the bodies
before it), ``Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã`` (one body at several levels)."""

from __future__ import annotations

import re

#: Bodies of every level, named without theirs when a list shares it (``HĐND, UBND xã``).
_LEVELLESS = re.compile(
    r"^(?:Thường trực\s+)?(?:HĐND|UBND|Hội đồng nhân dân|[ỦU][ỷy] ban nhân dân)$"
)
_LEVEL = re.compile(r"\s((?:cấp\s+)?(?:xã|phường|tỉnh|huyện|thành phố|đặc khu)(?:,\s*phường)?)$")


_PER_LEVEL = re.compile(r"^(.+?) (cấp (?:tỉnh|huyện|xã))((?:,? (?:và )?cấp (?:tỉnh|huyện|xã))+)$")


def _per_level(name: str) -> list[str]:
    """``Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã`` → the body at each level."""
    match = _PER_LEVEL.match(name)
    if not match:
        return [name]
    levels = [match.group(2), *re.findall(r"cấp (?:tỉnh|huyện|xã)", match.group(3))]
    return [f"{match.group(1)} {level}" for level in levels]


def shared_level(names: list[str]) -> list[str]:
    """``HĐND, UBND xã`` → ``HĐND xã``, ``UBND xã``: the level a body of that kind names is
    that of the bare ones listed right before it; ``X cấp tỉnh, cấp xã`` is X at each level."""
    out = [level for name in names for level in _per_level(name)]
    for index in range(len(out) - 2, -1, -1):
        level = _LEVEL.search(out[index + 1])
        if (
            level is not None
            and _LEVELLESS.match(out[index])
            and _LEVELLESS.match(_LEVEL.sub("", out[index + 1]))
        ):
            out[index] = f"{out[index]} {level.group(1)}"
    return out
