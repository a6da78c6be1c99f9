"""Times as Vietnamese readers and operators see them: HH:MM:SS DD/MM/YYYY, Vietnam time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FORMAT = "%H:%M:%S %d/%m/%Y"


def vietnam_time(epoch: int | float | None, empty: str = "—") -> str:
    if epoch is None:
        return empty
    return datetime.fromtimestamp(epoch, UTC).astimezone(VIETNAM).strftime(FORMAT)
