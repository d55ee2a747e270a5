"""Feeds and machine-readable files: Atom, sitemap, robots.txt and iCalendar.

Takes the finished `Site` and hands on `(path, bytes)` pairs for the writer."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from .model import Event, Procurement, Site
from .links import absolute_linker
from .render import MONTHS
from .urls import absolute_url

FEED_SIZE = 30


def atom_feed(site: Site) -> bytes:
    """Atom feed of the newest stories."""
    base = site.config.base_url
    cases = site.cases[:FEED_SIZE]
    updated = max((c.date for c in cases), default=site.today)
    entries = []
    for case in cases:
        link = absolute_url(base, case.url)
        entries.append(
            "  <entry>\n"
            f"    <title>{escape(case.title)}</title>\n"
            f"    <link href={quoteattr(link)}/>\n"
            f"    <id>{escape(link)}</id>\n"
            f"    <updated>{case.date.isoformat()}T00:00:00Z</updated>\n"
            f"    <summary>{escape(case.summary)}</summary>\n"
            f"    <content type=\"html\">{escape(case.body_html)}</content>\n"
            "  </entry>\n"
        )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{escape(site.config.language)}">\n'
        f"  <title>{escape(site.config.title)}</title>\n"
        f"  <subtitle>{escape(site.config.description)}</subtitle>\n"
        f"  <link href={quoteattr(absolute_url(base, 'feed.xml'))} rel=\"self\"/>\n"
        f"  <link href={quoteattr(base)}/>\n"
        f"  <id>{escape(base)}</id>\n"
        f"  <updated>{updated.isoformat()}T00:00:00Z</updated>\n"
        f"  <author><name>{escape(site.config.title)}</name></author>\n"
        + "".join(entries)
        + "</feed>\n"
    )
    return feed.encode("utf-8")


def sitemap(site: Site, page_urls: list[str]) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    link = absolute_linker(site.config.base_url)
    for url in page_urls:
        lines.append(f"  <url><loc>{escape(link(url))}</loc></url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots_txt(site: Site) -> bytes:
    if site.config.noindex:
        return b"User-agent: *\nDisallow: /\n"
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(site.config.base_url, 'sitemap.xml')}\n".encode("utf-8")


# ---------------------------------------------------------------- iCalendar (RFC 5545)

# RFC 5545 TEXT: a line break of any kind is an escaped "\n" (a bare CR would end the line
# for readers that split on it), other control characters are not allowed and go.
_ICS_CONTROLS = {code: None for code in (*range(0x20), 0x7F) if code not in (0x09, 0x0A, 0x0D)}


def ics_text(value: str) -> str:
    """`value` as an RFC 5545 TEXT value."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").translate(_ICS_CONTROLS)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a leading space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, start, limit = [], 0, 75  # continuation lines start with a space: 74 octets after it
    while len(encoded) - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:  # never inside a character's UTF-8 bytes
            end -= 1
        parts.append(encoded[start:end].decode("utf-8"))
        start, limit = end, 74
    parts.append(encoded[start:].decode("utf-8"))
    return "\r\n ".join(parts)


_TIMEZONE = [
    "BEGIN:VTIMEZONE", "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST",
    "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
    "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
]


