"""The event-storming board: `board` (stickies, contexts, pure edits) and `derive`
(candidate services from the board). Import the module you need."""
