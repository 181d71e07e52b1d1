"""The conformance kit: does a borough plugin's data and rules hold together?

Plain functions, each taking a borough's :class:`~core.plugins.PartnershipRules` and
returning a list of :class:`Problem` — empty when the borough passes. Every problem names the
file, the path inside it and the fix. Run them all with :func:`check_rules` (a loaded
borough), :func:`check_module` (a plugin module, loading included) or :func:`check_installed`
(every installed borough); from the shell, ``partnerships plugin check [CODE...]``; from
pytest, ``core.kit.pytest_plugin``.

The rule checks do not hard-code the hooks: they read the firstresult hooks from
``core/hookspecs.py`` at run time, pick those whose names say what they answer (a chair, a
quorum, an escalation ladder, a host arrangement), build their keyword arguments from the
arrangements data by parameter name and type, and call them through the borough's plugin
manager. A hook nobody has written yet is skipped with a note, so the kit keeps working as
hooks land.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib
import inspect
import re
import tomllib
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from core import hookspecs as _hookspecs
from core.arrangements import Arrangements, ArrangementsError, GroupData, SeatData
from core.enums import AgencyKind, ChairBasis, GroupKind, SeatRole
from core.financial_year import FinancialYear
from core.kit.specs import HookSpec, hookspecs
from core.rules.common import Citation

GUIDE = "docs/plugin-guide.md"
WT2018_KINDS = (AgencyKind.LOCAL_AUTHORITY, AgencyKind.HEALTH_COMMISSIONER, AgencyKind.POLICE)


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a borough: which check, where (file and path), what, and the fix."""

    check: str
    file: str
    path: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.file}: {self.path}: {self.message}\n    fix: {self.fix}"


@dataclass
class Report:
    """Every check's problems for one borough, and notes (skipped checks, accepted exceptions)."""

    code: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_check(self, check: str) -> list[Problem]:
        return [p for p in self.problems if p.check == check]

    def format(self, notes: bool = False) -> str:
        head = f"{self.code}: " + ("passes the conformance kit" if self.ok else f"{len(self.problems)} problem(s)")
        lines = [head] + [str(p) for p in self.problems]
        if notes:
            lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


class _Run:
    """What one run of the checks shares: the date, notes, and hook answers (computed once)."""

    def __init__(self, rules, today: dt.date | None, spec_module: ModuleType | None = None):
        self.rules = rules
        self.spec_module = spec_module or _hookspecs
        self.today = today or dt.date.today()
        self.year = FinancialYear.containing(self.today)
        self.notes: list[str] = []
        self._answers: dict[str, list[Answer]] | None = None

    @property
    def file(self) -> str:
        return str(self.rules.data_file)

    def answers(self) -> dict[str, list[Answer]]:
        if self._answers is None:
            self._answers = _ask_rule_hooks(self)
        return self._answers

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


# ---------------------------------------------------------------------------- data checks

#: Hosts reserved for examples and tests (RFC 2606, RFC 6761): no document is published there.
_EXAMPLE_HOST = re.compile(r"(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)$", re.IGNORECASE)
_URL_HOST = re.compile(r"https?://(?:[^@/\s]*@)?([^/:\s?#\"']+)", re.IGNORECASE)


