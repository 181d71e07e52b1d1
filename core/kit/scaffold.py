"""``partnerships plugin new CODE``: a borough plugin as its own installable distribution.

The scaffold lives outside the core repository (it refuses to write inside it): a
``pyproject.toml`` exposing the ``partnerships.plugins`` entry point, the arrangements data
file with every field present and commented, a hookimpl module listing every overridable
hook of ``core/hookspecs.py`` (commented out; generated now, so hooks added to the contract
later appear in new scaffolds), and a test file that runs the conformance kit.
``pip install -e DIR`` and ``partnerships load CODE`` make the borough appear in the API.
"""

from __future__ import annotations

import re
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

from core.enums import AgencyKind, ChairBasis, GroupKind, SeatRole
from core.financial_year import FinancialYear
from core.kit.specs import HookSpec, overridable

CODE = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
CORE_ROOT = Path(__file__).resolve().parent.parent.parent
#: Fictional values of the scaffolded data file that no real document has: the conformance kit
#: fails a borough that still holds one (core.kit.conformance.check_placeholders).
PLACEHOLDER_PERSON = "A. N. Example"
PLACEHOLDER_HOST = "example.org"
NAME_SUFFIX = " Safeguarding Children Partnership"
#: Values that depend on the day the scaffold was written, not on the borough.
DATED_KEYS = frozenset({"published", "rotation_start", "terms_of_reference_review"})


class ScaffoldError(Exception):
    """A scaffold that cannot be written: says why and what to do instead."""


@dataclass(frozen=True)
class Scaffold:
    code: str
    directory: Path
    package: str
    distribution: str
    files: tuple[Path, ...]

    @property
    def data_file(self) -> Path:
        return self.directory / "src" / self.package / "arrangements.toml"


def package_name(code: str) -> str:
    return "partnerships_" + code.replace("-", "_")


def new_plugin(code: str, directory: Path | str | None = None, *, name: str | None = None,
               allow_inside_core: bool = False) -> Scaffold:
    """Write the scaffold for borough *code* into *directory* (default ``./partnerships-CODE``)."""
    if not CODE.match(code or ""):
        raise ScaffoldError(f"{code!r} is not a partnership code: use lower-case letters, digits and hyphens, "
                            "starting with a letter, e.g. 'croydon' or 'tower-hamlets'")
    directory = Path(directory) if directory else Path.cwd() / f"partnerships-{code}"
    directory = directory.resolve()
    if not allow_inside_core and (directory == CORE_ROOT or CORE_ROOT in directory.parents):
        raise ScaffoldError(f"{directory} is inside the core repository ({CORE_ROOT}); a borough plugin is its own "
                            "distribution: pass --dir with a path outside it")
    if directory.exists() and any(directory.iterdir()):
        raise ScaffoldError(f"{directory} exists and is not empty; choose another --dir or remove it")
    package = package_name(code)
    title = name or code.replace("-", " ").title()
    files = {
        "pyproject.toml": _pyproject(code, package),
        "README.md": _readme(code, package, title),
        f"src/{package}/__init__.py": _init(code, package, title),
        f"src/{package}/hooks.py": hooks_module(title),
        f"src/{package}/arrangements.toml": arrangements_toml(code, title),
        "tests/test_conformance.py": _test_file(package),
    }
    written = []
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return Scaffold(code, directory, package, f"partnerships-plugin-{code}", tuple(written))


# ------------------------------------------------------------------------------- files


def _pyproject(code: str, package: str) -> str:
    return textwrap.dedent(f"""\
        [build-system]
        requires = ["setuptools>=64", "wheel"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "partnerships-plugin-{code}"
        version = "0.1.0"
        description = "The published safeguarding children partnership arrangements of {code}, as a Partnerships Graph plugin."
        requires-python = ">=3.11"
        # The core (partnerships-graph) provides the hookspecs, the baseline and the kit. It is
        # not listed as a dependency so that `pip install -e .` works inside the core's own
        # environment without fetching anything; add "partnerships-graph" when you publish.
        dependencies = []

        # This line is what makes the borough appear: the core loads every module in this group.
        [project.entry-points."partnerships.plugins"]
        {code} = "{package}"

        [tool.setuptools.packages.find]
        where = ["src"]

        [tool.setuptools.package-data]
        "*" = ["*.toml"]
        """)


