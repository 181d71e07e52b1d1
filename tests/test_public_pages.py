"""The public pages read well for the public on any screen: the overview page has a viewport
and speaks of the published documents (no internal phrasing such as "the seed"), and the
structure charts scale to the window instead of a fixed width of ~2,000 px."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

CODES = ["merton", "lewisham", "sefton", "sandwell"]
#: Words of the project's own workshop, not of the published documents a reader knows.
INTERNAL = re.compile(r"\bseeds?\b|\bhookimpls?\b|\bTODO\b", re.IGNORECASE)


async def test_the_overview_page_has_a_viewport_and_no_internal_phrasing(api):
    response = await api.client.get("/")
    assert response.status_code == 200
    page = response.text
    assert re.search(r"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", page)
    text = re.sub(r"<[^>]+>", " ", page)
    assert not INTERNAL.findall(text), [text[max(0, m.start() - 80): m.end() + 80] for m in INTERNAL.finditer(text)]


@pytest.mark.parametrize("code", CODES)
async def test_a_structure_chart_scales_to_its_window(api, code):
    response = await api.client.get(f"/partnerships/{code}/structure.svg")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    width, height = root.get("width"), root.get("height")
    assert root.get("viewBox") and len(root.get("viewBox").split()) == 4
    assert width in (None, "100%") and height in (None, "100%", "auto"), (width, height)


@pytest.mark.parametrize("code", CODES)
async def test_the_open_data_speaks_of_the_published_documents(api, code):
    response = await api.client.get(f"/partnerships/{code}/popolo.json")
    assert response.status_code == 200
    assert not INTERNAL.findall(response.text), [response.text[max(0, m.start() - 80): m.end() + 80]
                                                 for m in INTERNAL.finditer(response.text)]