def _strings(value: object, path: str = "") -> Iterable[tuple[str, str]]:
    """Every string in parsed TOML, with its path as the other checks write it (``people[0].name``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def check_placeholders(rules, run: _Run | None = None) -> list[Problem]:
    """The data is the borough's own document, not the scaffold's fictional example: not the
    scaffolded file as written, no document at an example domain, nobody called "A. N. Example".
    A borough that passed with placeholders would publish a fiction as its arrangements."""
    from core.kit.scaffold import NAME_SUFFIX, PLACEHOLDER_PERSON, fictional_example, without_dated

    run = run or _Run(rules, None)
    try:
        data = tomllib.loads(Path(run.file).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return []  # the plugin would not load: the schema check says why
    problems: list[Problem] = []
    partnership = data.get("partnership") or {}
    name = partnership.get("name")
    if isinstance(name, str) and name.endswith(NAME_SUFFIX) and isinstance(partnership.get("code"), str):
        if without_dated(data) == fictional_example(partnership["code"], name.removesuffix(NAME_SUFFIX)):
            problems.append(Problem(
                "placeholders", run.file, "(file)", "the file is the scaffold's fictional example, unedited",
                f"transcribe your published arrangements: replace every value with what your document says "
                f"(the comments in the file say what each field is; see {GUIDE})"))
    for path, text in _strings(data):
        hosts = [h for h in _URL_HOST.findall(text) if _EXAMPLE_HOST.search(h)]
        if hosts:
            problems.append(Problem("placeholders", run.file, path, f"{text!r} is at {hosts[0]}, a domain reserved for "
                                    "examples: no document is published there",
                                    "give the address where your document is published, or delete the line"))
        elif text == PLACEHOLDER_PERSON:
            problems.append(Problem("placeholders", run.file, path, f"{text!r} is the scaffold's placeholder name",
                                    "give the name your document publishes, or delete the line (a name only where "
                                    "the document publishes it)"))
    return problems



def check_statutory_partners(rules, run: _Run | None = None) -> list[Problem]:
    """Three statutory partners (local authority, health, police), or more each with a reason."""
    run = run or _Run(rules, None)
    a: Arrangements = rules.arrangements
    kinds = {ag.code: ag.kind for ag in a.agencies}
    problems: list[Problem] = []

    def problem(path: str, message: str, fix: str) -> None:
        problems.append(Problem("statutory-partners", run.file, path, message, fix))

    if len(a.statutory_partners) < 3:
        problem("statutory_partners", f"{len(a.statutory_partners)} statutory partner(s); WT2018 requires three",
                "add a [[statutory_partners]] entry for each of the local authority, the health commissioner (CCG/ICB) and the police")
    seen: dict[str, int] = {}
    first_of_kind: dict[AgencyKind, int] = {}
    for i, sp in enumerate(a.statutory_partners):
        if sp.agency in seen:
            problem(f"statutory_partners[{i}].agency", f"agency {sp.agency!r} is already statutory_partners[{seen[sp.agency]}]",
                    "list each partner agency once")
            continue
        seen[sp.agency] = i
        kind = kinds.get(sp.agency)
        if kind in WT2018_KINDS and kind not in first_of_kind:
            first_of_kind[kind] = i
            continue
        if not (sp.reason or "").strip():
            what = f"a second {kind.value} partner" if kind in WT2018_KINDS else f"a partner of kind {kind}"
            problem(f"statutory_partners[{i}].reason",
                    f"{sp.agency!r} is {what}, beyond the three WT2018 partners, and gives no reason",
                    f"add `reason = \"...\"` quoting why the document makes {sp.agency!r} a partner (and its section in `source`), "
                    "or remove the entry")
    for kind in WT2018_KINDS:
        if kind not in first_of_kind and len(a.statutory_partners) >= 3:
            problem("statutory_partners", f"no statutory partner is an agency of kind {kind.value}",
                    f"add the {kind.value.lower().replace('_', ' ')} partner to [[agencies]] with `kind = \"{kind.value}\"` "
                    "and list it in [[statutory_partners]]")
    return problems


def check_group_hierarchy(rules, run: _Run | None = None) -> list[Problem]:
    """Groups form one tree: no cycle, exactly one root (see :func:`oversight_exception`)."""
    run = run or _Run(rules, None)
    a: Arrangements = rules.arrangements
    groups = {g.code: (i, g) for i, g in enumerate(a.groups)}
    problems: list[Problem] = []
    for code in groups:  # cycles (also refused when the file is parsed)
        path, cur = [], code
        while cur is not None and cur in groups:
            if cur in path:
                cycle = path[path.index(cur):] + [cur]
                i = groups[code][0]
                problems.append(Problem(
                    "group-hierarchy", run.file, f"groups[{i}].accountable_to",
                    "accountable_to forms a cycle: " + " -> ".join(cycle),
                    "point one of these groups' accountable_to at the group it reports to outside the cycle "
                    "(the partnership's main board has none)"))
                return problems
            path.append(cur)
            cur = groups[cur][1].accountable_to
    roots = [(i, g) for i, g in enumerate(a.groups) if g.accountable_to is None]
    if not roots:
        return [Problem("group-hierarchy", run.file, "groups", "no group is the root of the hierarchy",
                        "leave `accountable_to` out of the partnership's main board")]
    main = _main_root(a, [g for _, g in roots])
    for i, g in roots:
        if g.code == main.code:
            continue
        reason = oversight_exception(a, g)
        if reason:
            run.note(f"groups[{i}] {g.code!r} stands outside the hierarchy, accepted: {reason}")
            continue
        problems.append(Problem(
            "group-hierarchy", _at(run.file, "groups", g.code), f"groups[{i}].accountable_to",
            f"group {g.code!r} has no accountable_to, so the hierarchy has a second root besides {main.code!r}",
            f"set `accountable_to = \"{main.code}\"` (or the group it reports to, as the document says)"))
    return problems


def oversight_exception(a: Arrangements, group: GroupData) -> str | None:
    """Why a second root is legitimate, or ``None``.

    The one documented exception: the statutory partners meeting in their own right (a
    ``PANEL`` or ``EXECUTIVE`` whose members are every statutory partner's lead, with at most
    attendees and business support besides) oversees the partnership rather than reporting to
    it — WT2018 gives the partners, not the partnership, the responsibility for the
    arrangements. Merton's "Panel of Statutory Safeguarding Partners" (§7.9, §8.2) receives
    the independent scrutiny and reviews the Partnership's work: it is such a group.
    """
    if group.kind not in (GroupKind.PANEL, GroupKind.EXECUTIVE):
        return None
    seats = [s for s in a.seats if s.group == group.code]
    members = [s for s in seats if s.role not in (SeatRole.ATTENDEE, SeatRole.BOARD_SUPPORT)]
    partners = {sp.agency for sp in a.statutory_partners}
    leads = {s.agency for s in members if s.role in (SeatRole.STATUTORY_PARTNER_LEAD, SeatRole.DELEGATED_OFFICER)}
    if members and leads == partners and all(s.agency in partners for s in members):
        return "its members are exactly the statutory partners, who oversee the arrangements rather than report within them"
    return None


def _main_root(a: Arrangements, roots: list[GroupData]) -> GroupData:
    children: dict[str, list[str]] = {}
    for g in a.groups:
        if g.accountable_to:
            children.setdefault(g.accountable_to, []).append(g.code)

    def size(code: str) -> int:
        return 1 + sum(size(c) for c in children.get(code, []))

    rank = {GroupKind.PARTNERSHIP_BOARD: 0, GroupKind.EXECUTIVE: 1}
    return min(roots, key=lambda g: (-size(g.code), rank.get(g.kind, 2), a.groups.index(g)))


def check_seat_agencies(rules, run: _Run | None = None) -> list[Problem]:
    """Every seat's agency exists; partner seats belong to a statutory partner."""
    run = run or _Run(rules, None)
    a: Arrangements = rules.arrangements
    agencies = {ag.code for ag in a.agencies}
    partners = {sp.agency for sp in a.statutory_partners}
    problems: list[Problem] = []
    for i, s in enumerate(a.seats):
        where = _at(run.file, "seats", s.code)
        if s.agency is not None and s.agency not in agencies:
            problems.append(Problem("seat-agencies", where, f"seats[{i}].agency", f"unknown agency {s.agency!r}",
                                    f"add [[agencies]] code = \"{s.agency}\" or use one of: {', '.join(sorted(agencies))}"))
        elif s.role in (SeatRole.STATUTORY_PARTNER_LEAD, SeatRole.DELEGATED_OFFICER) and s.agency is None:
            problems.append(Problem("seat-agencies", where, f"seats[{i}].agency",
                                    f"seat {s.code!r} is a {s.role.value} seat with no agency",
                                    "set `agency` to the statutory partner whose seat this is"))
        elif s.role is SeatRole.STATUTORY_PARTNER_LEAD and s.agency not in partners:
            problems.append(Problem("seat-agencies", where, f"seats[{i}].agency",
                                    f"seat {s.code!r} is a STATUTORY_PARTNER_LEAD seat of {s.agency!r}, which is not a statutory partner",
                                    "use the partner's agency, or give the seat the role it holds (e.g. RELEVANT_AGENCY)"))
    return problems


