"""`stratus serve`: the workbench in browsers, behind a guard and a process supervisor.

Imported only by `stratus serve` (it pulls in aiohttp); other commands never load it.
"""
