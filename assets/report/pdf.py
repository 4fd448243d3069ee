"""The status report's PDF: the HTML page printed by headless Chromium, in the background.

Kept apart from the drawing (build.py: matplotlib, pandas), so the command line can wait for the prints a
run left going (`finish_prints`) without importing what drew them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (`make run` and `make test` install it when missing)
PRINT_TIMEOUT_S = 180


def find_chromium() -> Path | None:
    """Debian's /usr/bin/chromium, or a `chromium` on PATH; None when there is none."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return Path(found) if found else None


def print_pdf(html: Path, pdf: Path) -> str | None:
    """Print the page `html` to `pdf` with headless Chromium (offline: no name resolves).

    Returns None when the PDF was written, else the reason as one line; then no PDF is left at `pdf`
    (an earlier one would not match the page).
    """
    return PdfPrint(html, pdf).finish()


class PdfPrint:
    """One page being printed by Chromium in the background: started at once, `finish` waits for it.

    Chromium takes ~1.5 s a page, mostly its own start; build_reports starts a partnership's print as soon as
    its page is written and draws the next partnership's figures meanwhile.
    """

    def __init__(self, html: Path, pdf: Path) -> None:
        self.html, self.pdf = Path(html), Path(pdf)
        self.tmp = self.pdf.with_name(f".{self.pdf.name}.ny")
        self.process: subprocess.Popen | None = None
        self.failed: str | None = None
        self.profile: tempfile.TemporaryDirectory | None = None
        chromium = find_chromium()
        if chromium is None:
            self.failed = "Chromium mangler (installér Debian-pakken chromium; `make run` gør det)"
            return
        self.tmp.unlink(missing_ok=True)
        self.profile = tempfile.TemporaryDirectory(prefix="tryghed-chromium-")
        command = [
            str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={self.profile.name}",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--print-to-pdf={self.tmp}", "--no-pdf-header-footer",
            self.html.resolve().as_uri(),
        ]
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        except OSError as error:
            self.failed = f"Chromium kunne ikke udskrive siden ({error})"

    def finish(self) -> str | None:
        """None when the PDF was written, else the warning line (and no PDF is left at `pdf`)."""
        if self.process is not None:
            try:
                _, stderr = self.process.communicate(timeout=PRINT_TIMEOUT_S)
                last = ((stderr or "").strip().splitlines() or [""])[-1][:200]
                code = self.process.returncode
                problem = code != 0 and f"kode {code}{': ' if last else ''}{last}"
            except subprocess.TimeoutExpired as error:
                self.process.kill()
                self.process.communicate()
                problem = str(error)
            finally:
                self.profile.cleanup()
            if not problem and self.tmp.exists() and self.tmp.read_bytes()[:5] == b"%PDF-":
                os.replace(self.tmp, self.pdf)
                return None
            self.tmp.unlink(missing_ok=True)
            self.failed = f"Chromium kunne ikke udskrive siden ({problem or 'ingen PDF skrevet'})"
        removed = self.pdf.exists()
        self.pdf.unlink(missing_ok=True)
        return (f"statusrapport: advarsel: {self.failed}; PDF'en {self.pdf.name} er ikke skrevet"
                f"{' (den forrige er fjernet)' if removed else ''}, HTML-udgaven er {self.html}")


# PDFs still printing after build_reports(..., wait=False) returned; finish_prints waits for them
_PRINTING: list[PdfPrint] = []


def finish_later(prints: list[PdfPrint]) -> None:
    """Leave these prints going; the caller of the run waits for them with finish_prints."""
    _PRINTING.extend(prints)


def finish_prints() -> list[str]:
    """Wait for every PDF still printing; the warning line of each one that could not be printed."""
    problems = []
    while _PRINTING:
        if problem := _PRINTING.pop(0).finish():
            problems.append(problem)
    return problems