# ---------------------------------------------------------------------------- rule checks

# The hooks the kit knows, by what they answer. A hook counts for a check when its name is
# listed here or matches the pattern; the kit calls every such firstresult hook it finds.
RULE_HOOKS: dict[str, tuple[tuple[str, ...], str]] = {
    "chairs": (("group_chair", "chair_for", "chair_rule", "chairing_rule", "who_chairs"), r"chair"),
    "quorum": (("quorum", "quorum_rule", "group_quorum", "is_quorate", "quorum_for"), r"quor"),
    "dispute-ladders": (("escalation_ladder", "dispute_ladder", "escalation_stages"), r"ladder|escalation_stage"),
    "host": (("host_arrangements", "funding_host", "host_arrangement", "funding_hosts"), r"host"),
}


@dataclass
class Answer:
    """One hook call the kit made: for which case, with which arguments, what came back."""

    hook: str
    case: str  # "group 'executive', 2026/27", "empty meeting of 'executive'", ...
    path: str  # where in the data file the case comes from
    file: str
    value: object = None
    error: BaseException | None = None
    meeting: str | None = None  # "full" / "empty" for quorum calls


def rule_hooks(category: str, module: ModuleType = _hookspecs) -> list[HookSpec]:
    """The firstresult hooks in the contract that answer *category* (see :data:`RULE_HOOKS`)."""
    names, pattern = RULE_HOOKS[category]
    found = []
    for spec in hookspecs(module):
        if not spec.firstresult or spec.name in DATA_HOOKS:
            continue
        if spec.name in names or re.search(pattern, spec.name):
            found.append(spec)
    return found


def _ask_rule_hooks(run: _Run) -> dict[str, list[Answer]]:
    out: dict[str, list[Answer]] = {}
    claimed: set[str] = set()
    for category in RULE_HOOKS:
        out[category] = []
        specs = [s for s in rule_hooks(category, run.spec_module) if s.name not in claimed]
        if not specs:
            run.note(f"{category}: no hook in core/hookspecs.py answers this yet; check skipped")
        for spec in specs:
            claimed.add(spec.name)
            out[category] += _call_for_cases(run, spec, category)
    out["other"] = []
    for spec in hookspecs(run.spec_module):  # every other rule hook the kit can build arguments for
        if spec.firstresult and spec.name not in claimed and spec.name not in DATA_HOOKS:
            out["other"] += _call_for_cases(run, spec, "other")
    return out


#: Hooks that return a plugin's files, not rule answers: not called as rules.
DATA_HOOKS = frozenset({"partnership_arrangements", "partnership_rulebook"})


def _call_for_cases(run: _Run, spec: HookSpec, category: str) -> list[Answer]:
    answers: list[Answer] = []
    try:
        cases = list(_cases(run, spec, category))
    except _CannotBuild as exc:
        run.note(f"{spec.name}: the kit cannot build argument {exc} yet; not checked")
        return answers
    for case, path, ctx, meeting in cases:
        try:
            kwargs = {p.name: _make(t, p.name, ctx) for p, t in _param_types(spec)}
        except _CannotBuild as exc:
            run.note(f"{spec.name}: the kit cannot build argument {exc} yet; not checked")
            return answers
        answer = Answer(spec.name, case, path, run.file, meeting=meeting)
        try:
            answer.value = run.rules.ask(spec.name, **kwargs)
        except Exception as exc:  # a rule that raises is itself a finding
            answer.error = exc
        answers.append(answer)
    return answers


