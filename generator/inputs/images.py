"""Case images as published: decoded, size-checked, and re-encoded without any metadata.

A phone photo carries EXIF (GPS position, camera serial, sometimes the owner's name or number),
XMP and comments; a PNG may carry tEXt/iTXt/zTXt chunks with anything at all. None of it is
needed to show the picture, so the published image is drawn afresh from its pixels alone, in the
same format, with fixed encoder settings: the same upload always gives the same bytes.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageCms, ImageOps

MAX_PIXELS = 40_000_000
"""Width × height an image may have (a 40-megapixel phone photo): decoding costs 4 bytes a
pixel, and a tiny PNG may declare 40,000 × 40,000 (6.4 GB) — a decompression bomb."""
FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WebP": "WEBP"}
"""generator.inputs.case_images' name of a format → Pillow's."""
SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "PNG": {"optimize": False, "compress_level": 9},
    "JPEG": {"quality": 90, "optimize": False, "progressive": False, "subsampling": "4:2:0"},
    "WEBP": {"quality": 90, "method": 4, "lossless": False},
}
SHRINK_HINT = "请把图片缩小（如长边不超过 4000 像素）后重新上传"


class ImageRefused(Exception):
    """An image that cannot be published; carries the message and how to fix it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def clean_image(data: bytes, kind: str, name: str) -> bytes:
    """Return the image re-encoded from its pixels only; raise ImageRefused saying why not."""
    image = _open(data, name)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageRefused(f"图片 '{name}' 尺寸过大（{width:,} × {height:,} 像素，"
                           f"上限 {MAX_PIXELS // 10_000:,} 万像素）", SHRINK_HINT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
            pixels = _pixels(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ImageRefused(f"图片 '{name}' 已损坏，无法读取",
                           "请用看图软件打开检查，重新导出为 PNG、JPG 或 WebP") from error
    out = io.BytesIO()
    pixels.save(out, FORMATS[kind], **SAVE_OPTIONS[FORMATS[kind]])
    return out.getvalue()


def _open(data: bytes, name: str) -> Image.Image:
    """Read the header only (no pixels yet), with our own, lower pixel limit applied after."""
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # we check the size ourselves
    try:
        return Image.open(io.BytesIO(data), formats=list(FORMATS.values()))
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageRefused(f"图片 '{name}' 已损坏，无法读取",
                           "请用看图软件打开检查，重新导出为 PNG、JPG 或 WebP") from error
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _pixels(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: upright (EXIF orientation applied), in sRGB."""
    image.seek(0)  # an animated PNG or WebP is published as its first frame
    upright = ImageOps.exif_transpose(image) or image
    profile = image.info.get("icc_profile")
    mode = "RGBA" if _has_alpha(upright) else "L" if upright.mode == "L" else "RGB"
    converted = upright if upright.mode == mode else upright.convert(mode)
    if profile:
        converted = _to_srgb(converted, profile)
    return Image.frombytes(converted.mode, converted.size, converted.tobytes())


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _to_srgb(image: Image.Image, profile: bytes) -> Image.Image:
    """Apply an embedded colour profile (a phone's Display P3), so dropping it keeps colours."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                              outputMode=image.mode)
        return image if converted is None else converted  # None only when converting in place
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unreadable profile: the pixels as they are
