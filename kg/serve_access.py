"""Who may use ``kg serve``: the Host names that name the bound address (against DNS
rebinding), the origins given to --cors, the hosts given to --allow-service."""
from __future__ import annotations

import ipaddress
import socket
from typing import Iterable
from urllib.parse import urlsplit

from .errors import InputError


def host_name(host: str) -> str:
    """The name in a Host header, without port or IPv6 brackets, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def host_names(host: str, extra: Iterable[str]) -> tuple[set[str], bool]:
    """The Host names that name the bound address, and whether any IP literal does (a wildcard bind)."""
    names = {host.lower().strip("[]")} | {h.lower() for h in extra}
    wildcard = host in ("", "0.0.0.0", "::")
    try:
        addrs = {ai[4][0] for ai in socket.getaddrinfo(host or None, None)}
    except OSError:
        addrs = set()
    names |= addrs
    if wildcard or any(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addrs if is_ip(a.split("%")[0])):
        names |= {"localhost", "127.0.0.1", "::1"}
    if wildcard:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    return names, wildcard


def origin(origin: str) -> str:
    """A --cors value as browsers send it in Origin (scheme://host[:port]), or *."""
    url = urlsplit(origin.strip())
    if origin.strip() == "*":
        return "*"
    if url.scheme not in ("http", "https") or not url.netloc or url.path not in ("", "/") or url.query:
        raise InputError(f"--cors takes an origin such as https://app.example:8443 or *, not {origin!r}")
    return f"{url.scheme}://{url.netloc}".lower()


def service_host(host: str) -> str:
    """An --allow-service value as a host name (a URL given there counts by its host)."""
    name = urlsplit(host).hostname if "://" in host else host.strip().strip("[]")
    if not name:
        raise InputError(f"--allow-service takes a host name or address, not {host!r}")
    return name.lower()
