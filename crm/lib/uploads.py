"""Checks for uploaded files (attachments, evidence, contracts): size, extension and actual content.

A file is accepted only if its extension is on the allow-list AND its first bytes match that kind, so an
executable renamed to .pdf is refused. Files are stored under MEDIA_ROOT, outside the static root, and are
served only by views that check the same permissions as the record they belong to.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = getattr(settings, "CRM_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)

_ZIP = (b"PK\x03\x04",)
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".txt": None,  # text: checked for the absence of NUL bytes instead
    ".csv": None,
}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def validate_upload(upload) -> None:
    """Refuse a file that is too large, of a kind not allowed, or whose content does not match its name."""
    name = getattr(upload, "name", "") or ""
    ext = os.path.splitext(name)[1].lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            params={"size": round(upload.size / 1048576, 1), "limit": MAX_UPLOAD_BYTES // 1048576},
            code="too_large",
        )
    if ext not in SIGNATURES:
        raise ValidationError(
            _("Files of type “%(ext)s” cannot be uploaded. Allowed: %(allowed)s."),
            params={"ext": ext or name, "allowed": ", ".join(sorted(SIGNATURES))},
            code="bad_type",
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if any(head.startswith(magic) for magic in EXECUTABLE_MAGIC):
        raise ValidationError(_("Executable files cannot be uploaded."), code="executable")
    signatures = SIGNATURES[ext]
    if signatures is None:
        if b"\x00" in head:
            raise ValidationError(_("This file is not plain text."), code="bad_content")
    elif not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(
            _("The content of this file does not match its “%(ext)s” name."), params={"ext": ext},
            code="bad_content",
        )
