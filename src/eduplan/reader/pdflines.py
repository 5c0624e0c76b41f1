"""A PDF's pages as positioned lines of text: a lean reading of the content streams beside pdfminer's.

pdfminer.six reads the document's structure here (cross-reference table, page tree, resources,
fonts with their encodings and widths, stream filters within pdfbounds' budget). Its content
interpreter and layout pass are pure Python with an object per glyph and set the reader's pace,
so a page's content is read by a compiled-regex tokenizer and a text-state machine that place
each glyph with pdfminer's own arithmetic (its matrices, font metrics and, from LAParams'
defaults, its rules for grouping glyphs into lines): a page's lines are the ones pdfminer gives.

What this reading leaves aside (inline images, vertical fonts, a malformed token, text drawn
after a Form XObject has moved pdfminer's matrix) sends the page to pdfminer's interpreter, and
so does any error, so that pdfminer words it. Text inside Form XObjects is not part of a page's
lines in either reading: pdfminer keeps it in figures, whose text its layout pass leaves out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import cache

from .errors import TooLarge
from .pdfbounds import OutOfTime, count_objects

Line = tuple[str, float, float, float, float]  # text, x0, x1, top, height


class Unsupported(Exception):
    """A construct left to pdfminer's interpreter."""


def page_lines(data: bytes, maxpages: int, lean: bool = True) -> Iterator[list[Line]]:
    """Each page's lines, in the order of the content; `lean=False` reads every page with pdfminer."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(data)), password="", caching=True)
    manager = PDFResourceManager(caching=True)
    # boxes_flow=None skips pdfminer's quadratic text-box ordering: pdf.py sorts the lines.
    device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None))
    interpreter = PDFPageInterpreter(manager, device)
    reader = _PageReader(manager)
    for number, page in enumerate(PDFPage.create_pages(document)):
        if number >= maxpages:
            break
        lines = None
        if lean:
            try:
                lines = reader.lines(page)
            except (TooLarge, OutOfTime):
                raise
            except Exception:  # Unsupported, or an error: pdfminer reads the page, and words the error
                lines = None
        if lines is None:
            interpreter.process_page(page)
            lines = _layout_lines(device.get_result())
        yield lines


def _layout_lines(page) -> list[Line]:
    """pdfminer's text lines of a laid-out page (LTPage)."""
    from pdfminer.layout import LTTextContainer, LTTextLine

    lines: list[Line] = []

    def visit(element):
        if isinstance(element, LTTextLine):
            text = element.get_text().strip()
            if text:
                lines.append((text, element.x0, element.x1, element.y1, element.height))
        elif isinstance(element, LTTextContainer) or hasattr(element, "__iter__"):
            for child in element:
                visit(child)

    for element in page:
        visit(element)
    return lines


# One token of a content stream, as pdfminer's PSBaseParser splits them. A string nested deeper
# than one level of parentheses, a lone "<" or ">" and "{" are left to slower paths ("x").
_TOKEN = re.compile(
    rb"(?P<n>(?:[-+]\d*|\d+)(?:\.\d*)?|\.\d*)"
    rb"|(?P<k>[A-Za-z][^\s#/%\[\]()<>{}]*)"
    rb"|(?P<s>\((?>[^()\\]+|\\.|\((?>[^()\\]+|\\.)*+\))*+\))"
    rb"|(?P<l>/[^\s/%\[\]()<>{}]*)"
    rb"|(?P<d><<)|(?P<D>>>)"
    rb"|(?P<h><[0-9A-Fa-f\s]*>)"
    rb"|(?P<a>\[)|(?P<A>\])"
    rb"|(?P<c>%[^\r\n]*)"
    rb"|(?P<x>\S)",
    re.DOTALL,
)
_ESCAPE = re.compile(rb"\\(?:[0-7]{1,3}|\r\n|.)", re.DOTALL)
_STRING_STOP = re.compile(rb"[()\\]")
_NAME_HEX = re.compile(rb"#([0-9A-Fa-f]{0,2})")


