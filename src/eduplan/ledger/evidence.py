"""Evidence files (佐证材料, 办结佐证): which kinds are taken, where they are kept, how they are handed out.

A file is taken only when its name's extension is on the allow-list AND its first bytes are that kind's
(an .html renamed .pdf is refused). It is stored under a random name with no extension, under MEDIA_ROOT,
which no URL serves as such: the only way out is `serve`, which checks that the user may see the item and
always sends a download (attachment, nosniff, a sandbox CSP), so nothing uploaded ever runs in our origin.
"""

from __future__ import annotations

import secrets
import unicodedata
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .xls
OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}

# extension → (content type sent with the download, what its first bytes must be)
KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "txt": ("text/plain; charset=utf-8", "text"),
    "doc": ("application/msword", "ole2"),
    "xls": ("application/vnd.ms-excel", "ole2"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
ALLOWED_TEXT = "Word（doc/docx）、Excel（xls/xlsx）、PDF、图片（png/jpg）、纯文本（txt）"
SNIFF_BYTES = 64 * 1024


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:  # a character cut by the sniffing window
                return True
    return False


def _is_ooxml(upload, part: str) -> bool:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:  # reads the directory only, never a member
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and part in names


def content_matches(upload, kind: str) -> bool:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "ole2":
        return head.startswith(OLE2)
    if kind == "text":
        return _is_text(head)
    return head.startswith(b"PK\x03\x04") and _is_ooxml(upload, OOXML_PART[kind])


def check_evidence(upload) -> None:
    """A form validator: the file is of an allowed kind by its name and by its content."""
    if not upload:
        return
    extension = _extension(upload.name)
    if extension not in KINDS:
        raise ValidationError(_("不接受此类文件（%(name)s）；可上传：%(allowed)s")
                              % {"name": upload.name, "allowed": ALLOWED_TEXT})
    if not content_matches(upload, KINDS[extension][1]):
        raise ValidationError(_("文件内容与扩展名 .%(ext)s 不符（%(name)s），未保存；可上传：%(allowed)s")
                              % {"ext": extension, "name": upload.name, "allowed": ALLOWED_TEXT})


def stored_name(instance, filename: str) -> str:
    """upload_to: a random name, no extension; the original name is kept in the row (see models)."""
    return f"evidence/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"


def display_name(name: str) -> str:
    """The original file name, without folders or control characters, for the download's header."""
    base = PurePath(str(name or "").replace("\\", "/")).name
    clean = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return clean[:200] or "evidence"


def serve(field_file, original_name: str) -> FileResponse:
    """The stored file as a download that can never render in the page's origin."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("文件不存在")) from None
    name = display_name(original_name)
    # An allowed kind keeps its type so the saved file opens in the right program; anything else (a file
    # stored before the allow-list) is plain bytes. Either way a download: the browser never renders it.
    content_type = KINDS.get(_extension(name), ("application/octet-stream",))[0]
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = ["KINDS", "check_evidence", "content_matches", "display_name", "serve", "stored_name"]
