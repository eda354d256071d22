"""Observation photos: checked, shrunk and re-encoded, so that nothing but pixels is kept.

A photo from a phone carries EXIF (camera, time, often the GPS position of the store); the
file is decoded and a new one written from its pixels only, in the format it came in.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from jewelguard.core.errors import ServiceError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Refused above this before decoding anything (a 50 MP phone photo passes; a bomb does not).
MAX_PHOTO_PIXELS = 50_000_000
# Kept photos are at most this long on their longer side: enough to read a lock's rating.
MAX_PHOTO_SIDE = 2560
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _refuse(message: str) -> ServiceError:
    return ServiceError("photo", message)


def photo_clean(*, content: bytes) -> CleanPhoto:
    """``content`` re-encoded from its pixels alone; ServiceError naming 'photo' otherwise."""
    if not content:
        raise _refuse(_("The photo is empty."))
    if len(content) > MAX_PHOTO_BYTES:
        raise _refuse(
            _("The photo is too large: keep it under %(megabytes)d MB.")
            % {"megabytes": MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(content), formats=list(FORMATS))
            image: Image.Image = opened
            if opened.format not in FORMATS:
                raise _refuse(_("Send a JPEG, PNG or WebP photo."))
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS or getattr(image, "n_frames", 1) > 1:
                raise _refuse(
                    _("The photo has too many pixels: keep it under %(megapixels)d megapixels.")
                    % {"megapixels": MAX_PHOTO_PIXELS // 1_000_000}
                    if width * height > MAX_PHOTO_PIXELS
                    else _("Send a still photo, not an animation.")
                )
            kind = opened.format
            if kind == "JPEG":
                opened.draft("RGB", (MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            opened.load()
            # The camera's orientation is applied to the pixels, since the tag is dropped.
            image = ImageOps.exif_transpose(image)
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Warning):
        raise _refuse(
            _("This file is not a photo we can read: send a JPEG, PNG or WebP.")
        ) from None
    except Image.DecompressionBombError:
        raise _refuse(_("The photo has too many pixels.")) from None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha and kind != "JPEG" else "RGB"
    image = image.convert(mode)
    image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
    # A new image from the pixels alone: no EXIF, XMP, ICC, text chunks or comments.
    bare = Image.frombytes(mode, image.size, image.tobytes())
    out = io.BytesIO()
    if kind == "JPEG":
        bare.save(out, "JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        bare.save(out, "PNG", optimize=True)
    else:
        bare.save(out, "WEBP", quality=85)
    content_type, extension = FORMATS[kind]
    return CleanPhoto(
        content=out.getvalue(),
        content_type=content_type,
        extension=extension,
        width=bare.width,
        height=bare.height,
    )