def _readme(code: str, package: str, title: str) -> str:
    return textwrap.dedent(f"""\
        # {title} — a Partnerships Graph plugin

        1. Transcribe your published arrangements into `src/{package}/arrangements.toml`
           (every field is there, commented; cite the section of every fact in `source`).
           Until you do, the conformance kit fails: the file is a fictional example.
        2. Where your document departs from Working Together 2018, uncomment the hook in
           `src/{package}/hooks.py` and return your rule citing the document's words
           (`core.plugin_api.stated`, or a rulebook entry: see the guide). Import only from
           `core.plugin_api`.
        3. `pip install -e .` in the core's environment, then `pytest` here runs the
           conformance kit, and `partnerships plugin check {code}` does the same from the shell.
        4. `partnerships load {code}` and the borough is in the API:
           `{{ partnership(code: "{code}") {{ name }} }}`.

        The author guide is `docs/plugin-guide.md` in the core; the hook reference is
        `docs/hooks.md`.
        """)


def _init(code: str, package: str, title: str) -> str:
    return textwrap.dedent(f'''\
        """{title}: safeguarding partnership arrangements as a Partnerships Graph plugin.

        Exposed in the ``partnerships.plugins`` entry-point group (see pyproject.toml). The
        core builds one plugin manager for this borough: the Working Together 2018 baseline
        plus this package's modules, so only the rules your document changes need a hookimpl.
        """

        from pathlib import Path

        from core.plugin_api import hookimpl

        # Every module of this package is registered (hooks.py included): no imports needed.


        @hookimpl
        def partnership_arrangements() -> Path:
            return Path(__file__).with_name("arrangements.toml")
        ''')


def _test_file(package: str) -> str:
    return textwrap.dedent(f'''\
        """The conformance kit: `pytest`, once installed with `pip install -e .`."""

        import pytest
        from core.kit.conformance import CHECKS, check_module

        import {package}


        @pytest.fixture(scope="module")
        def report():
            return check_module({package})


        @pytest.mark.parametrize("check", sorted(CHECKS))
        def test_conformance(report, check):
            problems = [p for p in report.problems if p.check == check]
            assert not problems, "\\n".join(str(p) for p in problems)


        def test_the_plugin_loads(report):
            loading = [p for p in report.problems if p.check in ("schema", "plugin")]
            assert not loading, "\\n".join(str(p) for p in loading)
        ''')


def hooks_module(title: str, specs: list[HookSpec] | None = None) -> str:
    """The hookimpl module: every overridable hook of the contract, commented out."""
    specs = overridable() if specs is None else specs
    out = [
        f'"""{title}: rule hooks, only where the document departs from WT2018.',
        "",
        "Every overridable hook of core/hookspecs.py is listed below, commented out; this list",
        "was generated from the contract when the plugin was scaffolded. Uncomment a hook where",
        "your document says something different, return the answer citing its rulebook entry",
        "(RULES.cite(id, document): section and the document's words), and return None where it",
        "does not apply, which hands the question back to the Working Together 2018 baseline.",
        "Import only from core.plugin_api. The reference for every hook is docs/hooks.md.",
        '"""',
        "",
        "from core.plugin_api import Rulebook, hookimpl, stated  # noqa: F401",
    ]
    if not specs:
        out += ["", "# (core/hookspecs.py has no rule hooks yet.)"]
    section = None
    for spec in specs:
        if spec.section != section:
            section = spec.section
            out += ["", "", f"# {'-' * 64} {section} hooks"]
        out += ["", f"# {spec.name} — {spec.kind}."]
        for line in textwrap.wrap(spec.summary, 80):
            out.append(f"# {line}")
        out += [
            "#",
            "# @hookimpl",
            f"# def {spec.name}({spec.signature}):",
            "#     return None  # None: the baseline answers",
        ]
    return "\n".join(out) + "\n"


def _one_of(enum_type) -> str:
    return "one of: " + ", ".join(m.value for m in enum_type)


def fictional_example(code: str, title: str) -> dict:
    """The scaffold's data file for this borough as parsed data, without the values that
    depend on the day it was written: what an unedited file reads as."""
    return without_dated(tomllib.loads(arrangements_toml(code, title)))


def without_dated(value):
    if isinstance(value, dict):
        return {k: without_dated(v) for k, v in value.items() if k not in DATED_KEYS}
    if isinstance(value, list):
        return [without_dated(v) for v in value]
    return value