# Arguments are built from the arrangements data: by the type the hookspec gives (its
# annotation, else the ``name: ``dotted.Type`` `` line of its docstring), filling a
# dataclass's fields by name from the facts of the case (the partnership, a group, a seat,
# an agency). So a hook taking ``group: core.rules.governance.GroupFacts`` gets one built
# from each [[groups]] entry without the kit knowing GroupFacts.


class _CannotBuild(Exception):
    pass


def _cases(run: _Run, spec: HookSpec, category: str) -> Iterable[tuple[str, str, dict, str | None]]:
    a: Arrangements = run.rules.arrangements
    base = _partnership_facts(run)
    types = _param_types(spec)
    if category == "quorum" or any(_is_group_param(p.name, t) for p, t in types):
        for i, g in enumerate(a.groups):
            seats = [s for s in a.seats if s.group == g.code]
            counts = {"member_count": len(seats), "members_count": len(seats), "seat_count": len(seats)}
            if category == "quorum":
                for meeting, present in (("full", seats), ("empty", [])):
                    ctx = {**base, **_group_facts(run, g), **counts, "__present__": present,
                           "present_count": len(present), "attendance_count": len(present)}
                    label = f"{meeting} meeting of {g.code!r}" + (f" ({len(present)} seats)" if present or not seats else "")
                    yield label, f"groups[{i}]", ctx, meeting
            else:
                ctx = {**base, **_group_facts(run, g), **counts, "__present__": seats}
                yield f"group {g.code!r}, {run.year}", f"groups[{i}]", ctx, None
        return
    for p, t in types:
        if _kind_of(_unwrap(t)) == "agency":
            partners = {sp.agency for sp in a.statutory_partners}
            for i, ag in enumerate(a.agencies):
                if ag.code in partners or i == len(a.agencies) - 1:
                    yield f"agency {ag.code!r}", f"agencies[{i}]", {**base, **_agency_facts(a, ag)}, None
            return
        e = _unwrap(t)
        if isinstance(e, type) and issubclass(e, enum.Enum) and e not in (AgencyKind, GroupKind, SeatRole):
            for member in e:
                yield f"{p.name} {member.value}", f"(hook {spec.name})", {**base, p.name: member}, None
            return
    yield f"{run.rules.code}, {run.year}", "partnership", base, None


def _is_group_param(name: str, t: object) -> bool:
    kind = _kind_of(_unwrap(t))
    item = typing.get_args(t)[0] if typing.get_origin(t) in (tuple, list) and typing.get_args(t) else None
    return (kind == "group" or _kind_of(item) == "seat" or name in ("group", "group_code", "chair", "present", "seats")
            or name.startswith(("group_", "present_")))


def _partnership_facts(run: _Run) -> dict:
    a = run.rules.arrangements
    return {
        "arrangements": a,
        "partnership": a.partnership,
        "partnership_code": a.partnership.code,
        "document": a.partnership.document.title,
        "document_title": a.partnership.document.title,
        "financial_year": run.year,
        "year": run.year,
        "today": run.today,
        "as_of": run.today,
        "on": run.today,
    }


def _group_facts(run: _Run, g: GroupData) -> dict:
    a: Arrangements = run.rules.arrangements
    return _group_facts_from(a, g)


def _ids(a: Arrangements) -> dict[str, int]:
    """Stand-in database ids (1, 2, ...) for codes, for hooks that take ids."""
    ids = {s.code: i + 1 for i, s in enumerate(a.seats)}
    ids.update({g.code: i + 1 for i, g in enumerate(a.groups)})
    return ids


def _agency_facts(a: Arrangements, ag) -> dict:
    partners = {sp.agency: sp for sp in a.statutory_partners}
    sp = partners.get(ag.code)
    return {
        **ag.model_dump(), "agency": ag.code, "agency_code": ag.code, "agency_name": ag.name,
        "statutory": sp is not None, "is_statutory_partner": sp is not None,
        "position": a.agencies.index(ag), "lead_role": sp.lead_role if sp else None,
        "delegated_to": sp.delegated_to if sp else None, "__agency__": ag, "__code__": ag.code,
    }


def _seat_facts(a: Arrangements, s: SeatData) -> dict:
    agency = next((ag for ag in a.agencies if ag.code == s.agency), None)
    facts = _agency_facts(a, agency) if agency else {}
    return {**facts, **s.model_dump(), "id": a.seats.index(s) + 1, "seat_id": a.seats.index(s) + 1,
            "seat": s.code, "seat_code": s.code, "agency": s.agency,
            "agency_code": s.agency, "statutory": facts.get("statutory", False), "__seat__": s, "__code__": s.code}


def _param_types(spec: HookSpec) -> list[tuple[inspect.Parameter, object]]:
    """Each argument of the hook with its annotated type (``typing.get_type_hints``)."""
    hints = typing.get_type_hints(spec.function)
    return [(p, hints.get(p.name)) for p in spec.parameters]


