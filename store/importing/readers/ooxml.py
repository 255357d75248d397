"""What every reader of a Word package shares: the main namespace and a safe XML parser."""

from __future__ import annotations

from lxml import etree

from store.importing.parsed import ImportFormatError

#: The WordprocessingML namespace, as lxml writes it in tag names.
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Parse a small part of the package without entities or network access."""
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ImportFormatError("corrupt", f"damaged {what}: {exc}") from exc
