"""The LSP requests and notifications the server answers, registered on a ``WfServer``, and ``serve``,
which runs it."""

from __future__ import annotations

from lsprotocol import types

from ...grammar.formatter import format_ast
from .completion import complete
from .context import place_at
from .hover import hover_at
from .navigation import label_target, symbols
from .publish import SOURCE
from .server import WfServer

__all__ = ["register", "serve"]

TRIGGERS = [" ", ".", ",", "[", '"']


def serve() -> None:
    """Run the server on standard input and output until the client ends it."""
    server = WfServer()
    register(server)
    server.start_io()


def register(server: WfServer) -> None:
    """Register every feature on ``server``."""
    _documents(server)
    _requests(server)
    _edits(server)


def _documents(server: WfServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server.settings(params.initialization_options)
        roots = [p for f in params.workspace_folders or [] if (p := server.path_of(f.uri))]
        if not roots and params.root_uri:
            roots = [server.path_of(params.root_uri)]
        elif not roots and params.root_path:
            roots = [params.root_path]
        server.start_loading(roots)

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        server.schedule()  # the workspace's files are checked once at the start, open or not
        dynamic = server.client_capabilities.workspace
        watch = dynamic.did_change_watched_files if dynamic is not None else None
        if watch is not None and watch.dynamic_registration:
            server.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="wf-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[types.FileSystemWatcher(glob_pattern="**/*.wf")]))]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        path = server.path_of(doc.uri)
        server.ws.open(path, doc.text, doc.version)
        server.schedule(path)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        doc = params.text_document
        path = server.path_of(doc.uri)
        server.ws.open(path, server.workspace.get_text_document(doc.uri).source, doc.version)
        server.schedule(path)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        path = server.path_of(params.text_document.uri)
        server.ws.close(path)
        server.schedule()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            server.ws.refresh(server.path_of(change.uri))
        server.schedule()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def configuration(params: types.DidChangeConfigurationParams) -> None:
        server.settings(params.settings)
        server.schedule()


def _requests(server: WfServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS))
    def completion(params: types.CompletionParams) -> types.CompletionList | None:
        doc = server.document(params.text_document.uri)
        if doc is None:
            return None
        _path, src, lines = doc
        at = lines.offset(params.position)
        caps = server.client_capabilities.text_document
        item = caps.completion.completion_item if caps is not None and caps.completion is not None else None
        snippets = bool(item is not None and item.snippet_support)
        items = complete(place_at(src, at), src, at, server.catalogue, lines, snippets)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        doc = server.document(params.text_document.uri)
        if doc is None:
            return None
        _path, src, lines = doc
        parsed = server.ws.parse(src)
        found = hover_at(parsed.script, lines.offset(params.position), server.catalogue)
        if found is None:
            return None
        text, span = found
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                           range=lines.range(span))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(params: types.DefinitionParams) -> types.Location | None:
        doc = server.document(params.text_document.uri)
        if doc is None:
            return None
        _path, src, lines = doc
        found = label_target(server.ws.parse(src).script, lines.offset(params.position))
        if found is None:
            return None
        return types.Location(uri=params.text_document.uri, range=lines.range(found[0].span))

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbols(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
        doc = server.document(params.text_document.uri)
        if doc is None:
            return None
        _path, src, lines = doc
        return symbols(server.ws.parse(src).script, src, lines)


def _edits(server: WfServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        doc = server.document(params.text_document.uri)
        if doc is None:
            return None
        _path, src, lines = doc
        parsed = server.ws.parse(src)
        if not parsed.ok:  # as `wf fmt`: a file with syntax errors is left alone (the errors are shown)
            return None
        new = format_ast(parsed.script, src)
        if new == src.text:
            return []
        end = lines.position(src.line_count, len(src.line_text(src.line_count)) + 1)
        whole = types.Range(start=types.Position(line=0, character=0), end=end)
        return [types.TextEdit(range=whole, new_text=new)]

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_actions(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        path = server.path_of(uri)
        sent = server.sent.get(path, [])
        actions = []
        for d in params.context.diagnostics:
            if d.source != SOURCE:
                continue
            fix = _fix_of(d, sent)
            if fix is None:
                continue
            actions.append(types.CodeAction(
                title=f"Change to `{fix}`", kind=types.CodeActionKind.QuickFix, diagnostics=[d],
                is_preferred=True,
                edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=d.range, new_text=fix)]})))
        return actions


def _fix_of(d: types.Diagnostic, sent: list[types.Diagnostic]) -> str | None:
    """The replacement of a diagnostic's quick fix: from its ``data``, or (for an editor that does not
    send ``data`` back) from the published diagnostic with the same code and range."""
    for known in (d, *[s for s in sent if s.code == d.code and s.range == d.range]):
        data = known.data
        if isinstance(data, dict) and isinstance(data.get("fix"), str):
            return str(data["fix"])
    return None
