"""Model builders: one module per command family, each registering itself with ``register_builder``.

Every submodule of this package is imported by ``nornir_catlic.parsing``, so dropping a module here is
all it takes to plug a new template's builder in.
"""
