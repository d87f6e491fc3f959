"""A site's separate mobile site: ``m.example.go.kr`` beside ``www.example.go.kr``.

Many Korean public sites still serve phones from a second host, reached by a redirect on the user
agent. A mobile audit follows that redirect and treats the mobile host as part of the same site; a
desktop audit never does (its pages do not go there).
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: First labels that name a mobile host.
MOBILE_LABELS = ("m", "mobile")
#: First labels that name the desktop host (dropped before comparing).
DESKTOP_LABELS = ("www",)


def _base(host: str) -> tuple[str, bool]:
    """(host without its www / m / mobile label, whether that label was a mobile one)."""
    host = host.lower().rstrip(".")
    label, _, rest = host.partition(".")
    if "." not in rest:  # "m.kr" is a domain of its own, not the mobile host of "kr"
        return host, False
    if label in MOBILE_LABELS:
        return rest, True
    if label in DESKTOP_LABELS:
        return rest, False
    return host, False


def is_mobile_host(url: str, site_url: str) -> bool:
    """Whether ``url`` is on the mobile host of the site of ``site_url``.

    ``m.`` or ``mobile.`` followed by the site's host without ``www.``: ``m.gov.kr`` for
    ``www.gov.kr`` or ``gov.kr``, ``m.seoul.go.kr`` for ``www.seoul.go.kr``. Ports are not compared
    (a mobile site may be served on another port: the tests use two loopback servers).
    """
    try:
        host = urlsplit(url).hostname or ""
        site = urlsplit(site_url).hostname or ""
    except ValueError:
        return False
    if not host or not site or host == site:
        return False
    base, mobile = _base(host)
    site_base, site_mobile = _base(site)
    return mobile and not site_mobile and base == site_base