def _unwrap(t: object) -> object:
    """``X | None`` -> X."""
    args = typing.get_args(t)
    if args and type(None) in args and typing.get_origin(t) not in (tuple, list):
        rest = [x for x in args if x is not type(None)]
        return rest[0] if len(rest) == 1 else t
    return t


def _kind_of(t: object) -> str | None:
    """"agency", "group", "seat" for a dataclass that describes one (by its fields' types)."""
    if not (isinstance(t, type) and dataclasses.is_dataclass(t)):
        return None
    hints = _type_hints(t)
    if hints.get("kind") in (AgencyKind, AgencyKind | None):
        return "agency"
    if hints.get("kind") in (GroupKind, GroupKind | None):
        return "group"
    if hints.get("role") in (SeatRole, SeatRole | None):
        return "seat"
    name = t.__name__.lower()
    for kind in ("agency", "partner", "group", "seat"):
        if kind in name:
            return "agency" if kind == "partner" else kind
    return None


def _type_hints(t: type) -> dict:
    try:
        return typing.get_type_hints(t)
    except Exception:
        return {f.name: f.type for f in dataclasses.fields(t)}


def _optional(t: object) -> bool:
    return type(None) in typing.get_args(t) and typing.get_origin(t) not in (tuple, list)


def _make(t: object, name: str, ctx: dict) -> object:
    if _optional(t) and ctx.get(name) is None:
        return None  # e.g. `recorded: ChairSelection | None`: nothing recorded
    t = _unwrap(t)
    origin = typing.get_origin(t)
    if origin in (tuple, list, frozenset, set):
        item = (typing.get_args(t) or (object,))[0]
        given = ctx.get(name)
        if isinstance(given, list | tuple) and not isinstance(given, str):  # e.g. a chair rotation
            return origin(_make(item, name, {**ctx, name: v}) for v in given)
        return origin(_make(item, name, c) for c in _population(item, name, ctx))
    value = ctx.get(name)
    if t is None or t is typing.Any:
        if name in ctx:
            return value
        raise _CannotBuild(f"`{name}` (no type in the hookspec's annotation or docstring)")
    if not isinstance(t, type):
        raise _CannotBuild(f"`{name}: {t}`")
    if value is not None and isinstance(value, t):
        return value
    if t is FinancialYear:
        return FinancialYear.parse(value) if isinstance(value, str) else ctx["financial_year"]
    if t is dt.date:
        return ctx["today"]
    if t is str:
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, FinancialYear):
            return str(value)
        if value is not None and hasattr(value, "code"):
            return value.code
        if "document" in name:
            return ctx["document"]
        if value is not None:
            return str(value)
        if "__code__" in ctx:  # an item of a tuple of codes
            return ctx["__code__"]
        raise _CannotBuild(f"`{name}: str`")
    if t is bool:
        return bool(value)
    if t is int:
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value in ctx.get("__ids__", {}):  # a code where an id is wanted
            return ctx["__ids__"][value]
        return 100_000 if "pence" in name or "amount" in name else 1
    if issubclass(t, enum.Enum):
        if isinstance(value, str) and value in t.__members__:
            return t[value]
        return next(iter(t))
    if dataclasses.is_dataclass(t):
        return _build_dataclass(t, ctx)
    raise _CannotBuild(f"`{name}: {t.__name__}`")


def _population(item: object, name: str, ctx: dict) -> list[dict]:
    """The contexts a tuple argument is built from: its agencies, seats, or one sample."""
    a: Arrangements = ctx["arrangements"]
    kind = _kind_of(_unwrap(item))
    if kind is None and not (isinstance(item, type) and dataclasses.is_dataclass(item)):
        if re.search(r"present|attend|seat|member", name):
            kind = "seat"
        elif re.search(r"agenc|partner", name):
            kind = "agency"
    if kind == "agency":
        # A ref with a `statutory` flag stands for every agency (the flag tells the partners
        # apart); one without it stands for the safeguarding partners only.
        partners = {sp.agency for sp in a.statutory_partners}
        flagged = isinstance(item, type) and dataclasses.is_dataclass(item) and "statutory" in _type_hints(item)
        return [{**ctx, **_agency_facts(a, ag)} for ag in a.agencies if flagged or ag.code in partners]
    if kind == "seat":
        return [{**ctx, **_seat_facts(a, s)} for s in _seat_population(name, ctx)]
    if isinstance(item, type) and dataclasses.is_dataclass(item):
        inner = {_kind_of(_unwrap(h)) for h in _type_hints(item).values()}
        if "agency" in inner:  # e.g. (agency, weight): one per statutory partner
            partners = {sp.agency for sp in a.statutory_partners}
            return [{**ctx, **_agency_facts(a, ag)} for ag in a.agencies if ag.code in partners]
        if "seat" in inner:
            return [{**ctx, **_seat_facts(a, s)} for s in _seat_population(name, ctx)]
    if kind == "group":
        return [{**ctx, **_group_facts_from(a, g)} for g in a.groups]
    return [ctx]


def _seat_population(name: str, ctx: dict) -> list[SeatData]:
    """`present`/`attending` are the seats at the meeting; `seats`/`members` the whole group."""
    if re.search(r"present|attend", name):
        return list(ctx.get("__present__", []))
    return list(ctx.get("__seats__", ctx.get("__present__", [])))


