"""Popolo JSON (https://www.popoloproject.com/specs/): organizations, persons, posts and
memberships — the shape civic-data tools already read.

Mapping:
- the partnership, each agency and each group is an *organization* (``classification``
  ``partnership`` / ``agency`` / ``group``); a group's ``parent_id`` is the group it is
  accountable to, or the partnership at the top;
- each published office holder is a *person*;
- each seat is a *post* in its group's organization (``label`` is the role title, ``role``
  our seat role);
- a *membership* links a seat's post to its person and to the agency it represents.

IDs are stable: ``<partnership>/<kind>/<code>``, so exporting twice gives the same file.
Fields Popolo has no name for live under ``partnerships:`` keys; :func:`to_arrangements`
reads them back so an export re-imports to the same structure.
"""

from __future__ import annotations

from typing import Any

from core.arrangements import Arrangements

X = "partnerships:"  # prefix of our extension fields
FORMAT_VERSION = 1


def _id(code: str, kind: str, item: str) -> str:
    return f"{code}/{kind}/{item}"


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, [], "")}


def to_popolo(a: Arrangements) -> dict[str, Any]:
    code = a.partnership.code
    root = _id(code, "partnership", code)
    info = a.partnership
    organizations: list[dict[str, Any]] = [
        _clean({
            "id": root, "name": info.name, "classification": "partnership",
            "area": {"name": info.local_authority},
            X + "code": code, X + "region": info.region, X + "population": info.population,
            X + "document": info.document.model_dump(exclude_none=True), X + "source": info.source,
            X + "statutory_partners": [sp.model_dump(exclude_none=True) for sp in a.statutory_partners],
            "sources": [{"note": info.document.title, "url": info.document.url}] if info.document.url else None,
        })
    ]
    for ag in a.agencies:
        organizations.append(_clean({
            "id": _id(code, "agency", ag.code), "name": ag.name, "classification": "agency",
            X + "kind": ag.kind.value, X + "source": ag.source,
        }))
    for g in a.groups:
        organizations.append(_clean({
            "id": _id(code, "group", g.code), "name": g.name, "classification": "group",
            "parent_id": _id(code, "group", g.accountable_to) if g.accountable_to else root,
            X + "kind": g.kind.value, X + "purpose": g.purpose, X + "cadence": g.cadence,
            X + "meetings_per_year": g.meetings_per_year,
            X + "chair": g.chair.model_dump(mode="json", exclude_none=True) if g.chair else None,
            X + "terms_of_reference_review": g.terms_of_reference_review.isoformat() if g.terms_of_reference_review else None,
            X + "shared_with": g.shared_with, X + "confidential": g.confidential or None, X + "source": g.source,
        }))
    persons = [
        _clean({
            "id": _id(code, "person", x.code), "name": x.name, X + "role_title": x.role_title,
            X + "agency": _id(code, "agency", x.agency) if x.agency else None, X + "source": x.source,
        })
        for x in a.people
    ]
    posts, memberships = [], []
    for s in a.seats:
        post_id = _id(code, "post", s.code)
        posts.append(_clean({
            "id": post_id, "label": s.post, "role": s.role.value, "organization_id": _id(code, "group", s.group),
            X + "deputy_of": _id(code, "post", s.deputy_of) if s.deputy_of else None,
            X + "sector_representative": s.sector_representative or None, X + "membership_code": s.membership_code,
            X + "notes": s.notes, X + "source": s.source,
        }))
        if s.person or s.agency:
            memberships.append(_clean({
                "id": _id(code, "membership", s.code), "post_id": post_id,
                "organization_id": _id(code, "group", s.group),
                "person_id": _id(code, "person", s.person) if s.person else None,
                "on_behalf_of_id": _id(code, "agency", s.agency) if s.agency else None,
                "role": s.role.value,
            }))
    return {
        X + "format": FORMAT_VERSION,
        "organizations": organizations,
        "persons": persons,
        "posts": posts,
        "memberships": memberships,
    }


def _tail(ref: str | None) -> str | None:
    return None if ref is None else ref.rsplit("/", 1)[-1]


def to_arrangements(doc: dict[str, Any]) -> Arrangements:
    """Read a Popolo export back into validated arrangements (raises pydantic errors)."""
    orgs = doc.get("organizations") or []
    roots = [o for o in orgs if o.get("classification") == "partnership"]
    if len(roots) != 1:
        raise ValueError("a Popolo export must hold exactly one organization with classification 'partnership'")
    root = roots[0]
    members = {m["post_id"]: m for m in doc.get("memberships") or []}
    raw = {
        "partnership": _clean({
            "code": root[X + "code"], "name": root["name"], "local_authority": root["area"]["name"],
            "region": root.get(X + "region"), "population": root.get(X + "population"),
            "document": root[X + "document"], "source": root.get(X + "source"),
        }),
        "statutory_partners": root.get(X + "statutory_partners") or [],
        "agencies": [
            _clean({"code": _tail(o["id"]), "name": o["name"], "kind": o[X + "kind"], "source": o.get(X + "source")})
            for o in orgs if o.get("classification") == "agency"
        ],
        "groups": [
            _clean({
                "code": _tail(o["id"]), "name": o["name"], "kind": o[X + "kind"],
                "accountable_to": _tail(o["parent_id"]) if o.get("parent_id") != root["id"] else None,
                "purpose": o.get(X + "purpose"), "cadence": o.get(X + "cadence"),
                "meetings_per_year": o.get(X + "meetings_per_year"), "chair": o.get(X + "chair"),
                "terms_of_reference_review": o.get(X + "terms_of_reference_review"),
                "shared_with": o.get(X + "shared_with"), "confidential": o.get(X + "confidential"),
                "source": o.get(X + "source"),
            })
            for o in orgs if o.get("classification") == "group"
        ],
        "people": [
            _clean({"code": _tail(x["id"]), "name": x.get("name"), "role_title": x[X + "role_title"],
                    "agency": _tail(x.get(X + "agency")), "source": x.get(X + "source")})
            for x in doc.get("persons") or []
        ],
        "seats": [
            _clean({
                "code": _tail(p["id"]), "group": _tail(p["organization_id"]), "role": p["role"], "post": p["label"],
                "agency": _tail(members.get(p["id"], {}).get("on_behalf_of_id")),
                "person": _tail(members.get(p["id"], {}).get("person_id")),
                "deputy_of": _tail(p.get(X + "deputy_of")),
                "sector_representative": p.get(X + "sector_representative"),
                "membership_code": p.get(X + "membership_code"), "notes": p.get(X + "notes"),
                "source": p.get(X + "source"),
            })
            for p in doc.get("posts") or []
        ],
    }
    return Arrangements.model_validate(raw)
