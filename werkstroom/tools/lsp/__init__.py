"""The language server (`wf lsp`): diagnostics, completion, hover, navigation, formatting and quick fixes
for .wf scripts over the Language Server Protocol (pygls), from the same check pipeline as `wf check`."""