@cache
def _escapes() -> dict[bytes, bytes]:
    """A string escape to its byte, as pdfminer reads it: an unknown escape drops the character."""
    table = {b"\\" + bytes((c,)): b"" for c in range(256)}
    table.update({bytes((92, k)): bytes((v,)) for k, v in zip(b"btnfr()\\", b"\b\t\n\f\r()\\", strict=True)})
    table[b"\\\r\n"] = b""
    for code in range(256):
        for digits in {f"{code:o}", f"{code:02o}", f"{code:03o}"}:
            if len(digits) <= 3:
                table[b"\\" + digits.encode()] = bytes((code,))
    return table


def _unescape(raw: bytes) -> bytes:
    table = _escapes()
    try:
        return _ESCAPE.sub(lambda m: table[m.group()], raw)
    except KeyError:  # an octal escape past 255: pdfminer fails the page
        raise Unsupported("octal escape") from None


def _string_at(data: bytes, start: int) -> tuple[bytes, int]:
    """A literal string with nested parentheses from data[start] == "(": its bytes and the end."""
    depth, i = 0, start
    while (stop := _STRING_STOP.search(data, i)) is not None:
        j = stop.start()
        c = data[j]
        if c == 0x5C:  # backslash: the next character is escaped
            i = j + 2
            continue
        depth += 1 if c == 0x28 else -1
        if depth == 0:
            return _unescape(data[start + 1:j]), j + 1
        i = j + 1
    raise Unsupported("unterminated string")


