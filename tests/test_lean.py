"""Lean execution (schema/lean.py) answers exactly as strawberry and graphql-core do.

The API's own suite runs through the lean path; this test reaches the corners the real
schema rarely meets — nulls where a type allows them and where it does not, resolvers that
raise or return awaitables, lists holding a null or an object of the wrong type — and
checks that data, errors, messages and paths are identical to the generic path's.
"""

from __future__ import annotations

import asyncio

import pytest
import strawberry

from core.config import Settings
from schema.lean import LeanExecutionContext, lean_resolvers
from schema.root import build_schema


@strawberry.type
class Leaf:
    name: str
    note: str | None = None

    @strawberry.field
    def strict(self) -> str:
        if self.name.endswith("-1"):
            raise ValueError(f"no strict value for {self.name}")
        return self.name.upper()


@strawberry.type
class Other:
    name: str


@strawberry.type
class Branch:
    label: str

    @strawberry.field
    def leaf(self, info: strawberry.Info) -> Leaf | None:
        return None if self.label == "bare" else Leaf(name=f"{self.label}-leaf")

    @strawberry.field
    def required_leaf(self, info: strawberry.Info) -> Leaf:
        return None if self.label == "bare" else Leaf(name=self.label)  # type: ignore[return-value]

    @strawberry.field
    async def later(self, info: strawberry.Info) -> Leaf | None:
        await asyncio.sleep(0)
        return None if self.label == "bare" else Leaf(name=f"{self.label}-later")

    @strawberry.field
    def soon(self, info: strawberry.Info) -> Leaf:
        future = asyncio.get_running_loop().create_future()
        future.set_result(Leaf(name=f"{self.label}-soon"))
        return future  # type: ignore[return-value]

    @strawberry.field
    def leaves(self) -> list[Leaf]:
        if self.label == "holes":
            return [Leaf(name="a"), None, Leaf(name="b")]  # type: ignore[list-item]
        if self.label == "mixed":
            return [Leaf(name="a"), Other(name="impostor")]  # type: ignore[list-item]
        return [Leaf(name=f"{self.label}-{i}", note=None if i else "first") for i in range(3)]

    @strawberry.field
    def loose_leaves(self) -> list[Leaf | None]:
        return [Leaf(name=f"{self.label}-{i}") for i in range(3)]

    @strawberry.field
    def maybe_leaves(self) -> list[Leaf | None] | None:
        return None if self.label == "bare" else [None, Leaf(name="x")]

    @strawberry.field
    def broken(self, info: strawberry.Info) -> Leaf | None:
        raise ValueError(f"broken {self.label}")

    @strawberry.field
    def broken_required(self) -> Leaf:
        raise ValueError(f"required {self.label}")

    @strawberry.field
    def path(self, info: strawberry.Info) -> str:
        return "/".join(str(p) for p in info.path.as_list())


@strawberry.type
class Query:
    @strawberry.field
    def branches(self) -> list[Branch]:
        return [Branch(label=label) for label in ("full", "bare", "holes", "mixed")]


QUERIES = [
    "{ branches { label leaf { name note } later { name } soon { name } path } }",
    "{ branches { label maybeLeaves { name } } }",
    "{ branches { label broken { name } } }",
    "{ branches { label requiredLeaf { name } } }",
    "{ branches { label brokenRequired { name } } }",
    "{ branches { label leaves { name note } } }",
    "{ branches { label looseLeaves { name strict } } }",
    "{ branches { label leaves { name strict } } }",
    "{ branches { ... on Branch { label leaves { ...L } } } } fragment L on Leaf { name }",
    "{ branches { label leaf @include(if: true) { name } x: leaf { n: name } } }",
]


def schema(lean: bool) -> strawberry.Schema:
    built = strawberry.Schema(query=Query, execution_context_class=LeanExecutionContext if lean else None)
    if lean:
        lean_resolvers(built)
    return built


@pytest.mark.parametrize("query", QUERIES)
async def test_lean_execution_answers_as_the_generic_path_does(query):
    generic = await schema(lean=False).execute(query)
    lean = await schema(lean=True).execute(query)
    assert lean.data == generic.data
    assert [(e.message, e.path) for e in lean.errors or []] == [(e.message, e.path) for e in generic.errors or []]
    assert generic.data is not None or generic.errors  # the query really ran


def test_the_lean_path_is_really_taken():
    """Guard against a library upgrade silently turning the lean path off."""
    built = schema(lean=True)
    assert lean_resolvers(strawberry.Schema(query=Query)) > 0
    branch = built._schema.type_map["Branch"]
    assert hasattr(branch.fields["leaf"].resolve, "call")
    assert hasattr(built._schema.type_map["Leaf"].fields["name"].resolve, "leaf")
    assert built.execution_context_class.__name__ == "LeanExecutionContext"


def test_the_setting_turns_the_lean_path_off():
    """`lean_execution=false` leaves strawberry's generic path alone: no resolver marked,
    its own execution context."""
    on, off = build_schema(Settings(lean_execution=True)), build_schema(Settings(lean_execution=False))
    assert on.execution_context_class is LeanExecutionContext
    assert off.execution_context_class is not LeanExecutionContext
    assert not issubclass(off.execution_context_class, LeanExecutionContext)

    def marked(built):
        return sum(hasattr(f.resolve, "leaf") or hasattr(f.resolve, "call")
                   for t in built._schema.type_map.values() for f in (getattr(t, "fields", None) or {}).values()
                   if not t.name.startswith("__") and hasattr(f, "resolve"))

    assert marked(on) > 100 and marked(off) == 0
