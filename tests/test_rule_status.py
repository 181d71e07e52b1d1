"""No answer presents a rule as the document's when the document does not state it.

Every rule field of the four boroughs is walked through GraphQL: each ``source`` must carry
a status, and a STATED one its section and the document's quoted words (DERIVED also the
step; BASELINE and NOT_STATED the reason). The rulebook each borough publishes is held to
the same, and must name the API field of every encoded rule."""

from __future__ import annotations

import pytest

from core.enums import Role

SOURCE = "source { document section status quote derivation }"
YEARS = ("2019/20", "2020/21", "2021/22", "2024/25")
KINDS = ("PROFESSIONAL_DISAGREEMENT", "PARTNER_NOT_MEETING_OBLIGATIONS", "FUNDING_DEFAULT",
         "CHILDREN_AT_RISK_CHALLENGE")


def _query() -> str:
    ladders = " ".join(
        f"{k.lower()}: escalationLadder(kind: {k}) {{ {SOURCE} stages {{ {SOURCE} }} disclosures {{ {SOURCE} }} }}"
        for k in KINDS)
    years = " ".join(
        f"y{y[:4]}: funding(financialYear: \"{y}\") {{ hostArrangement {{ status {SOURCE} lines {{ {SOURCE} }} "
        f"decisions {{ {SOURCE} }} }} published {{ {SOURCE} }} }}" for y in YEARS)
    chairs = " ".join(f"c{y[:4]}: chair(financialYear: \"{y}\") {{ agency {{ code }} {SOURCE} }}" for y in YEARS)
    src = SOURCE.removeprefix("source ")
    return f"""
    query ($code: String!) {{
      partnership(code: $code) {{
        {ladders}
        {years}
        reviewTimescales {{ notificationSource {src} rapidReviewSource {src} completionSource {src}
                            publicationSource {src} rapidReviewGroupSource {src} }}
        annualReportRecipients {{ {SOURCE} publicationSource {src} signOffSource {src} contentsSource {src} }}
        rulebook {{ id status section quote derivation appliesIn encoded why }}
        groups(first: 100) {{ nodes {{
          code
          quorum(present: []) {{ {SOURCE} }}
          {chairs}
          votingRule {{ {SOURCE} }}
          proxyRule {{ {SOURCE} }}
          attendancePolicy {{ {SOURCE} }}
          meetingRules {{ {SOURCE} notice {{ {SOURCE} }} papers {{ {SOURCE} }} minutes {{ {SOURCE} }} }}
        }} }}
      }}
    }}"""


def _sources(value, path=""):
    """Every Source object in an answer, with where it is."""
    if isinstance(value, dict):
        if "status" in value and "document" in value and "derivation" in value:
            yield path, value
        for k, v in value.items():
            yield from _sources(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _sources(v, f"{path}[{i}]")


def _problem(source: dict) -> str | None:
    status = source["status"]
    if status == "STATED" and not (source["section"] and source["quote"]):
        return "STATED without section and quoted words"
    if status == "DERIVED" and not (source["section"] and source["quote"] and source["derivation"]):
        return "DERIVED without section, quoted words and the step"
    if status in ("BASELINE", "NOT_STATED") and not source["derivation"]:
        return f"{status} without the reason"
    return None


@pytest.mark.parametrize("code", ["merton", "lewisham", "sefton", "sandwell"])
async def test_every_rule_answer_says_how_it_knows(api, code):
    body = await api.gql(_query(), {"code": code}, as_role=(code, Role.MEMBER))
    found = list(_sources(body["data"]["partnership"]))
    assert len(found) > 50
    bad = [f"{path}: {problem} — {s['document']} {s['section'] or ''}"
           for path, s in found if (problem := _problem(s))]
    assert not bad, f"{code}: {len(bad)} rule answers overstate what the document says:\n" + "\n".join(bad[:40])


@pytest.mark.parametrize("code", ["merton", "lewisham", "sefton", "sandwell"])
async def test_the_published_rulebook_is_complete(api, code):
    body = await api.gql(_query(), {"code": code}, as_role=(code, Role.MEMBER))
    book = body["data"]["partnership"]["rulebook"]
    assert any(e["status"] == "STATED" for e in book), f"{code} publishes no stated rule"
    for e in book:
        assert _problem(e) is None, (code, e)
        assert (e["appliesIn"] if e["encoded"] else e["why"]), (code, e)


def test_a_stated_answer_without_quoted_words_is_caught():
    assert _problem({"status": "STATED", "section": "§8.12", "quote": None, "derivation": None})
    assert _problem({"status": "NOT_STATED", "section": None, "quote": None, "derivation": None})
    assert _problem({"status": "STATED", "section": "§8.12", "quote": "quorate when", "derivation": None}) is None


async def test_compare_shows_per_borough_how_many_rules_are_stated(api):
    body = await api.gql("{ compare(aspects: [RULE_STATUS]) { rows { cells { partnership { code } value summary } } } }")
    cells = {c["partnership"]["code"]: c for c in body["data"]["compare"]["rows"][0]["cells"]}
    assert {"merton", "lewisham", "sefton", "sandwell"} <= set(cells)
    for code, cell in cells.items():
        book = (await api.gql('query ($c: String!) { partnership(code: $c) { rulebook { status encoded } } }',
                              {"c": code}))["data"]["partnership"]["rulebook"]
        counts = cell["value"]["counts"]
        assert counts["STATED"] == sum(e["status"] == "STATED" for e in book)
        assert counts["NOT_ENCODED"] == sum(not e["encoded"] for e in book)
        assert f"{counts['STATED']} stated" in cell["summary"]


async def test_the_rulebook_is_published_beside_the_overview(api):
    page = await api.client.get("/")
    assert page.status_code == 200 and "/partnerships/sandwell/rulebook.md" in page.text
    md = await api.client.get("/partnerships/sandwell/rulebook.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    from core.kit.rules_doc import RULES_DIR

    assert md.text == (RULES_DIR / "sandwell.md").read_text(encoding="utf-8")
    assert (await api.client.get("/partnerships/nowhere/rulebook.md")).status_code == 404


def test_the_generated_rulebooks_are_current():
    from core.kit import rules_doc

    assert not rules_doc.stale(), "docs/rules has drifted from the rulebooks: run `partnerships rules-doc`"


def _words(text: str) -> str:
    """Whitespace, typographic quotes/dashes and the text's bold markers folded, so a quote
    matches across line breaks and emphasis."""
    table = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "*": None})
    return " ".join(text.translate(table).split()).casefold()


@pytest.mark.parametrize("code", ["merton", "lewisham", "sefton", "sandwell"])
def test_every_quote_is_the_documents_own_words(registry, code):
    """A STATED or DERIVED rule quotes its document: each quoted fragment (split at an
    ellipsis) appears, word for word, in the published text kept beside the plugin."""
    rules = registry.rules_for(code)
    seeds = sorted(rules.data_file.parent.glob("*.txt"))
    assert seeds, f"{code}: the published document's text is not kept beside the plugin"
    text = _words(" ".join(p.read_text(encoding="utf-8") for p in seeds))
    missing = []
    for e in rules.rulebook().entries:
        if e.status.value in ("STATED", "DERIVED"):
            for fragment in e.quote.replace("...", "…").split("…"):
                if fragment.strip() and _words(fragment.strip(" .,;:")) not in text:
                    missing.append(f"{e.id}: “{fragment.strip()}”")
    assert not missing, f"{code}: quotes not found in the document:\n" + "\n".join(missing)
