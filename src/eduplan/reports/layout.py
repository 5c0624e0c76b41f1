"""A python-docx Document laid out as an official document (GB/T 9704-2012).

The layout figures (margins, fonts, sizes) live in data/gbt9704.toml; this module turns them
into page setup, restyled Word styles (Normal, Title, Heading 1/2, a table style) and the
"— 1 —" page numbers, odd pages right and even pages left.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

from docx import Document as new_document
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_STYLE = "Title"
HEADING_1 = "Heading 1"
HEADING_2 = "Heading 2"
TABLE_TEXT_STYLE = "Table Text"
# Style ids as they sit in the XML. Paragraphs get these written directly: python-docx's own
# `paragraph.style = …` scans every latent style on each call, which made a year's summary 15×
# slower than writing its text plainly.
STYLE_IDS = {TITLE_STYLE: "Title", HEADING_1: "Heading1", HEADING_2: "Heading2", TABLE_TEXT_STYLE: "TableText"}


@cache
def layout() -> dict[str, Any]:
    return _load_toml("gbt9704.toml")


@cache
def labels() -> dict[str, Any]:
    return _load_toml("labels.toml")


def _load_toml(name: str) -> dict[str, Any]:
    text = resources.files("eduplan.reports").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def save(document: Document, out: Path | str | BinaryIO) -> Path | BinaryIO:
    """To a path, or to an open binary stream (a web download needs no temporary file)."""
    if hasattr(out, "write"):
        document.save(out)
        return out
    path = Path(out)
    document.save(path)
    return path


def official_document() -> Document:
    """An empty Document with the page, styles and page numbers of GB/T 9704-2012."""
    document = new_document()
    _set_up_page(document)
    _style_body(document)
    _style_title(document)
    _style_heading(document, HEADING_1, "heading1", outline_level=0)
    _style_heading(document, HEADING_2, "heading2", outline_level=1)
    _style_table_text(document)
    _declare_fallback_fonts(document)
    _add_page_numbers(document)
    return document


def add_title(document: Document, text: str) -> None:
    _styled(document.add_paragraph(text), TITLE_STYLE)


def add_heading(document: Document, text: str, level: int) -> None:
    _styled(document.add_paragraph(text), HEADING_1 if level == 1 else HEADING_2)


def _styled(paragraph, style_name: str):
    paragraph._p.style = STYLE_IDS[style_name]
    return paragraph


def add_body(document: Document, text: str) -> None:
    document.add_paragraph(text)


def add_table(document: Document, header: list[str], rows: list[list[str]], widths_mm: list[float]) -> None:
    """A bordered table, header row repeated on each page, text in the table font."""
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid LibreOffice lays out by
    for row_index, values in enumerate([header, *rows]):
        cells = table.rows[row_index].cells
        for cell, value, width in zip(cells, values, widths_mm, strict=True):
            cell.width = Mm(width)
            paragraph = _styled(cell.paragraphs[0], TABLE_TEXT_STYLE)
            run = paragraph.add_run(value)
            run.bold = row_index == 0
    _repeat_as_header(table.rows[0])


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


# --- page ---------------------------------------------------------------------------------

def _set_up_page(document: Document) -> None:
    page = layout()["page"]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(page["width_mm"]), Mm(page["height_mm"])
    section.top_margin, section.bottom_margin = Mm(page["top_mm"]), Mm(page["bottom_mm"])
    section.left_margin, section.right_margin = Mm(page["left_mm"]), Mm(page["right_mm"])
    section.footer_distance = Mm(page["footer_mm"])
    section.header_distance = Mm(15)


# --- styles -------------------------------------------------------------------------------

def _set_fonts(style_or_run, role: str) -> None:
    """Latin and East-Asian font of one role, plus size, with w:eastAsia written explicitly."""
    spec = layout()["fonts"][role]
    font = style_or_run.font
    font.name = spec["latin"]
    font.size = Pt(spec["size_pt"])
    font.bold = spec.get("bold", False)
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for theme_attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attribute), None)  # a theme font would override the names
    fonts.set(qn("w:ascii"), spec["latin"])
    fonts.set(qn("w:hAnsi"), spec["latin"])
    fonts.set(qn("w:eastAsia"), spec["east_asia"][0])
    fonts.set(qn("w:hint"), "eastAsia")
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:eastAsia"), "zh-CN")


def _fixed_spacing(paragraph_format, line_pt: float) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(line_pt)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _indent_first_line(style, size_pt: float) -> None:
    """Two characters, stated both in points and in characters (Word prefers firstLineChars)."""
    chars = layout()["body"]["first_line_chars"]
    style.paragraph_format.first_line_indent = Pt(size_pt * chars)
    indent = style.element.get_or_add_pPr().find(qn("w:ind"))
    indent.set(qn("w:firstLineChars"), str(chars * 100))


def _style_body(document: Document) -> None:
    normal = document.styles["Normal"]
    _set_fonts(normal, "body")
    _fixed_spacing(normal.paragraph_format, layout()["body"]["line_spacing_pt"])
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = False  # 公文 keep the fixed grid; no lines pushed over
    _indent_first_line(normal, layout()["fonts"]["body"]["size_pt"])


def _style_title(document: Document) -> None:
    title = document.styles[TITLE_STYLE]
    _set_fonts(title, "title")
    element = title.element.get_or_add_pPr()
    for border in element.findall(qn("w:pBdr")):  # the default template underlines its Title
        element.remove(border)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_spacing(title.paragraph_format, 35)
    _no_first_line_indent(title)
    title.paragraph_format.space_after = Pt(29)  # one blank body line between title and text
    run_properties = title.element.get_or_add_rPr()
    for letter_spacing in run_properties.findall(qn("w:spacing")):  # the template spreads its Title
        run_properties.remove(letter_spacing)


def _no_first_line_indent(style) -> None:
    """Both forms to zero: a style based on Normal would otherwise inherit firstLineChars=200,
    which Word prefers to firstLine (LibreOffice does not, so only Word would show it)."""
    style.paragraph_format.first_line_indent = Pt(0)
    style.element.get_or_add_pPr().find(qn("w:ind")).set(qn("w:firstLineChars"), "0")


def _style_heading(document: Document, name: str, role: str, outline_level: int) -> None:
    heading = document.styles[name]
    heading.base_style = document.styles["Normal"]
    _set_fonts(heading, role)
    _fixed_spacing(heading.paragraph_format, layout()["body"]["line_spacing_pt"])
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _indent_first_line(heading, layout()["fonts"][role]["size_pt"])
    properties = heading.element.get_or_add_pPr()
    level = properties.find(qn("w:outlineLvl"))
    if level is None:
        level = OxmlElement("w:outlineLvl")
        properties.append(level)
    level.set(qn("w:val"), str(outline_level))


def _style_table_text(document: Document) -> None:
    style = document.styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    _set_fonts(style, "table")
    _no_first_line_indent(style)
    _fixed_spacing(style.paragraph_format, 20)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _declare_fallback_fonts(document: Document) -> None:
    """Name every East-Asian font in the font table with its fallbacks as w:altName.

    Word and LibreOffice read altName when the named font is missing, so a machine without
    仿宋_GB2312 still sets the body in 仿宋 or FangSong rather than in a default sans face.
    """
    font_table = document.part.package.main_document_part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    )
    from lxml import etree

    root = etree.fromstring(font_table.blob)
    declared = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
    for spec in layout()["fonts"].values():
        name, *fallbacks = spec["east_asia"]
        if name in declared:
            continue
        declared.add(name)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alternative = etree.SubElement(font, qn("w:altName"))
        alternative.set(qn("w:val"), ",".join(fallbacks))
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
    font_table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- page numbers -------------------------------------------------------------------------

def _add_page_numbers(document: Document) -> None:
    """'— 1 —' in 4号 宋体: odd pages at the right, even pages at the left (GB/T 9704 7.5)."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number_paragraph(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_paragraph(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number_paragraph(paragraph, alignment) -> None:
    paragraph.alignment = alignment
    paragraph.paragraph_format.first_line_indent = Pt(0)
    indent = paragraph.paragraph_format.element.get_or_add_pPr().get_or_add_ind()
    indent.set(qn("w:firstLineChars"), "0")
    # One em space keeps the number off the edge of the text block, as the standard asks.
    side = "left" if alignment == WD_ALIGN_PARAGRAPH.LEFT else "right"
    indent.set(qn(f"w:{side}"), str(int(Pt(14).twips)))
    _run(paragraph, "— ")
    _field(paragraph, "PAGE")
    _run(paragraph, " —")


def _run(paragraph, text: str):
    run = paragraph.add_run(text)
    _set_fonts(run, "page_number")
    return run


def _field(paragraph, instruction: str) -> None:
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None), (None, "1"),
                       ("end", None)):
        run = _run(paragraph, "")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip().isdigit():
            run.text = text
        else:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
