"""Office files (.xlsx, .docx) are zip archives: rewrite one so equal contents give equal bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile


def stable_zip(data: bytes, moment: dt.datetime) -> bytes:
    """Rewrite an .xlsx or .docx zip with sorted entries, fixed dates and the fixed save time."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            content = source.read(name)
            if name == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            info = zipfile.ZipInfo(name, moment.timetuple()[:6])
            info.create_system, info.external_attr = 3, 0o644 << 16
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
