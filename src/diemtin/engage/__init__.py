"""Reader signals' pure parts: who is reading (a signed first-party cookie), whether a
vote's token is theirs, whether the agent is a bot, and which client and network a
request comes from (proxy headers believed only from configured proxies).

The web layer does the I/O: it draws random reader ids, reads the secret from
the store and passes the clock.
"""

from diemtin.engage.agents import is_bot
from diemtin.engage.clients import ClientError, client_address, network_key, parse_proxies
from diemtin.engage.history import HistoryError, parse_seen
from diemtin.engage.limits import RateLimiter
from diemtin.engage.tokens import (
    csrf_token,
    read_reader,
    sign_reader,
    valid_csrf,
    vietnam_day,
    view_mark,
)

__all__ = [
    "ClientError",
    "HistoryError",
    "RateLimiter",
    "client_address",
    "csrf_token",
    "is_bot",
    "network_key",
    "parse_proxies",
    "parse_seen",
    "read_reader",
    "sign_reader",
    "valid_csrf",
    "vietnam_day",
    "view_mark",
]
