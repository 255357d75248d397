"""Scans and photos: text through Tesseract's Vietnamese model (``vie``).

Tesseract runs as its own program (through pytesseract), found at run time: without the Debian
packages ``tesseract-ocr`` and ``tesseract-ocr-vie`` a scan is refused with ``ocr_missing`` and a
message naming them, while text files keep working. One thread per page (``OMP_THREAD_LIMIT``)
and a time limit per page keep a scan from taking the machine; in the import sandbox Tesseract
also inherits the worker's memory limit.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
from functools import cache
from typing import TYPE_CHECKING

from store.importing.parsed import ImportFormatError
from store.importing.readers.limits import current_limits, over
from store.text import nfc

if TYPE_CHECKING:
    from PIL.Image import Image

logger = logging.getLogger(__name__)

PACKAGES = "tesseract-ocr tesseract-ocr-vie"
#: Pixels Tesseract gets at most: an A4 page at 400 dpi; larger images are scaled down.
_OCR_PIXELS = 16_000_000
_MARKER = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ]\)|[IVXLC]{1,6}[.)]|[-+•–])\s")


@cache
def ocr_available() -> bool:
    """Whether Tesseract and its Vietnamese model are installed."""
    if shutil.which("tesseract") is None:
        return False
    import pytesseract

    try:
        return "vie" in pytesseract.get_languages(config="")
    except Exception:  # an unusable installation counts as missing
        logger.warning("tesseract is installed but cannot list its languages")
        return False


def require_ocr() -> None:
    """Refuse with ``ocr_missing`` when Tesseract or its Vietnamese model is not installed."""
    if not ocr_available():
        raise ImportFormatError(
            "ocr_missing",
            f"this is a scan or a photo; reading it needs Tesseract OCR with its Vietnamese "
            f"model (Debian packages: {PACKAGES})",
        )


def ocr_lines(image: Image) -> list[str]:
    """Recognise one page image and return its text as paragraph lines (NFC)."""
    import pytesseract

    require_ocr()
    limits = current_limits()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    image = image.convert("L")
    if image.width * image.height > _OCR_PIXELS:  # more detail than OCR needs: scale down
        scale = (_OCR_PIXELS / (image.width * image.height)) ** 0.5
        image = image.resize((int(image.width * scale), int(image.height * scale)))
    try:
        text = pytesseract.image_to_string(
            image, lang="vie", config="--psm 3", timeout=limits.ocr_page_seconds
        )
    except RuntimeError as exc:  # pytesseract's timeout
        raise ImportFormatError(
            "timeout",
            f"OCR of one page took over {limits.ocr_page_seconds:g} s",
            limit="ocr_page_seconds",
        ) from exc
    except pytesseract.TesseractError as exc:
        raise ImportFormatError("corrupt", f"OCR failed: {exc.message}") from exc
    return join_wrapped(nfc(text).splitlines())


def join_wrapped(lines: list[str]) -> list[str]:
    """Join OCR lines of one block into paragraphs; blank lines and list markers start anew."""
    out: list[str] = []
    open_paragraph = False
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            open_paragraph = False
            continue
        if open_paragraph and not _MARKER.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        open_paragraph = True
    return out


def check_pixels(width: int, height: int) -> None:
    """Refuse an image larger than the pixel cap (before it is decoded)."""
    cap = current_limits().max_pixels
    if width * height > cap:
        raise over("max_pixels", cap, f"the image is {width}×{height} pixels")


def read_image(data: bytes) -> list[str]:
    """The text of an image file (PNG, JPEG, TIFF; every frame of a multi-page TIFF)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    limits = current_limits()
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
        check_pixels(*image.size)
        require_ocr()
        lines: list[str] = []
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            if index >= limits.max_ocr_pages:
                raise over("max_ocr_pages", limits.max_ocr_pages, "too many scanned pages")
            check_pixels(*frame.size)
            lines.extend(ocr_lines(frame))
            lines.append("")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            raise over("max_pixels", limits.max_pixels, "the image is too large") from exc
        raise ImportFormatError("corrupt", f"cannot read the image: {exc}") from exc
    if not any(lines):
        raise ImportFormatError("empty", "no text was recognised in the image")
    return lines
