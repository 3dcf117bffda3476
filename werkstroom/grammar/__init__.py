"""The .wf language: grammar, parser, AST and formatter."""
