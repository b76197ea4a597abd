"""A case's image files: inside the case folder, small enough, and really the image they say.

What is published is the image re-encoded from its pixels (generator.inputs.images); checking a
file runs that re-encoding once, so a file that passes is one the site can publish.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from generator.common.problems import closest
from generator.inputs import sources
from generator.inputs.images import ImageRefused, clean_image

MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_KINDS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP"}


def image_file_problem(folder: Path, relative: PurePosixPath) -> tuple[str, str] | None:
    """The file must exist inside the folder, be small enough, and really be that image."""
    path = folder / relative
    name = relative.as_posix()
    if not path.is_file():
        return f"找不到图片文件 '{name}'", _missing_hint(folder, relative)
    if not path.resolve().is_relative_to(folder.resolve()):
        return (f"图片 '{name}' 指向了案例文件夹以外的文件",
                "请直接上传图片文件，不要使用链接或快捷方式")
    size = path.lstat().st_size
    if size > MAX_IMAGE_BYTES:
        limit = MAX_IMAGE_BYTES // 1048576
        return (f"图片 '{name}' 过大（{size / 1048576:.1f} MB，上限 {limit} MB）",
                "请压缩图片或缩小尺寸后重新上传")
    try:
        data = sources.read_bytes(path, MAX_IMAGE_BYTES)
    except sources.ReadRefused as refused:
        return f"图片 '{name}' {refused.message}", refused.hint
    expected = IMAGE_KINDS[relative.suffix.lower()]
    actual = image_kind(data[:16])
    if actual is None:
        return (f"'{name}' 不是有效的 {expected} 图片",
                "文件内容不是图片，可能是改了扩展名的其他文件；请重新导出为 PNG、JPG 或 WebP")
    if actual != expected:
        right = {"PNG": ".png", "JPEG": ".jpg", "WebP": ".webp"}[actual]
        return (f"'{name}' 的扩展名是 {relative.suffix}，但内容是 {actual} 图片",
                f"请把扩展名改为 {right}")
    try:
        clean_image(data, actual, name)  # decodable, not a bomb: what the site will publish
    except ImageRefused as refused:
        return refused.message, refused.hint
    return None


def image_kind(head: bytes) -> str | None:
    """Name the image format from its first bytes (magic numbers), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def _missing_hint(folder: Path, relative: PurePosixPath) -> str:
    present = [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*"))
               if p.is_file() and p.suffix.lower() in IMAGE_KINDS]
    best = closest(relative.as_posix(), present)
    if best:
        return f"是否应为 '{best}'？文件名要完全一致（包括大小写和扩展名）"
    return "请把图片上传到本案例所在的文件夹，文件名要与这里写的完全一致（包括大小写和扩展名）"