def arrangements_toml(code: str, title: str) -> str:
    """A complete, valid arrangements file for a fictional borough: every field, commented."""
    year = FinancialYear.containing(__import__("datetime").date.today())
    return f'''# {title}{NAME_SUFFIX} — arrangements data file.
#
# Transcribe your published arrangements document here. Every field the core knows is present
# below with a comment; the values are a fictional example: replace them with what YOUR
# document says. TOML has no null: a fact your document does not state is simply left out
# (delete the line) — unknown is never invented. Put the section of every fact in `source`
# ("§8.12", "App. 1"), so every rule answer can cite it. The file is validated when the
# plugin loads (core/arrangements.py): an error names this file, the path and what is wrong.
# Codes: lower-case letters, digits and hyphens; they are how entries refer to each other.
# `partnerships plugin check` fails while this file is the fictional example as written, or
# still holds its placeholders: a document at {PLACEHOLDER_HOST}, a person called "{PLACEHOLDER_PERSON}".

# ---------------------------------------------------------------- the partnership

[partnership]
code = "{code}"                      # the partnership's code in the API: partnership(code: "{code}")
name = "{title}{NAME_SUFFIX}"  # as the document names it
local_authority = "London Borough of {title}"  # the local authority area it covers
region = "London"                      # optional: region, as you describe it
population = 250000                    # optional: population of the area, where the document gives it
source = "§1"                          # optional: where the document introduces the partnership

[partnership.document]                 # the published document this file is transcribed from
title = "{title} Safeguarding Children Partnership Arrangements"  # cited by every rule answer
published = "{year.start_year}-04"              # optional: as the document dates itself ("May 2019", "2021-07")
version = "1.0"                        # optional: the document's version
url = "https://{PLACEHOLDER_HOST}/{code}-arrangements.pdf"  # optional: where it is published
seed_file = "{code}-arrangements.txt"  # optional: a plain-text copy you keep beside it

# ---------------------------------------------------------------- agencies
# Every body the document names: the statutory partners, relevant agencies, independents.
# kind is {_one_of(AgencyKind)}

[[agencies]]
code = "council"                       # referred to by statutory_partners, people, seats and chair rotations
name = "London Borough of {title}"     # as published
kind = "LOCAL_AUTHORITY"
source = "§2"                          # optional: where the document names it

[[agencies]]
code = "icb"
name = "NHS {title} Integrated Care Board"
kind = "HEALTH_COMMISSIONER"           # the CCG, today the integrated care board
source = "§2"

[[agencies]]
code = "police"
name = "{title} Police"
kind = "POLICE"
source = "§2"

[[agencies]]
code = "schools"
name = "{title} schools and colleges"
kind = "EDUCATION"                     # a relevant agency (WT2018 ch.3)
source = "§3"

[[agencies]]
code = "independent"
name = "Independent office holders"
kind = "INDEPENDENT"                   # independent chairs, scrutineers and lay members
source = "§4"

# ---------------------------------------------------------------- statutory partners
# WT2018: the local authority, the health commissioner and the police — exactly three, unless
# your document names a further partner (Sandwell's Children's Trust, MASA §2): then give that
# partner a `reason` quoting the document; the conformance kit checks it.

[[statutory_partners]]
agency = "council"                     # an agency code above
lead_role = "Chief Executive"          # the lead representative's post
delegated_to = "Director of Children's Services"  # optional: the officer it is delegated to
source = "§2"

[[statutory_partners]]
agency = "icb"
lead_role = "Chief Executive"
delegated_to = "Chief Nurse"
source = "§2"

[[statutory_partners]]
agency = "police"
lead_role = "Borough Commander"
source = "§2"
# reason = "..."                       # only for a partner beyond the three: why the document makes it one

# ---------------------------------------------------------------- people
# Public office holders as published. The role title is required; a name only where published.

[[people]]
code = "independent-chair"
role_title = "Independent Chair"       # the post, as published
name = "{PLACEHOLDER_PERSON}"                 # optional: only where the document publishes the name
agency = "independent"                 # optional: the agency they belong to
source = "§4"

[[people]]
code = "dcs"
role_title = "Director of Children's Services"
agency = "council"
source = "§2"

# ---------------------------------------------------------------- groups
# The partnership's boards, executive, sub-groups and panels. Exactly one group has no
# `accountable_to` (the root); the others say which group they report to, without cycles.
# kind is {_one_of(GroupKind)}
# chair.basis is {_one_of(ChairBasis)}

[[groups]]
code = "board"
name = "{title} Safeguarding Children Partnership"
kind = "PARTNERSHIP_BOARD"
purpose = "Holds the statutory responsibilities and agrees the arrangements."  # optional
cadence = "quarterly"                  # optional: as published ("bi-monthly", "every six weeks")
meetings_per_year = 4                  # optional: where the cadence gives a number
terms_of_reference_review = {year.end.isoformat()}   # optional: the date the terms of reference are next reviewed
shared_with = []                       # optional: other local authorities sharing the group
confidential = false                   # optional: true when only members may read it
source = "§5"
# accountable_to is left out: this is the root of the hierarchy

[groups.chair]                         # how the chair is chosen (the chairing rule as data)
basis = "INDEPENDENT_APPOINTMENT"
office = "Independent Chair, appointed by the statutory partners"  # who holds it, as the document puts it
seat = "board-independent-chair"       # optional: the seat that chairs, where one fixed seat does
vice_chair = "Director of Children's Services"  # optional: as published
source = "§5.2"

[[groups]]
code = "executive"
name = "Executive Group"
kind = "EXECUTIVE"
accountable_to = "board"               # the group it reports to
cadence = "every six weeks"
meetings_per_year = 8
source = "§6"

[groups.chair]                         # a rotating chair (like Lewisham's Executive, MoU App. A)
basis = "ANNUAL_ROTATION"
office = "One of the three lead representatives, in annual rotation by financial year"
rotation = ["council", "icb", "police"]  # agency codes, in the agreed order
rotation_start = "{year}"              # the financial year of the first in the order
source = "§6.1"

[[groups]]
code = "learning-reviews"
name = "Learning and Reviews Sub-group"
kind = "SUB_GROUP"
accountable_to = "executive"
purpose = "Rapid reviews and local child safeguarding practice reviews."
cadence = "bi-monthly"
meetings_per_year = 6
source = "§7"

[groups.chair]
basis = "FIXED_OFFICE"
office = "Designated Nurse for Safeguarding Children"
source = "§7"

# ---------------------------------------------------------------- seats
# Who sits in each group and in what capacity. `post` is required even where no name is.
# role is {_one_of(SeatRole)}

[[seats]]
code = "board-independent-chair"
group = "board"                        # a group code above
role = "INDEPENDENT_CHAIR"
post = "Independent Chair"             # the role title
agency = "independent"                 # optional: the agency the seat belongs to
person = "independent-chair"           # optional: a person code above, where the document names the holder
source = "§5.2"

[[seats]]
code = "board-council"
group = "board"
role = "STATUTORY_PARTNER_LEAD"
post = "Director of Children's Services"
agency = "council"
person = "dcs"
membership_code = "SP"                 # optional: the document's own membership code, as published
source = "§5"

[[seats]]
code = "board-council-deputy"
group = "board"
role = "DELEGATED_OFFICER"
post = "Assistant Director, Safeguarding"
agency = "council"
deputy_of = "board-council"            # optional: this seat is the standing deputy of that seat
notes = "standing deputy with the same authority"  # optional: anything else the document says
source = "§5.3"

[[seats]]
code = "board-icb"
group = "board"
role = "STATUTORY_PARTNER_LEAD"
post = "Chief Nurse"
agency = "icb"
source = "§5"

[[seats]]
code = "board-police"
group = "board"
role = "STATUTORY_PARTNER_LEAD"
post = "Borough Commander"
agency = "police"
source = "§5"

[[seats]]
code = "board-schools"
group = "board"
role = "RELEVANT_AGENCY"
post = "Head teacher representative"
agency = "schools"
sector_representative = true           # optional: represents a sector, so needs no deputy
source = "§5"

[[seats]]
code = "executive-council"
group = "executive"
role = "STATUTORY_PARTNER_LEAD"
post = "Director of Children's Services"
agency = "council"
person = "dcs"
source = "§6"

[[seats]]
code = "executive-icb"
group = "executive"
role = "STATUTORY_PARTNER_LEAD"
post = "Chief Nurse"
agency = "icb"
source = "§6"

[[seats]]
code = "executive-police"
group = "executive"
role = "STATUTORY_PARTNER_LEAD"
post = "Borough Commander"
agency = "police"
source = "§6"

[[seats]]
code = "reviews-icb"
group = "learning-reviews"
role = "SUBGROUP_CHAIR"
post = "Designated Nurse for Safeguarding Children"
agency = "icb"
source = "§7"

[[seats]]
code = "reviews-police"
group = "learning-reviews"
role = "MEMBER"
post = "Detective Inspector, Public Protection"
agency = "police"
source = "§7"
'''
