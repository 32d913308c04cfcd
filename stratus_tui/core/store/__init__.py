"""The store: a design file loaded, checked and saved.

`design_file` (load, save, atomic write, locks), `serialise` (a design as JSON, TOML or
new YAML), `formats` (reading JSON / TOML), `migrations`, `merge` (an edit into the
user's comments and order), `schema` (the JSON Schema), `explain` (located validation
errors) and `validation` (reference checks, including that a decision's pattern exists in
the pattern library). The YAML parsers themselves are `core.yaml_io`, below the store,
because pattern files are YAML too. Import the module you need: this package imports
nothing, so reading one module does not load the rest.
"""
