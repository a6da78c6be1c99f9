"""The pure half of the SSRF guard: address classes and odd host spellings."""

from __future__ import annotations

from ipaddress import IPv4Address, ip_address

import pytest

from diemtin.fetch.errors import FetchError
from diemtin.fetch.guard import (
    AllowList,
    block_reason,
    check_url,
    is_public,
    normalize_host,
    parse_loose_ipv4,
)

NON_PUBLIC = [
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # CGNAT
    "100.127.255.254",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.10",
    "198.51.100.7",
    "203.0.113.9",
    "198.18.0.1",
    "192.0.0.8",
    "192.88.99.1",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:8.8.8.8",  # mapped addresses are refused outright
    "::127.0.0.1",  # IPv4-compatible
    "::ffff:0:a00:1",  # IPv4-translated 10.0.0.1
    "fe80::1",
    "febf::1",
    "fec0::1",  # site-local
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "ff0e::1",
    "2001:db8::1",
    "3fff::1",
    "100::1",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::808:808",  # local-use NAT64
    "fe80::1%eth0",
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "100.63.255.255",  # just below CGNAT
    "100.128.0.1",  # just above
    "172.15.255.255",
    "172.32.0.1",
    "2606:4700::1111",
    "2a00:1450:4001::200e",
    "64:ff9b::808:808",  # NAT64 of a public address
    "2002:808:808::1",  # 6to4 of a public address
]


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_non_public_addresses_are_blocked(address: str) -> None:
    ip = ip_address(address)
    assert block_reason(ip) is not None
    assert not is_public(ip)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert block_reason(ip_address(address)) is None


def test_block_reason_names_embedded_address() -> None:
    reason = block_reason(ip_address("2002:7f00:1::1"))
    assert reason is not None and "127.0.0.1" in reason and "loopback" in reason


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("10.0x10.1", "10.16.0.1"),
        ("0", "0.0.0.0"),
        ("0x", "0.0.0.0"),  # WHATWG and inet_aton both read an empty hex number as 0
        ("127.0.0.1.", "127.0.0.1"),
        ("3232235777", "192.168.1.1"),
        ("8.8.8.8", "8.8.8.8"),
    ],
)
def test_loose_ipv4_spellings(host: str, expected: str) -> None:
    assert parse_loose_ipv4(host) == IPv4Address(expected)


@pytest.mark.parametrize(
    "host", ["1.2.3.4.5", "256.1.1.1", "1.2.65536", "4294967296", "08.1.1.1", "1..1", "a.1", ""]
)
def test_not_ipv4(host: str) -> None:
    assert parse_loose_ipv4(host) is None


@pytest.mark.parametrize(
    ("raw", "normal"),
    [("LOCALHOST.", "localhost"), ("Example.COM", "example.com"), ("[::1]", "::1")],
)
def test_normalize_host(raw: str, normal: str) -> None:
    assert normalize_host(raw) == normal


SSRF_URLS = [
    "http://127.0.0.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://127.1/",
    "http://017700000001/",
    "http://0/",
    "http://127.0.0.1./",
    "http://LOCALHOST/",
    "http://localhost./",
    "http://foo.localhost/",
    "http://user:pw@127.0.0.1/",
    "http://evil.example@169.254.169.254/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]/",
    "http://[fe80::1%25eth0]/",
    "http://%31%32%37.0.0.1/",
    "http://127%2E0%2E0%2E1/",
    "http://127。0。0。1/",  # IDNA full-width dots
    "https://10.0.0.1/",
    "http://[fc00::1]:8080/",
    "http://100.64.0.1/",
    "http://0.0.0.0:80/",
]


@pytest.mark.parametrize("url", SSRF_URLS)
def test_check_url_refuses_non_public_hosts(url: str) -> None:
    with pytest.raises(FetchError) as info:
        check_url(url, AllowList())
    assert info.value.kind == "ssrf", str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/",
        "ftp://example.com/",
        "javascript:alert(1)",
        "http:///nohost",
        "http://0177.0.0.1/",  # httpx refuses this spelling itself
        "http://8.8.8.8.8/",
        "http://134744072/",  # 8.8.8.8, but only the dotted quad is accepted
        "http://%6c%6fcalhost.example/",
        "http://exa mple.com/",
        "not a url",
    ],
)
def test_check_url_refuses_invalid(url: str) -> None:
    with pytest.raises(FetchError) as info:
        check_url(url, AllowList())
    assert info.value.kind == "invalid_url", str(info.value)


def test_check_url_accepts_public_and_strips_userinfo() -> None:
    url = check_url("https://user:secret@VnExpress.net/tin-tuc?x=1", AllowList())
    assert url.host == "vnexpress.net"
    assert not url.userinfo
    assert "secret" not in str(url)


def test_check_url_accepts_idna_hosts() -> None:
    url = check_url("https://báomới.vn/", AllowList())
    assert url.raw_host.startswith(b"xn--")


def test_allow_list_matches_names_and_literals() -> None:
    allow = AllowList(["LocalHost.", "127.0.0.1", "[::1]"])
    for host in ["localhost", "LOCALHOST.", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1"]:
        assert host in allow, host
    for host in ["127.0.0.2", "2130706433", "foo.localhost", "::ffff:127.0.0.1"]:
        assert host not in allow, host
    check_url("http://localhost:8000/", allow)
    check_url("http://[::1]:8000/", allow)
    with pytest.raises(FetchError):
        check_url("http://2130706433/", allow)
