"""Serve a built site as a `gzip_static` host does: the .gz copy to browsers that accept it.

Python's http.server sends neither compression nor cache headers, so Lighthouse measured it as
an unconfigured host. This one behaves like nginx with `gzip_static on;`, `expires` rules and
`error_page 404 /404.html;`:

- `page.html.gz` (written by `generator publish`) is sent for `page.html` with
  `Content-Encoding: gzip` when the request's Accept-Encoding allows gzip, else the plain file;
  both with `Vary: Accept-Encoding`;
- theme files with a content hash in their name (bundle.a5f9d56c.min.js) are cached for a year
  (`immutable`), other static files for a day, HTML and the search index revalidated
  (`no-cache`, Last-Modified / 304);
- a missing path gets the site's 404 page.

    python -m benchmarks.serve site --port 8000     # or: make serve-site
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import functools
import re
import threading
from collections.abc import Iterator
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
"""Material's and Zensical's fingerprinted bundles: a new build gives them a new name."""
YEAR, DAY = 365 * 24 * 3600, 24 * 3600


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (`gzip`, `*`, not `gzip;q=0`)."""
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        quality = re.search(r"q=([0-9.]+)", params)
        if name.strip().lower() in ("gzip", "*") and not (quality and float(quality[1]) == 0):
            return True
    return False


def cache_control(name: str) -> str:
    """Cache-Control for a file name: a year if fingerprinted, else revalidate pages and data."""
    if HASHED.search(name):
        return f"public, max-age={YEAR}, immutable"
    if name.endswith((".html", ".json", ".xml")):
        return "no-cache"
    return f"public, max-age={DAY}"


class PrecompressedHandler(SimpleHTTPRequestHandler):
    """A static file handler that prefers a file's .gz copy and sends cache headers."""

    protocol_version = "HTTP/1.1"  # keep-alive, as a real host

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self) -> BinaryIO | None:
        url_path = urlsplit(self.path).path
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not url_path.endswith("/"):
                return super().send_head()  # the redirect to …/
            path = path / "index.html"
        status = HTTPStatus.OK
        if not path.is_file():
            path, status = Path(self.directory) / "404.html", HTTPStatus.NOT_FOUND
            if not path.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
        packed = path.with_name(path.name + ".gz")
        use_gzip = packed.is_file() and accepts_gzip(self.headers.get("Accept-Encoding", ""))
        body = packed if use_gzip else path
        stat = body.stat()
        if status == HTTPStatus.OK and self._not_modified(stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return None
        handle = body.open("rb")
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        if packed.is_file():
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.send_header("Cache-Control", cache_control(path.name))
        self.end_headers()
        return handle

    def _not_modified(self, mtime: float) -> bool:
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return int(mtime) <= when


@contextlib.contextmanager
def serving(folder: Path, port: int = 0) -> Iterator[str]:
    """Serve folder on 127.0.0.1 (port 0: a free one) in a thread; yield the base URL."""
    handler = functools.partial(PrecompressedHandler, directory=str(Path(folder).resolve()))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("site"), help="站点目录")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} 下没有 index.html：请先运行 make site")
    with serving(args.site, args.port) as url:
        print(f"预览 {url}/（gzip 预压缩与缓存头同部署环境；Ctrl+C 结束）", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
