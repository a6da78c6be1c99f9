"""Client and network keys; X-Forwarded-For believed only from configured proxies."""

from __future__ import annotations

import pytest

from diemtin.engage import ClientError, client_address, network_key, parse_proxies

PROXIES = parse_proxies(["10.0.0.0/8", "2001:db8:ffff::1"])


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address("203.0.113.9", "198.51.100.1", ()) == "203.0.113.9"
    assert client_address("203.0.113.9", "198.51.100.1", PROXIES) == "203.0.113.9"


def test_from_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() -> None:
    # the client may prepend anything; only what our proxies appended is believed
    header = "1.2.3.4, 198.51.100.7, 10.1.1.1"
    assert client_address("10.0.0.2", header, PROXIES) == "198.51.100.7"
    assert client_address("10.0.0.2", "198.51.100.7", PROXIES) == "198.51.100.7"
    assert client_address("2001:db8:ffff::1", "[2001:db8::5]:443", PROXIES) == "2001:db8::5"


def test_garbage_in_the_header_stops_belief_there() -> None:
    assert client_address("10.0.0.2", "198.51.100.7, junk, 10.1.1.1", PROXIES) == "10.1.1.1"
    assert client_address("10.0.0.2", "", PROXIES) == "10.0.0.2"


def test_a_peer_that_is_not_an_address_is_unknown() -> None:
    assert client_address(None, "1.2.3.4", PROXIES) == "unknown"
    assert client_address("testclient", None, PROXIES) == "unknown"


def test_networks_are_slash_24_and_slash_64() -> None:
    assert network_key("203.0.113.77") == "203.0.113.0/24"
    assert network_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert network_key("nonsense") == "unknown"


def test_a_bad_proxy_setting_is_a_clear_error() -> None:
    with pytest.raises(ClientError, match=r"trusted_proxies: 'ten\.0\.0\.1'"):
        parse_proxies(["ten.0.0.1"])
