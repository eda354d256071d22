"""Evidence photos: checked, then re-encoded so that nothing but the picture is stored.

A photo taken on a phone carries where it was taken (GPS), the camera and often the owner's
name in its EXIF and XMP data; an upload may also be a decompression bomb (a small PNG that
unpacks to gigapixels) or not a picture at all. Every upload is opened by Pillow only after its
header says it is a JPEG, PNG or WebP of a sane size, then drawn again into a new file that
carries no metadata at all (orientation applied to the pixels first).
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import IO

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from jewelguard.core.errors import ServiceError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
MAX_PHOTO_SIDE = 12_000
MAX_PHOTOS = 6
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class PreparedPhoto:
    """A photo ready to store: its new bytes, its file name and its size in pixels."""

    content: ContentFile[bytes]
    width: int
    height: int


def photo_prepare(*, upload: IO[bytes], size: int, field: str = "photos") -> PreparedPhoto:
    """Check one uploaded photo and re-encode it without metadata.

    Raises ServiceError naming ``field`` for a file too large, not a JPEG, PNG or WebP, too
    many pixels, or unreadable; nothing is stored here.
    """
    if size > MAX_PHOTO_BYTES:
        raise ServiceError(
            field,
            _("A photo may be at most %(mb)d MB.") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
        )
    if size == 0:
        raise ServiceError(field, _("This photo file is empty."))
    try:
        upload.seek(0)
        with Image.open(upload, formats=list(FORMATS)) as probe:
            kind = probe.format or ""
            width, height = probe.size
        _size_check(field, width, height)
        upload.seek(0)
        with Image.open(upload, formats=[kind]) as image:
            _load_whole(image)
            drawn = ImageOps.exif_transpose(image)
            content = _encoded(drawn, kind)
    except ServiceError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ServiceError(
            field, _("Send photos as JPEG, PNG or WebP pictures of at most 40 megapixels.")
        ) from None
    except (OSError, ValueError, SyntaxError):
        # A truncated or corrupt file: Pillow says which in its own words, not the user's.
        raise ServiceError(field, _("This photo could not be read: it may be damaged.")) from None
    name = f"{uuid.uuid4().hex}.{FORMATS[kind]}"
    return PreparedPhoto(content=ContentFile(content, name=name), width=width, height=height)


def _load_whole(image: Image.Image) -> None:
    """Decode every pixel, refusing a truncated file.

    WeasyPrint, once imported, tells Pillow to accept truncated images process-wide (grey
    where the data stops); an evidence photo cut short is refused instead. The flag is put
    back at once; WeasyPrint only reads it for images it loads itself, which are ours.
    """
    accepting = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = accepting


def _size_check(field: str, width: int, height: int) -> None:
    if width * height > MAX_PHOTO_PIXELS or max(width, height) > MAX_PHOTO_SIDE:
        raise ServiceError(
            field,
            _("This photo has too many pixels (%(width)d by %(height)d); at most 40 megapixels.")
            % {"width": width, "height": height},
        )


def _encoded(image: Image.Image, kind: str) -> bytes:
    """The pixels alone, in a new file of the same kind: no EXIF, XMP, ICC or text chunks."""
    if kind == "JPEG":
        pixels = image.convert("RGB") if image.mode not in ("RGB", "L") else image
    elif image.mode in ("RGB", "RGBA", "L", "LA"):
        pixels = image
    else:
        pixels = image.convert("RGBA")
    # A fresh image drops Pillow's info dict, where PNG text chunks and XMP would travel.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, format="JPEG", quality=88, optimize=True)
    elif kind == "PNG":
        clean.save(out, format="PNG", optimize=False)
    else:
        clean.save(out, format="WEBP", quality=85)
    return out.getvalue()
