"""Atom, sitemap, robots.txt and iCalendar from the mini fixture site."""

import xml.etree.ElementTree as ElementTree

from sitegen.build import BuildOptions, build
from sitegen.feeds import _fold
from sites import FIXED_TODAY, MINI


def built(tmp_path):
    result = build(BuildOptions(source=MINI, output=tmp_path / "out", today=FIXED_TODAY, use_cache=False))
    return {f.path: f.content for f in result.files}


def test_feed_and_sitemap_are_well_formed_and_absolute(tmp_path):
    files = built(tmp_path)
    feed = ElementTree.fromstring(files["feed.xml"])
    atom = "{http://www.w3.org/2005/Atom}"
    links = [entry.find(f"{atom}link").get("href") for entry in feed.findall(f"{atom}entry")]
    assert links == ["https://intranet.example.nl/sociaal-inkopen/verhalen/schoonmaak-via-de-hoofdaannemer/",
                     "https://intranet.example.nl/sociaal-inkopen/verhalen/soep-op-het-stadhuis/"]
    sitemap = ElementTree.fromstring(files["sitemap.xml"])
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://intranet.example.nl/sociaal-inkopen/" in locations
    assert not any("oude-soep" in url or "404" in url for url in locations)
    assert files["robots.txt"].endswith(b"Sitemap: https://intranet.example.nl/sociaal-inkopen/sitemap.xml\n")


def test_icalendar_lines_are_folded_and_escaped(tmp_path):
    files = built(tmp_path)
    calendar = files["bijeenkomsten/lunchlezing-soep/lunchlezing-soep.ics"].decode("utf-8")
    assert calendar.startswith("BEGIN:VCALENDAR\r\n") and calendar.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;TZID=Europe/Amsterdam:20270121T120000\r\n" in calendar
    assert "LOCATION:Stadhuis\\, zaal 2\r\n" in calendar
    assert all(len(line.encode("utf-8")) <= 75 for line in calendar.split("\r\n"))
    folded = _fold("DESCRIPTION:" + "é" * 80)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 80


def test_ics_lines_fold_at_75_octets_between_characters():
    import random

    pick = random.Random(5)
    for _ in range(3000):
        line = "".join(pick.choice("abcdé€😀 ,;ë") for _ in range(pick.randrange(0, 300)))
        folded = _fold(line)
        pieces = folded.split("\r\n")
        assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
        assert all(piece.startswith(" ") for piece in pieces[1:])
        assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == line
        if len(pieces) > 1:  # each piece as full as the next character allows
            for piece, after in zip(pieces, pieces[1:]):
                assert len(piece.encode("utf-8")) + len(after[1:2].encode("utf-8")) > 75


def unfolded_events(calendar: bytes) -> list[dict[str, str]]:
    """The VEVENTs of an iCalendar file, each as {property (with parameters): value}."""
    text = calendar.decode("utf-8").replace("\r\n ", "")
    events = []
    for block in text.split("BEGIN:VEVENT\r\n")[1:]:
        lines = block.split("END:VEVENT")[0].strip("\r\n").split("\r\n")
        events.append(dict(line.split(":", 1) for line in lines))
    return events


def test_a_quarter_in_the_calendar_spans_the_quarter_with_a_real_description(tmp_path):
    events = unfolded_events(built(tmp_path)["kalender.ics"])
    quarter = next(e for e in events if e["UID"].startswith("kalender-catering-stadskantoor@"))
    # All day, from 1 April up to (not including) 1 July: the whole second quarter.
    assert quarter["DTSTART;VALUE=DATE"] == "20270401"
    assert quarter["DTEND;VALUE=DATE"] == "20270701"
    assert quarter["TRANSP"] == "TRANSPARENT"
    description = quarter["DESCRIPTION"]
    assert description.startswith("Verwacht in het 2e kwartaal van 2027\\, nog zonder vaste datum")
    assert "Meer informatie: https://intranet.example.nl/sociaal-inkopen/kalender/" in description
    dated = next(e for e in events if e["UID"].startswith("kalender-drukwerk-jaarverslag@"))
    assert (dated["DTSTART;VALUE=DATE"], dated["DTEND;VALUE=DATE"]) == ("20270301", "20270302")
    assert dated["DESCRIPTION"].startswith("Verwacht op 1 maart 2027")


def test_the_fourth_quarter_ends_on_new_year():
    from sitegen.feeds import quarter_span
    import datetime as dt

    assert quarter_span("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    assert quarter_span("2027-Q1") == (dt.date(2027, 1, 1), dt.date(2027, 4, 1))


def test_each_event_has_its_own_calendar_file_named_after_it(tmp_path):
    files = built(tmp_path)
    named = [path for path in files if path.startswith("bijeenkomsten/") and path.endswith(".ics")]
    assert named == [f"bijeenkomsten/{path.split('/')[1]}/{path.split('/')[1]}.ics" for path in named]
    assert not any(path.endswith("/bijeenkomst.ics") for path in files)
