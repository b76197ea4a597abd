"""Read a Word document as a reader gets it: LibreOffice headless turns it into a PDF, poppler
reads the PDF back (text, text with its layout, the words' boxes, the fonts embedded).

Without soffice or poppler the tests that need them skip — except under CI=true, where they
fail, so CI can never go green by skipping (as the browser tests do).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape as html_unescape
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").strip().lower() == "true"
TOOLS = {"soffice": "libreoffice-writer", "pdftotext": "poppler-utils",
         "pdffonts": "poppler-utils", "pdfinfo": "poppler-utils", "pdftoppm": "poppler-utils"}
MM = 72 / 25.4
"""Points per millimetre."""


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI=true a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: not skipping)", pytrace=False)
    pytest.skip(reason)


def need_office() -> None:
    for tool, package in TOOLS.items():
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is missing: apt-get install -y {package}")


def to_pdf(docx: Path, out: Path, profile: Path) -> Path:
    """Convert with a private LibreOffice profile, so parallel runs never share one."""
    need_office()
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", f"-env:UserInstallation={profile.resolve().as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   capture_output=True, text=True, timeout=240, check=False)
    pdf = out / f"{docx.stem}.pdf"
    assert pdf.is_file(), (f"LibreOffice wrote no {pdf.name}: is libreoffice-writer installed? "
                           "(soffice without Writer converts a .docx to nothing)")
    return pdf


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout


@dataclass(frozen=True)
class Pdf:
    path: Path

    @property
    def pages(self) -> int:
        return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(self.path)), re.M)[1])

    def text(self, page: int | None = None, layout: bool = False) -> str:
        pages = ["-f", str(page), "-l", str(page)] if page else []
        return _run("pdftotext", *pages, *(["-layout"] if layout else []), str(self.path), "-")

    def fonts(self) -> list[str]:
        """The embedded fonts' names (subset prefixes dropped)."""
        lines = _run("pdffonts", str(self.path)).splitlines()[2:]
        return sorted({line.split()[0].split("+")[-1] for line in lines if line.strip()})

    def words(self) -> list[tuple[float, float, float, float, float, float, str]]:
        """(page width, page height, xMin, yMin, xMax, yMax, text) of every word, in points."""
        html = _run("pdftotext", "-bbox", str(self.path), "-")
        words, width, height = [], 0.0, 0.0
        for line in html.splitlines():
            page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
            if page:
                width, height = float(page[1]), float(page[2])
            word = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', line)
            if word:
                words.append((width, height, *map(float, word.groups()[:4]),
                              html_unescape(word[5])))
        return words

    def png(self, out: Path, page: int) -> Path:
        """One page as a PNG (for a person to look at)."""
        prefix = out / f"{self.path.stem}-p{page}"
        _run("pdftoppm", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", "-png",
             str(self.path), str(prefix))
        return prefix.with_suffix(".png")


def squash(text: str) -> str:
    """Text without white space: pdftotext puts spaces between Chinese and digits and breaks
    lines where the page does."""
    return re.sub(r"\s+", "", text)


def table_rows(layout_text: str) -> list[list[str]]:
    """Each line of `pdftotext -layout` output split at white space."""
    return [line.split() for line in layout_text.splitlines() if line.strip()]
