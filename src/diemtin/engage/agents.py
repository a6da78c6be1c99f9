"""Known bots, crawlers, previewers, scripts and headless browsers: their views do not count."""

from __future__ import annotations

import re

_BOT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|fetch|preview|monitor|checker|archiver|"
    r"headless|phantomjs|puppeteer|playwright|selenium|webdriver|lighthouse|pagespeed|"
    r"chrome-lighthouse|ptst|facebookexternalhit|zalo-?link|embedly|"
    r"curl|wget|httpx|python|aiohttp|go-http-client|java/|okhttp|libwww|node-fetch|axios|"
    r"httpclient|postman|insomnia|feed|rss|validator",
    re.IGNORECASE,
)


def is_bot(user_agent: str | None) -> bool:
    """True for a known automated agent, and for a missing or implausibly short one."""
    if not user_agent or len(user_agent) < 20:
        return True
    if "Mozilla/" not in user_agent and "Opera/" not in user_agent:
        return True  # every browser still announces itself so
    return _BOT.search(user_agent) is not None
