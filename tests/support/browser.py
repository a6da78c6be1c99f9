"""Debian's Chromium driven by Playwright: launch, and a watch on what a page does.

Never `playwright install`: the browser is the system's /usr/bin/chromium
(scripts/install-system-deps installs it). The flags keep a headless Chromium
from reaching for Google's services on a machine with no network.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Playwright

CHROMIUM = Path(os.environ.get("DIEMTIN_TEST_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Records CSP violations and gives pages a marker function that XSS vectors call.
WATCH_SCRIPT = """
(() => {
  window.__csp = [];
  window.__xssHits = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
  });
})();
"""


def unavailable_reason() -> str | None:
    """Why the browser tier cannot run here, or None when it can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} missing: install Debian's chromium (scripts/install-system-deps)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[test]'"
    return None


def launch(pw: Playwright) -> Browser:
    # Playwright gives each launch a fresh, throwaway user-data-dir.
    return pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)


@dataclass
class Watch:
    """Everything a page reported: console errors, uncaught errors, dialogs, XSS markers."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    marker_calls: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def executions(self) -> list[str]:
        return self.dialogs + self.marker_calls


def watch(page: Page) -> Watch:
    """Attaches a Watch to ``page``; ``__xss(id)`` in any frame of it is recorded."""
    seen = Watch()
    page.on("console", seen.on_console)
    page.on("pageerror", lambda exc: seen.page_errors.append(str(exc)))
    page.on("dialog", seen.on_dialog)
    page.on("requestfailed", lambda req: seen.failed_requests.append(req.url))
    page.add_init_script(WATCH_SCRIPT)

    def marker(source: Any, ident: object = None) -> None:
        seen.marker_calls.append(f"__xss({ident}) in {source.get('frame').url}")

    page.expose_binding("__xss", marker)
    return seen


def csp_violations(page: Page) -> list[str]:
    found = page.evaluate("window.__csp || []")
    return [str(v) for v in found]


TIME = re.compile(r"\b\d{2}:\d{2}:\d{2} \d{2}/\d{2}/\d{4}\b")


def visible_text(page: Page) -> str:
    """The page as a screen reader or text browser reads it: body.innerText, footer left out."""
    return str(
        page.evaluate(
            """() => {
              const footers = [...document.querySelectorAll('body > footer')];
              const shown = footers.map(f => f.style.display);
              footers.forEach(f => { f.style.display = 'none'; });
              const text = document.body.innerText;
              footers.forEach((f, i) => { f.style.display = shown[i]; });
              return text;
            }"""
        )
    )


def artifacts_dir() -> Path:
    """test-artifacts/ at the repository root (gitignored), or DIEMTIN_TEST_ARTIFACTS."""
    root = Path(__file__).resolve().parents[2]
    path = Path(os.environ.get("DIEMTIN_TEST_ARTIFACTS", root / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