def _group_facts_from(a: Arrangements, g: GroupData) -> dict:
    data = g.model_dump()
    facts = {f"group_{k}": v for k, v in data.items()}
    chair = g.chair.model_dump() if g.chair else {}
    for k, v in chair.items():
        facts[f"chair_{k}"] = v
        facts[f"chair_{k}_code"] = v
    seats = [s for s in a.seats if s.group == g.code]
    return {**facts, **data, "parent_code": g.accountable_to, "id": a.groups.index(g) + 1,
            "group": g, "group_code": g.code, "chair": g.chair, "__group__": g, "__seats__": seats,
            "__ids__": _ids(a), "acting_for_partnership": False}


def _build_dataclass(t: type, ctx: dict) -> object:
    hints = _type_hints(t)
    values = {}
    for f in dataclasses.fields(t):
        if not f.init:
            continue
        has_default = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        if f.name not in ctx and has_default:
            continue
        try:
            values[f.name] = _make(hints.get(f.name), f.name, ctx)
        except _CannotBuild:
            if not has_default:
                raise
    return t(**values)



def _citations(value: object, depth: int = 0) -> list[Citation]:
    if depth > 6 or value is None or isinstance(value, str | int | float | bool | enum.Enum):
        return []
    if isinstance(value, Citation):
        return [value]
    found: list[Citation] = []
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, list | tuple | set | frozenset):
        items = list(value)
    elif dataclasses.is_dataclass(value):
        items = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif hasattr(value, "model_fields"):
        items = [getattr(value, n) for n in type(value).model_fields]
    else:
        return []
    for item in items:
        found += _citations(item, depth + 1)
    return found


def _stages(value: object) -> list | None:
    if isinstance(value, list | tuple):
        return list(value)
    for name in ("stages", "steps", "ladder", "rungs"):
        inner = getattr(value, name, None)
        if isinstance(inner, list | tuple):
            return list(inner)
    return None


def _is_final(stage: object) -> bool | None:
    """Whether a stage ends the ladder: its `final` flag, else no ESCALATE action / no next stage."""
    final = getattr(stage, "final", None)
    if isinstance(final, bool):
        return final
    actions = getattr(stage, "actions", None)
    if isinstance(actions, list | tuple):
        return not any(str(getattr(a, "value", a)).upper() == "ESCALATE" for a in actions)
    nxt = getattr(stage, "next", getattr(stage, "escalates_to", None))
    return None if nxt is None and not hasattr(stage, "next") else nxt in (None, ())


def _stage_key(stage: object, index: int) -> object:
    for name in ("code", "name", "stage", "key", "title"):
        v = getattr(stage, name, None)
        if isinstance(v, str | int) and not isinstance(v, bool):
            return v
    return index


def _grouped(check: str, failures: list[tuple[Answer, str, str]]) -> list[Problem]:
    """One problem per hook and kind of failure, listing every case it happened for."""
    groups: dict[tuple[str, str, str], list[Answer]] = {}
    for ans, template, fix in failures:
        groups.setdefault((ans.hook, template, fix), []).append(ans)
    out = []
    for (_hook, template, fix), answers in groups.items():
        cases = "; ".join(a.case + (f" ({a.error})" if a.error is not None else "") for a in answers)
        paths = ", ".join(dict.fromkeys(a.path for a in answers))
        out.append(Problem(check, answers[0].file, paths, template.format(cases=cases), fix))
    return out


def _raised(ans: Answer) -> tuple[Answer, str, str]:
    return (ans, f"{ans.hook} raised {type(ans.error).__name__} for {{cases}}",
            f"make {ans.hook} return an answer (or None to hand back to the baseline) instead of raising")


def check_chairs(rules, run: _Run | None = None) -> list[Problem]:
    """Every group's chairing rule resolves for the current financial year."""
    run = run or _Run(rules, None)
    failures = []
    for ans in run.answers()["chairs"]:
        if ans.error is not None:
            failures.append(_raised(ans))
        elif ans.value is None:
            failures.append((ans, f"{ans.hook} gives no chair for {{cases}}",
                             "add a [groups.chair] table (basis, office/seat/rotation, source) or implement "
                             f"{ans.hook} for these groups; the baseline should answer every group"))
    return _data_chairs(run) + _grouped("chairs", failures)


