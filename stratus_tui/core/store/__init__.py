"""The store: a design file loaded, checked and saved.

`design_file` (load, save, atomic write, locks), `yaml_io` (the YAML round trip),
`formats` (JSON / TOML), `migrations`, `merge` (an edit into the user's comments and
order), `schema` (the JSON Schema), `explain` (located validation errors) and
`validation` (reference checks). Import the module you need: this package imports
nothing, so reading `store.yaml_io` does not load the rest.
"""
