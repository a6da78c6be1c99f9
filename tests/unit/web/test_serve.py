"""Settings reach `diemtin serve`'s worker processes through the environment, unchanged."""

from __future__ import annotations

from diemtin.settings import Settings, load
from diemtin.web.serve import settings_env


def test_settings_survive_the_trip_through_the_environment() -> None:
    settings = Settings(
        database_url="postgresql://u@127.0.0.1/db",
        site_name="Tin, nhanh & gọn",
        fetch_allow_hosts=("127.0.0.1", "localhost"),
        respect_robots=False,
        page_cache_seconds=12.5,
        follow_zalo="https://zalo.me/x",
    )
    assert load(env=settings_env(settings)) == settings
    assert load(env=settings_env(Settings())) == Settings()