def _hex(token: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", token[1:-1])
    if len(digits) % 2:  # pdfminer reads a last lone digit as a byte of its own
        return bytes.fromhex(digits[:-1].decode()) + bytes((int(digits[-1:], 16),))
    return bytes.fromhex(digits.decode())


class _Name(str):
    """A /Name operand (pdfminer's PSLiteral)."""


def _name(token: bytes) -> _Name:
    raw = token[1:]
    if b"#" in raw:
        raw = _NAME_HEX.sub(lambda m: bytes((int(m.group(1), 16),)) if m.group(1) else b"", raw)
    try:
        return _Name(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Unsupported("name") from None


_KEYWORD = object()  # an operator inside an array or dictionary: an operand there, and never text


@cache
def _arities() -> dict[bytes, int]:
    """Each operator pdfminer's interpreter knows, with the operands it takes off the stack."""
    from pdfminer.pdfinterp import PDFPageInterpreter

    table = {}
    for attribute in dir(PDFPageInterpreter):
        if attribute.startswith("do_"):
            method = getattr(PDFPageInterpreter, attribute)
            name = attribute[3:].replace("_a", "*").replace("_w", '"').replace("_q", "'")
            table[name.encode()] = method.__code__.co_argcount - 1
    return table


_SHOW = {b"Tj", b"TJ", b"'", b'"'}


class _PageReader:
    def __init__(self, manager):
        self.manager = manager
        self.fonts: dict[int, tuple] = {}  # id(font) → (cid → (text, width), descent, multibyte, font)
        from pdfminer.layout import LAParams

        self.params = LAParams()

    def lines(self, page) -> list[Line]:
        from pdfminer.pdftypes import list_value, stream_value

        (x0, y0, x1, y1) = page.mediabox  # pdfminer's PDFPageInterpreter.process_page
        if page.rotate == 90:
            ctm = (0, -1, 1, 0, -y0, x1)
        elif page.rotate == 180:
            ctm = (-1, 0, 0, -1, x1, y1)
        elif page.rotate == 270:
            ctm = (0, 1, -1, 0, y1, -x0)
        else:
            ctm = (1, 0, 0, 1, -x0, -y0)
        streams = [stream_value(obj) for obj in list_value(page.contents)]
        data = b"".join(stream.get_data() for stream in streams if stream.objid is not None)
        chars: list[tuple[str, float, float, float, float]] = []
        self._interpret(data, page.resources, ctm, chars)
        return _group(chars, self.params)

    def _font_map(self, resources) -> dict:
        from pdfminer.pdftypes import PDFObjRef, dict_value

        fonts = {}
        for key, value in dict_value(resources).items() if resources else ():
            if key == "Font":
                for fontid, spec in dict_value(value).items():
                    objid = spec.objid if isinstance(spec, PDFObjRef) else None
                    fonts[fontid] = self.manager.get_font(objid, dict_value(spec))
        return fonts

    def _font(self, font) -> tuple:
        known = self.fonts.get(id(font))
        if known is None or known[3] is not font:
            if font.is_vertical():
                raise Unsupported("vertical font")
            known = self.fonts[id(font)] = ({}, font.get_descent(), font.is_multibyte(), font)
        return known

    def _is_form(self, resources, name) -> bool:
        from pdfminer.pdftypes import dict_value, stream_value
        from pdfminer.psparser import LIT

        xobjects = dict_value(dict_value(resources).get("XObject", {})) if resources else {}
        if name not in xobjects:
            return False
        xobject = stream_value(xobjects[name])
        return xobject.get("Subtype") is LIT("Form") and "BBox" in xobject

    def _interpret(self, data: bytes, resources, ctm, chars: list) -> None:
        """Run a page's content, appending each glyph shown as (text, x0, y0, x1, y1) to `chars`.
        One function on purpose: the tokens and the text state stay in local variables, which is
        most of the speed."""
        from pdfminer.pdffont import PDFUnicodeNotDefined

        fonts = self._font_map(resources)
        arities = _arities()
        stack: list = []
        open_: list[tuple[bytes, list]] = []  # arrays and dictionaries being read
        gstack: list = []
        # pdfminer's text state; `stale`: its device's matrix lags behind `ctm` after a Form XObject
        font = glyphs = None
        descent = 0.0
        multibyte = False
        fontsize, charspace, wordspace, scaling, leading, rise = 0, 0, 0, 100, 0, 0
        tm, lx, ly = (1, 0, 0, 1, 0, 0), 0, 0
        stale = False
        objects = 0
        pos = 0

        def show(seq) -> float:
            (a1, b1, c1, d1, e1, f1), (a0, b0, c0, d0, e0, f0) = tm, ctm
            a, b = a0 * a1 + c0 * b1, b0 * a1 + d0 * b1  # pdfminer's mult_matrix(tm, ctm)
            c, d = a0 * c1 + c0 * d1, b0 * c1 + d0 * d1
            e, f = a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0
            scale = scaling * 0.01
            space = charspace * scale
            word = 0 if multibyte else wordspace * scale
            dxscale = 0.001 * fontsize * scale
            low = descent * fontsize + rise
            high = descent * fontsize + rise + fontsize
            x, y = lx, ly
            upright = b == 0 and c == 0
            if upright:
                fy = y * d + f
                bottom, top = d * low + fy, d * high + fy
                if top < bottom:
                    bottom, top = top, bottom
            spaced = False
            append = chars.append
            for item in seq:
                if isinstance(item, bytes):
                    for cid in font.decode(item):
                        if spaced:
                            x += space
                        glyph = glyphs.get(cid)
                        if glyph is None:
                            try:
                                text = font.to_unichr(cid)
                            except PDFUnicodeNotDefined:
                                text = f"(cid:{cid})"
                            glyph = glyphs[cid] = (text, font.char_width(cid))
                        adv = glyph[1] * fontsize * scale
                        if upright:
                            left = x * a + e
                            right = a * adv + left
                            if right < left:
                                left, right = right, left
                            append((glyph[0], left, bottom, right, top))
                        else:
                            append((glyph[0], *_corners((a, b, c, d, x * a + y * c + e, x * b + y * d + f),
                                                        adv, low, high)))
                        x += adv
                        if cid == 32 and word:
                            x += word
                        spaced = True
                elif isinstance(item, (int, float)):
                    x -= item * dxscale
                    spaced = True
            return x

        while pos is not None:
            restart, pos = pos, None
            for match in _TOKEN.finditer(data, restart):
                kind = match.lastgroup
                if kind == "k" or kind == "x":
                    token = match.group()
                    if kind == "x":
                        if token == b"(":
                            value, pos = _string_at(data, match.start())
                            if open_:
                                open_[-1][1].append(value)
                            else:
                                stack.append(value)
                                objects += 1
                            break
                        if token in b"<>{}":
                            raise Unsupported(f"token {token!r}")
                        if token == b"\x00":
                            continue
                    if open_:
                        if token in (b"BI", b"ID"):
                            raise Unsupported("inline image")
                        open_[-1][1].append(True if token == b"true" else False if token == b"false"
                                            else _KEYWORD)
                        continue
                    objects += 1
                    if not objects & 1023:
                        count_objects(objects)
                    if token == b"true" or token == b"false":
                        stack.append(token == b"true")
                        continue
                    arity = arities.get(token)
                    if arity is None:
                        if b"_" in token or not token.isascii():  # pdfminer takes "T_a" for T*, "T\xc8c" for Tc
                            raise Unsupported(f"operator {token!r}")
                        continue
                    if arity:
                        args = stack[-arity:]
                        del stack[-arity:]
                        if len(args) < arity:
                            continue
                    if token in _SHOW:
                        if token == b"'":  # T* first, with or without a font
                            a, b, c, d, e, f = tm
                            tm = (a, b, c, d, leading * c + e, leading * d + f)
                            lx, ly = 0, 0
                        elif token == b'"':  # pdfminer sets the spacings and does not move to the next line
                            wordspace, charspace = args[0] + 0.0, args[1] + 0.0
                            args = args[2:]
                        if font is None:
                            continue
                        if stale:
                            raise Unsupported("text after a Form XObject")
                        if token == b"TJ" and not isinstance(args[0], (list, bytes, dict)):
                            raise Unsupported("TJ without an array")  # pdfminer fails on it
                        lx = show(args[0] if token == b"TJ" else args)
                    elif token == b"Td" or token == b"TD":
                        tx, ty = args[0] + 0.0, args[1] + 0.0
                        a, b, c, d, e, f = tm
                        tm = (a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f)
                        if token == b"TD":
                            leading = ty
                        lx, ly = 0, 0
                    elif token == b"Tm":
                        tm = tuple(value + 0.0 for value in args)
                        lx, ly = 0, 0
                    elif token == b"Tf":
                        if not isinstance(args[0], _Name):
                            raise Unsupported("Tf without a font name")
                        font = fonts.get(args[0])
                        if font is None:
                            font = self.manager.get_font(None, {})
                        glyphs, descent, multibyte, _ = self._font(font)
                        fontsize = args[1] + 0.0
                    elif token == b"BT":
                        tm, lx, ly = (1, 0, 0, 1, 0, 0), 0, 0
                    elif token == b"T*":
                        a, b, c, d, e, f = tm
                        tm = (a, b, c, d, leading * c + e, leading * d + f)
                        lx, ly = 0, 0
                    elif token == b"q":
                        gstack.append((ctm, font, glyphs, descent, multibyte, fontsize, charspace, wordspace,
                                       scaling, leading, rise, tm, lx, ly))
                    elif token == b"Q":
                        if gstack:
                            (ctm, font, glyphs, descent, multibyte, fontsize, charspace, wordspace,
                             scaling, leading, rise, tm, lx, ly) = gstack.pop()
                            stale = False
                    elif token == b"cm":
                        (a1, b1, c1, d1, e1, f1), (a0, b0, c0, d0, e0, f0) = (v + 0.0 for v in args), ctm
                        ctm = (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
                               a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)
                        stale = False
                    elif token == b"Tc":
                        charspace = args[0] + 0.0
                    elif token == b"Tw":
                        wordspace = args[0] + 0.0
                    elif token == b"Tz":
                        scaling = args[0] + 0.0
                    elif token == b"TL":
                        leading = -args[0]
                    elif token == b"Ts":
                        rise = args[0] + 0.0
                    elif token == b"Do":
                        if not isinstance(args[0], _Name):
                            raise Unsupported("Do without a name")
                        stale = stale or self._is_form(resources, args[0])
                    elif token in (b"BI", b"ID", b"EI"):
                        raise Unsupported("inline image")
                    continue
                if kind == "c":
                    continue
                if kind == "n":
                    try:
                        value = float(match.group())
                    except ValueError:  # "-" or "." alone: pdfminer drops it
                        continue
                elif kind == "s":
                    value = match.group()[1:-1]
                    if b"\\" in value:
                        value = _unescape(value)
                elif kind == "l":
                    value = _name(match.group())
                elif kind == "h":
                    value = _hex(match.group())
                elif kind == "a" or kind == "d":
                    open_.append((kind, []))
                    continue
                else:  # "A" or "D": the end of an array or dictionary
                    if not open_ or open_[-1][0] != kind.lower():
                        continue  # pdfminer ignores an end with no beginning
                    opened, items = open_.pop()
                    if opened == "d":
                        if len(items) % 2:
                            raise Unsupported("odd dictionary")
                        items = {}
                    value = items
                if open_:
                    open_[-1][1].append(value)
                else:
                    stack.append(value)
                    objects += 1
                    if not objects & 1023:
                        count_objects(objects)
        if objects:
            count_objects(objects)


def _corners(matrix, adv: float, low: float, high: float) -> tuple[float, float, float, float]:
    """pdfminer's apply_matrix_rect of a glyph's box (0, low, adv, high)."""
    (a, b, c, d, e, f) = matrix
    xs = (a * 0 + c * low + e, a * adv + c * low + e, a * adv + c * high + e, a * 0 + c * high + e)
    ys = (b * 0 + d * low + f, b * adv + d * low + f, b * adv + d * high + f, b * 0 + d * high + f)
    return min(xs), min(ys), max(xs), max(ys)


def _group(chars: list, params) -> list[Line]:
    """pdfminer's LTLayoutContainer.group_objects without vertical lines, and each line's text."""
    overlap, margin, word_margin = params.line_overlap, params.char_margin, params.word_margin
    lines: list[Line] = []
    if not chars:
        return lines
    text, px0, py0, px1, py1 = chars[0]
    parts, lx0, ly0, lx1, ly1 = [text], px0, py0, px1, py1
    for text, x0, y0, x1, y1 in chars[1:]:
        # pdfminer's halign: the boxes overlap vertically by more than `overlap` of the lower one,
        # and stand apart by less than `margin` times the wider one's width
        if y0 == py0 and y1 == py1:  # on the same baseline at the same size, as most glyphs are
            aligned = y1 > y0
        else:
            aligned = (y0 <= py1 and py0 <= y1
                       and min(py1 - py0, y1 - y0) * overlap < min(abs(py0 - y1), abs(py1 - y0)))
        if aligned:
            width, previous = x1 - x0, px1 - px0
            if x0 <= px1 and px0 <= x1:
                aligned = (width if width > previous else previous) * margin > 0
            else:
                gap = px0 - x1 if px0 > x1 else x0 - px1
                aligned = gap < (width if width > previous else previous) * margin
        if aligned:
            height = y1 - y0
            if px1 < x0 - word_margin * (width if width > height else height):
                parts.append(" ")
            parts.append(text)
            if x0 < lx0:
                lx0 = x0
            if x1 > lx1:
                lx1 = x1
            if y0 < ly0:
                ly0 = y0
            if y1 > ly1:
                ly1 = y1
        else:
            _close(lines, parts, lx0, lx1, ly0, ly1)
            parts, lx0, ly0, lx1, ly1 = [text], x0, y0, x1, y1
        px0, py0, px1, py1 = x0, y0, x1, y1
    _close(lines, parts, lx0, lx1, ly0, ly1)
    return lines


def _close(lines: list[Line], parts: list[str], x0: float, x1: float, y0: float, y1: float) -> None:
    text = "".join(parts).strip()
    if text:
        lines.append((text, x0, x1, y1, y1 - y0))
