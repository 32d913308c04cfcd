"""Live workshops: one shared board on a CRDT (pycrdt, the Yrs engine) for a whole room.

`stratus serve FILE` holds the room (`room.Room`): the only writer of FILE. Every browser's
app process and every `stratus join URL` terminal is a client (`client.LiveClient`) that
keeps its own replica of the document in sync over a websocket. `board` is the document's
schema and its mapping to and from a `Design`.

Imported only by `serve` and `join`: the core never imports it.
"""