def _data_chairs(run: _Run) -> list[Problem]:
    """What the data alone says: a rotation must be able to name this year's chair."""
    a: Arrangements = run.rules.arrangements
    partners = {sp.agency for sp in a.statutory_partners}
    problems = []
    for i, g in enumerate(a.groups):
        c = g.chair
        where = _at(run.file, "groups", g.code)
        if c is None or c.basis is ChairBasis.UNKNOWN:
            run.note(f"groups[{i}] {g.code!r}: the document does not say how the chair is chosen")
            continue
        if c.basis in (ChairBasis.ANNUAL_ROTATION, ChairBasis.ROTATION):
            strangers = [x for x in c.rotation if x not in partners]
            if strangers:
                problems.append(Problem("chairs", where, f"groups[{i}].chair.rotation",
                                        f"the chair rotation of {g.code!r} includes {', '.join(strangers)}, which "
                                        "is not a statutory partner",
                                        "list only statutory partner agency codes, in the agreed order"))
            if c.rotation_start is not None:
                start = FinancialYear.parse(c.rotation_start)
                if start > run.year:
                    problems.append(Problem("chairs", where, f"groups[{i}].chair.rotation_start",
                                            f"the chair rotation of {g.code!r} starts in {start}, after the current "
                                            f"year {run.year}, so no chair resolves for this year",
                                            f"set rotation_start to the first year of the rotation the document gives "
                                            f"(on or before {run.year})"))
            elif c.basis is ChairBasis.ANNUAL_ROTATION:
                run.note(f"groups[{i}] {g.code!r}: annual rotation with no rotation_start; this year's chair is provisional")
        elif c.basis in (ChairBasis.FIXED_OFFICE, ChairBasis.INDEPENDENT_APPOINTMENT) and not (c.seat or c.office):
            problems.append(Problem("chairs", where, f"groups[{i}].chair",
                                    f"{g.code!r} is chaired by {c.basis.value} but names neither `seat` nor `office`",
                                    "set `office` to the post as the document words it, and `seat` to the seat that holds it"))
    return problems


def check_quorum(rules, run: _Run | None = None) -> list[Problem]:
    """Every group's quorum rule evaluates for a full and for an empty meeting."""
    run = run or _Run(rules, None)
    failures = []
    for ans in run.answers()["quorum"]:
        if ans.error is not None:
            failures.append(_raised(ans))
            continue
        satisfied = getattr(ans.value, "satisfied", ans.value if isinstance(ans.value, bool) else None)
        if ans.value is None or not isinstance(satisfied, bool):
            failures.append((ans, f"{ans.hook} does not evaluate for the {{cases}}",
                             f"return a ruling with `satisfied` from {ans.hook} (None hands back to the baseline)"))
        elif ans.meeting == "empty" and satisfied:
            failures.append((ans, f"{ans.hook} says a meeting with nobody present is quorate: {{cases}}",
                             "a quorum rule must require members present; check the rule's counts"))
        elif ans.meeting == "full" and not satisfied:
            run.note(f"{ans.hook}: the {ans.case} (every listed seat present) is not quorate")
    return _grouped("quorum", failures)


def check_dispute_ladders(rules, run: _Run | None = None) -> list[Problem]:
    """Every escalation ladder is a finite list of stages that never repeats one and ends."""
    run = run or _Run(rules, None)
    failures = []
    for ans in run.answers()["dispute-ladders"]:
        if ans.error is not None:
            failures.append(_raised(ans))
            continue
        stages = _stages(ans.value)
        if ans.value is None or not stages:
            failures.append((ans, f"{ans.hook} gives no stages for {{cases}}",
                             f"return the ordered stages from {ans.hook}, ending at a final stage "
                             "(None hands back to the baseline)"))
            continue
        keys = [_stage_key(s, i) for i, s in enumerate(stages)]
        if len(set(keys)) != len(keys):
            failures.append((ans, f"{ans.hook} repeats a stage, so the ladder loops: {{cases}}",
                             "list each stage once, in order, ending at the last resort"))
            continue
        numbers = [getattr(st, "number", None) for st in stages]
        if all(isinstance(n, int) for n in numbers) and numbers != list(range(1, len(stages) + 1)):
            failures.append((ans, f"{ans.hook}'s stages are not numbered 1, 2, 3… in order: {{cases}}",
                             "number the stages in the order a dispute climbs them (core.rules.disputes.ladder does)"))
            continue
        finals = [_is_final(st) for st in stages]
        if finals[-1] is False:
            failures.append((ans, f"the last stage of {ans.hook} still escalates, so the ladder never ends: {{cases}}",
                             "make the last stage the last resort: no ESCALATE action, no next stage"))
        elif any(f is True for f in finals[:-1]):
            failures.append((ans, f"{ans.hook} has a final stage before the last, so later stages are unreachable: "
                                  "{cases}",
                             "let every stage but the last ESCALATE (core.rules.disputes.ladder does)"))
    return _grouped("dispute-ladders", failures)


def check_host(rules, run: _Run | None = None) -> list[Problem]:
    """Host arrangements (who holds the money, in which role) resolve for the current year."""
    run = run or _Run(rules, None)
    failures = []
    for ans in run.answers()["host"]:
        if ans.error is not None:
            failures.append(_raised(ans))
        elif ans.value is None or (isinstance(ans.value, list | tuple) and not ans.value):
            failures.append((ans, f"{ans.hook} gives no host arrangement for {{cases}}",
                             f"implement {ans.hook} from the document's funding section, or return None so the "
                             "baseline answers"))
    return _grouped("host", failures)


