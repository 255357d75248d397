"""Excel .xlsx: rows of cell strings, streamed, within the row and cell caps.

openpyxl opens the archive members itself, so the archive is first inflated once through the
counting guard (`zipguard.drain`): a bomb is refused before openpyxl starts. Sheets are then read
in openpyxl's read-only (streaming) mode with the stored dimensions ignored -- a sheet claiming
``A1:XFD1048576`` would otherwise be padded to that size -- and each row is counted.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from store.importing.parsed import ImportFormatError
from store.importing.readers.limits import Tally, over
from store.text import nfc


def read_xlsx(data: bytes) -> list[list[list[str]]]:
    """Every sheet as a list of rows of cell strings (typed dates written ``dd/mm/yyyy``)."""
    import openpyxl  # local: only needed for spreadsheets

    tally = Tally()
    sheets: list[list[list[str]]] = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises assorted zip/XML/KeyError types
        raise ImportFormatError("corrupt", f"cannot read the .xlsx file: {exc}") from exc
    try:
        for sheet in workbook.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            rows: list[list[str]] = []
            for row in sheet.iter_rows(values_only=True):
                tally.row(len(row))
                rows.append([_cell_str(value) for value in row])
            width = max((len(row) for row in rows), default=0)
            if width * len(rows) > tally.limits.max_cells:  # one far cell widens every row
                raise over("max_cells", tally.limits.max_cells, "too many table cells")
            sheets.append([row + [""] * (width - len(row)) for row in rows])
    except ImportFormatError:
        raise
    except Exception as exc:
        raise ImportFormatError("corrupt", f"cannot read the .xlsx file: {exc}") from exc
    finally:
        workbook.close()
    return sheets


def _cell_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        # Spreadsheets store typed dates; write them the way directives do.
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()
