"""A request's GraphQL document: resolved from a persisted id when it comes as one, parsed
once, and shared.

* **Parsed once.** The endpoint parses the document as it arrives; the response cache (which
  answers it may serve), the request's log line (operation name, type, document hash) and
  execution (:class:`SharedDocument`, strawberry's parse step) all read that one AST. The
  parse is also kept per worker for the documents seen most recently, so a page asked for
  again is not parsed again either.
* **Persisted documents.** Apollo's automatic persisted queries: a client sends the
  SHA-256 of a document (``extensions.persistedQuery.sha256Hash``); the first time the
  server answers ``PERSISTED_QUERY_NOT_FOUND``, the client sends hash and document, and
  from then on the hash alone. **Trusted documents**: with the ``trusted_documents``
  setting naming a manifest (id → document, as GraphQL Code Generator's client preset and
  Relay emit), only the operations the frontend ships run — by id, or as their exact text.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, parse

from schema.errors import PARSE_FAILED, RequestError

#: An Apollo persisted-query hash: SHA-256, hex.
_SHA256 = re.compile(r"[0-9a-f]{64}")


def document_hash(document: str) -> str:
    """SHA-256 (hex) of a document as sent: how the request log, the response cache and
    persisted queries name it (Apollo's ``sha256Hash`` is the same digest)."""
    return hashlib.sha256(document.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=512)
def parse_document(text: str, max_tokens: int | None = None) -> DocumentNode:
    """The AST of a document (GraphQLSyntaxError when it does not parse); the documents
    parsed most recently are kept, so each distinct document is parsed once per worker."""
    try:
        return parse(text, max_tokens=max_tokens)
    except RecursionError:  # a document nested hundreds of levels deep, within the token limit
        raise GraphQLError("the document nests too deeply to be parsed", extensions={"code": PARSE_FAILED}) from None


@dataclass
class RequestDocument:
    """The document a request runs, parsed (``ast`` is None when it does not parse)."""

    text: str
    sha256: str
    operation_name: str | None
    ast: DocumentNode | None = None

    @classmethod
    def of(cls, text: str, operation_name: str | None, max_tokens: int, sha256: str | None = None) -> RequestDocument:
        try:
            ast = parse_document(text, max_tokens)
        except GraphQLError:  # strawberry reports it, with its location, when it executes
            ast = None
        return cls(text, sha256 or document_hash(text), operation_name, ast)

    @property
    def operations(self) -> list[OperationDefinitionNode]:
        if self.ast is None:
            return []
        return [d for d in self.ast.definitions if isinstance(d, OperationDefinitionNode)]

    @property
    def operation(self) -> OperationDefinitionNode | None:
        """The operation the request runs: the one named ``operationName``, or the only one."""
        operations = self.operations
        if self.operation_name:
            return next((o for o in operations if o.name and o.name.value == self.operation_name), None)
        return operations[0] if len(operations) == 1 else None

    @property
    def operation_type(self) -> str | None:
        """query | mutation | subscription (None when the document names no one operation)."""
        operation = self.operation
        return operation.operation.value if operation is not None else None

    @property
    def logged_name(self) -> str | None:
        """The name the request's log line and metrics give it: ``operationName``, else the
        only operation's name ("anonymous" when it has none)."""
        if self.operation_name:
            return self.operation_name
        operation = self.operation
        if operation is None:
            return None
        return operation.name.value if operation.name else "anonymous"

    def unselectable(self) -> str | None:
        """Why no operation can be picked from a document that parsed (None: one can)."""
        operations = self.operations
        if self.ast is None or self.operation is not None:
            return None
        if not operations:
            return None  # a document of fragments alone: validation says so
        if self.operation_name:
            return f"the document has no operation named {self.operation_name!r}"
        return "the document holds several operations: name the one to run in `operationName`"


# -- strawberry: execution reads the endpoint's parse ----------------------------------------


def shared_document_extension():
    """A schema extension that gives strawberry's parse step the document the endpoint
    parsed (or, for a WebSocket operation or the overview page, the kept parse) instead of
    parsing it again. It replaces strawberry's ParserCache."""
    from strawberry.extensions import SchemaExtension

    class SharedDocument(SchemaExtension):
        def on_parse(self):
            context = self.execution_context
            if context.graphql_document is None and context.query:
                request = getattr(context.context, "request", None)
                shared = getattr(getattr(request, "state", None), "document", None)
                if isinstance(shared, RequestDocument) and shared.ast is not None and shared.text == context.query:
                    context.graphql_document = shared.ast
                elif set(context.parse_options) <= {"max_tokens"}:
                    # one that does not parse is left to strawberry's own parse, which answers it as a
                    # request error; raised from here, the operation would only be completed, with no
                    # word of why
                    with contextlib.suppress(GraphQLError):
                        context.graphql_document = parse_document(context.query,
                                                                  context.parse_options.get("max_tokens"))
            yield

    return SharedDocument


def share_parsed_documents(schema) -> None:
    """Swap strawberry's ParserCache for :func:`shared_document_extension`, in its place: the
    extensions before it (``schema.root.RequestLimits``) set the parse options it parses with."""
    from strawberry.extensions import ParserCache, SchemaExtension

    shared = shared_document_extension()
    schema.extensions = [shared if not isinstance(f, SchemaExtension) and isinstance(f(), ParserCache) else f
                         for f in schema.extensions]
    if shared not in schema.extensions:
        schema.extensions = [shared, *schema.extensions]


# -- persisted documents ---------------------------------------------------------------------


def load_manifest(path: Path) -> dict[str, str]:
    """A trusted-documents manifest: a JSON object of id → document (GraphQL Code Generator's
    client preset, Relay's persisted queries), or Apollo's persisted query manifest
    (``{"format": "apollo-persisted-query-manifest", "operations": [{"id", "body"}]}``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"trusted_documents: cannot read {path}: {exc}") from None
    if isinstance(data, dict) and data.get("format") == "apollo-persisted-query-manifest":
        operations = data.get("operations")
        if not isinstance(operations, list) or not all(
                isinstance(o, dict) and isinstance(o.get("id"), str) and isinstance(o.get("body"), str)
                for o in operations):
            raise ValueError(f"trusted_documents: {path}: `operations` must be a list of {{id, body}} objects")
        return {o["id"]: o["body"] for o in operations}
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError(f"trusted_documents: {path} must be a JSON object mapping each document's id to its text")
    return data


@dataclass(frozen=True)
class Resolved:
    """The document a request runs, and whether the request registered it (APQ)."""

    text: str | None
    sha256: str | None = None
    register: bool = False


class PersistedDocuments:
    """Resolves a request's document from ``query``, a persisted-query hash or a document id,
    under the configured mode: automatic persisted queries (a per-worker store, bounded by
    bytes), trusted documents (a manifest read at start-up), or neither."""

    def __init__(self, *, automatic: bool = True, store_bytes: int = 8 * 1024 * 1024,
                 trusted: str | Path | None = None):
        from cachetools import LRUCache

        self.trusted: dict[str, str] | None = load_manifest(trusted) if trusted else None
        #: the hash of every trusted document's text, so the exact text is accepted too
        self.trusted_texts = {document_hash(t) for t in self.trusted.values()} if self.trusted is not None else set()
        self.store = LRUCache(maxsize=store_bytes, getsizeof=len) if automatic and self.trusted is None else None

    def resolve(self, params: dict[str, Any]) -> Resolved:
        query = params.get("query")
        extensions = params.get("extensions") or {}
        persisted = extensions.get("persistedQuery")
        identifier = _identifier(params, persisted)
        if self.trusted is not None:
            return self._trusted(query, identifier)
        if identifier is None:
            return Resolved(query)
        if self.store is None:
            raise RequestError("persisted queries are not enabled on this server: send the document in `query`",
                               "PERSISTED_QUERY_NOT_SUPPORTED")
        if not _SHA256.fullmatch(identifier):
            raise RequestError("a persisted query is named by the SHA-256 of its document, in lowercase hex",
                               "BAD_REQUEST")
        if query is not None:
            if document_hash(query) != identifier:
                raise RequestError("the persisted query's sha256Hash is not the SHA-256 of the document sent",
                                   "BAD_REQUEST")
            return Resolved(query, identifier, register=True)
        text = self.store.get(identifier)
        if text is None:
            raise RequestError("PersistedQueryNotFound: this server does not hold the document with that hash; "
                               "send it again with `query`", "PERSISTED_QUERY_NOT_FOUND", status=404, json_status=200)
        return Resolved(text, identifier)

    def _trusted(self, query: str | None, identifier: str | None) -> Resolved:
        if identifier is not None:
            text = self.trusted.get(identifier)
            if text is None:
                raise RequestError(f"no trusted document has the id {identifier!r}: this server runs only the "
                                   "operations in its manifest", "PERSISTED_QUERY_NOT_IN_LIST", status=403)
            if query is not None and query != text:
                raise RequestError("the document sent differs from the trusted document with that id",
                                   "BAD_REQUEST")
            return Resolved(text)
        if query is None:
            return Resolved(None)
        digest = document_hash(query)
        if digest not in self.trusted_texts:
            raise RequestError("this server runs only the operations in its manifest of trusted documents; send "
                               "one by its id", "PERSISTED_QUERY_NOT_IN_LIST", status=403)
        return Resolved(query, digest)

    def remember(self, resolved: Resolved) -> None:
        """Keep a document a client registered (once it is known to parse)."""
        if resolved.register and self.store is not None and resolved.text is not None:
            self.store[resolved.sha256] = resolved.text


def _identifier(params: dict[str, Any], persisted: Any) -> str | None:
    """The document id a request names: Apollo's ``extensions.persistedQuery`` (version 1,
    ``sha256Hash``), or ``documentId`` (the GraphQL-over-HTTP persisted documents draft,
    ``sha256:<hex>`` or a bare id) / Relay's ``doc_id``."""
    if persisted is not None:
        if not isinstance(persisted, dict) or persisted.get("version", 1) != 1 \
                or not isinstance(persisted.get("sha256Hash"), str):
            raise RequestError("`extensions.persistedQuery` must be {\"version\": 1, \"sha256Hash\": \"<hex>\"}",
                               "PERSISTED_QUERY_NOT_SUPPORTED")
        return persisted["sha256Hash"]
    for name in ("documentId", "doc_id"):
        value = params.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            raise RequestError(f"`{name}` must be a non-empty string", "BAD_REQUEST")
        return value.removeprefix("sha256:")
    return None