def _calendar(site: Site, name: str, events: list[list[str]]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//sitegen//sociaal inkopen//NL", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{ics_text(name)}", *_TIMEZONE]
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def _stamp(site: Site) -> str:
    return site.today.strftime("%Y%m%dT000000Z")


def _event_lines(site: Site, event: Event) -> list[str]:
    host = site.config.base_url.split("//", 1)[-1].split("/", 1)[0]
    end = event.end or event.start + dt.timedelta(hours=1)
    lines = ["BEGIN:VEVENT", f"UID:{event.slug}@{host}", f"DTSTAMP:{_stamp(site)}",
             f"DTSTART;TZID=Europe/Amsterdam:{event.start.strftime('%Y%m%dT%H%M%S')}",
             f"DTEND;TZID=Europe/Amsterdam:{end.strftime('%Y%m%dT%H%M%S')}",
             f"SUMMARY:{ics_text(event.title)}",
             f"URL:{absolute_url(site.config.base_url, event.url)}"]
    if event.location or event.online_url:
        lines.append(f"LOCATION:{ics_text(event.location or event.online_url or '')}")
    if event.body_text:
        lines.append(f"DESCRIPTION:{ics_text(event.body_text)}")
    lines.append("END:VEVENT")
    return lines


def _procurement_lines(site: Site, procurement: Procurement) -> list[str]:
    """An all-day event on the expected date, or spanning the whole expected quarter."""
    host = site.config.base_url.split("//", 1)[-1].split("/", 1)[0]
    if isinstance(procurement.expected, dt.date):
        start, end = procurement.expected, procurement.expected + dt.timedelta(days=1)
    else:
        start, end = quarter_span(procurement.expected)
    organisation = procurement.organisation.name if procurement.organisation else ""
    summary = f"{procurement.title} ({organisation})" if organisation else procurement.title
    url = absolute_url(site.config.base_url, procurement.url)
    return ["BEGIN:VEVENT", f"UID:kalender-{procurement.slug}@{host}", f"DTSTAMP:{_stamp(site)}",
            f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}",
            "TRANSP:TRANSPARENT",  # a purchase expected some time in a period does not fill the reader's agenda
            f"SUMMARY:{ics_text(summary)}",
            f"DESCRIPTION:{ics_text(procurement_description(site, procurement, url))}",
            f"URL:{url}", "END:VEVENT"]


def quarter_span(quarter: str) -> tuple[dt.date, dt.date]:
    """The first day of a quarter ("2027-Q2") and the first day after it (DTEND is exclusive)."""
    year, number = (int(part) for part in quarter.split("-Q"))
    start = dt.date(year, 3 * (number - 1) + 1, 1)
    end = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    return start, end


def procurement_description(site: Site, procurement: Procurement, url: str) -> str:
    """What a calendar entry says: when it is expected, by whom, what, its chances, where to read more."""
    if isinstance(procurement.expected, dt.date):
        when = f"Verwacht op {procurement.expected.day} {MONTHS[procurement.expected.month - 1]} {procurement.expected.year}"
    else:
        year, number = procurement.expected.split("-Q")
        when = f"Verwacht in het {number}e kwartaal van {year}, nog zonder vaste datum"
    lines = [when + (f", bij {procurement.organisation.name}." if procurement.organisation else ".")]
    if procurement.description:
        lines.append(procurement.description)
    lines.append(f"Categorie: {site.label('categories', procurement.category)}.")
    if procurement.opportunities:
        chances = ", ".join(site.label("opportunities", o).lower() for o in procurement.opportunities)
        lines.append(f"Kansen voor sociale ondernemers: {chances}.")
    lines.append(f"Meer informatie: {url}")
    return "\n".join(lines)


def events_ics(site: Site) -> bytes:
    return _calendar(site, f"{site.config.title}: bijeenkomsten", [_event_lines(site, e) for e in site.events])


def event_ics(site: Site, event: Event) -> bytes:
    return _calendar(site, event.title, [_event_lines(site, event)])


def procurements_ics(site: Site) -> bytes:
    return _calendar(site, f"{site.config.title}: aanbestedingskalender",
                     [_procurement_lines(site, p) for p in site.procurements])


def feed_files(site: Site, page_urls: list[str]) -> list[tuple[str, bytes]]:
    files = [("feed.xml", atom_feed(site)), ("sitemap.xml", sitemap(site, page_urls)),
             ("robots.txt", robots_txt(site)), ("kalender.ics", procurements_ics(site)),
             ("bijeenkomsten.ics", events_ics(site))]
    # Named after the event, so downloads of several events do not overwrite each other.
    files += [(f"{event.url}{event.slug}.ics", event_ics(site, event)) for event in site.events]
    return files