def check_citations(rules, run: _Run | None = None) -> list[Problem]:
    """Every rule answer cites its document (and, for a borough's own rule, the section)."""
    run = run or _Run(rules, None)
    failures = []
    for category, answers in run.answers().items():
        for ans in answers:
            if ans.error is not None:
                if category == "other":
                    run.note(f"{ans.hook} raised for {ans.case} with arguments the kit built: {ans.error}")
                continue
            if ans.value is None:
                continue
            cites = _citations(ans.value)
            if not cites or any(not (c.document or "").strip() for c in cites):
                failures.append((ans, f"{ans.hook}'s answer cites no source: {{cases}}",
                                 "return the answer with `source=Citation(document=<the document title>, "
                                 "section=\"§…\")`"))
            elif any(not getattr(c, "complete", True) for c in cites):
                failures.append((ans, f"{ans.hook}'s answer does not say how it knows: {{cases}}",
                                 "cite with core.plugin_api.stated(document, section, quote) — the operative "
                                 "words — or derived/baseline/not_stated with the step or reason; a rulebook "
                                 "entry's RULES.cite(id, document) does it"))
    return _grouped("citations", failures)



# ---------------------------------------------------------------------------- running

CHECKS: dict[str, Callable[..., list[Problem]]] = {
    "placeholders": check_placeholders,
    "statutory-partners": check_statutory_partners,
    "group-hierarchy": check_group_hierarchy,
    "seat-agencies": check_seat_agencies,
    "chairs": check_chairs,
    "quorum": check_quorum,
    "dispute-ladders": check_dispute_ladders,
    "host": check_host,
    "citations": check_citations,
}


def check_rules(rules, checks: Iterable[str] | None = None, today: dt.date | None = None,
                spec_module: ModuleType | None = None) -> Report:
    """Run the checks (all by default) on a loaded borough (against another contract module
    than ``core.hookspecs`` only in tests)."""
    run = _Run(rules, today, spec_module)
    report = Report(rules.code)
    for name in checks or CHECKS:
        report.problems += CHECKS[name](rules, run)
    report.notes = run.notes
    return report


def check_module(module: ModuleType | str, name: str | None = None, checks: Iterable[str] | None = None,
                 today: dt.date | None = None) -> Report:
    """Load a plugin module as the core would and run the checks; load failures are problems."""
    from core.plugins import PluginError, rules_for_module

    if isinstance(module, str):
        module = importlib.import_module(module)
    name = name or module.__name__
    try:
        rules = rules_for_module(module, name)
    except ArrangementsError as exc:
        return Report(name, _schema_problems(exc))
    except PluginError as exc:
        return Report(name, [Problem("plugin", getattr(module, "__file__", name) or name, name, str(exc),
                                     "fix the hookimpl named in the message: its name and argument names must match "
                                     "core/hookspecs.py (see docs/hooks.md)")])
    return check_rules(rules, checks, today)


def check_installed(codes: Iterable[str] = (), today: dt.date | None = None) -> list[Report]:
    """Every installed borough's report (or only *codes*)."""
    from core.plugins import discover

    wanted = set(codes)
    return [check_rules(r, today=today) for r in discover() if not wanted or r.code in wanted]


def check_file(path: Path | str) -> list[Problem]:
    """Schema problems of an arrangements file alone (no hooks)."""
    from core.arrangements import parse_arrangements

    try:
        parse_arrangements(Path(path))
    except ArrangementsError as exc:
        return _schema_problems(exc)
    return []


def _schema_problems(exc: ArrangementsError) -> list[Problem]:
    out = []
    for message in exc.problems:
        path, _, msg = message.partition(": ")
        if path == "(top level)":  # the cross-reference checks: "path: what; path: what"
            out += [_schema_problem(exc.path, part) for part in msg.split("; ")]
        else:
            out.append(_schema_problem(exc.path, message))
    return out


_FIXES = (
    (r"unknown (\w+) '([^']+)'", lambda m: f"add the {m.group(1)} {m.group(2)!r} (or use one of the known codes listed)"),
    (r"forms a cycle", lambda m: "point one group's accountable_to outside the cycle; the main board has none"),
    (r"three safeguarding partners", lambda m: "add [[statutory_partners]] for the local authority, the CCG/ICB and the police"),
    (r"duplicate code", lambda m: "give each entry its own code"),
    (r"Input should be '", lambda m: "use one of the values the message lists (see the comments in the scaffolded file)"),
    (r"Field required", lambda m: "add the missing key"),
    (r"Extra inputs are not permitted", lambda m: "remove the key or fix its spelling (see core/arrangements.py)"),
)


def _schema_problem(file: str, message: str) -> Problem:
    path, _, msg = message.partition(": ")
    if not msg:
        path, msg = "(file)", message
    fix = f"correct the value at this path; see {GUIDE}"
    for pattern, make in _FIXES:
        m = re.search(pattern, msg)
        if m:
            fix = make(m)
            break
    check = "schema"
    if "cycle" in msg:
        check, path = "group-hierarchy", f"{path}[].accountable_to"
    elif path.startswith("statutory_partners"):
        check = "statutory-partners"
    elif path.startswith("seats") and path.endswith(".agency"):
        check = "seat-agencies"
    return Problem(check, file, path, msg, fix)


def _at(file: str, table: str, code: str | None) -> str:
    """``file:line`` of the ``[[table]]`` entry with this code, where it can be found."""
    if code is None:
        return file
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
    except OSError:
        return file
    in_table = False
    for number, text in enumerate(lines, start=1):
        stripped = text.strip()
        if stripped.startswith("[["):
            in_table = stripped == f"[[{table}]]"
        elif in_table and re.match(rf'^code\s*=\s*"{re.escape(code)}"', stripped):
            return f"{file}:{number}"
    return file
