"""Write a gzip copy beside every large text file of a built site, for `gzip_static` hosts.

nginx (`gzip_static on;`), Caddy (`precompressed gzip`) and most CDNs serve `page.html.gz` with
`Content-Encoding: gzip` to browsers that accept it, with no compression work per request; the
search index shrinks from 1.2 MB to about 0.2 MB on the wire. The copies are deterministic
(mtime 0, no file name in the header), so the same site always gives the same bytes.
Brotli would save about a tenth more but needs a library, and its best level is far too slow.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from generator.common import faults
from generator.common.files import write_atomically

SUFFIXES = frozenset({".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".ics", ".csv"})
"""Text formats worth compressing (source maps are not fetched by visitors: skipped)."""
MIN_BYTES = 1024
"""Smaller files fit in one packet either way; compressing them would only add files."""
LEVEL = 9


def precompress(site: Path) -> int:
    """Write <file>.gz for every text file of at least MIN_BYTES under site; return how many.

    A copy is kept only when it is smaller than the file. Existing .gz files (MkDocs writes
    sitemap.xml.gz) are replaced by the same deterministic encoding.
    """
    written = 0
    for path in sorted(site.rglob("*")):
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        data = path.read_bytes()
        if len(data) < MIN_BYTES:
            continue
        packed = gzip.compress(data, compresslevel=LEVEL, mtime=0)
        target = path.with_name(path.name + ".gz")
        if len(packed) < len(data):
            faults.point("publish:file", target)
            write_atomically(target, packed)
            written += 1
    return written
