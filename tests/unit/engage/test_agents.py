"""Known bots and headless agents are not counted; browsers are."""

from __future__ import annotations

import pytest

from diemtin.engage import is_bot

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"  # noqa: E501
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"  # noqa: E501
ZALO = "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 Zalo android/12100 ZaloTheme/light"  # noqa: E501


@pytest.mark.parametrize("agent", [CHROME, IPHONE, ZALO])
def test_browsers_count(agent: str) -> None:
    assert not is_bot(agent)


@pytest.mark.parametrize(
    "agent",
    [
        None,
        "",
        "x",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) Chrome-Lighthouse",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "python-httpx/0.28.1",
        "Go-http-client/1.1",
    ],
)
def test_bots_scripts_and_headless_browsers_do_not(agent: str | None) -> None:
    assert is_bot(agent)
