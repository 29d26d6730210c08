"""`d360 bulk`: a campaign from a file, sent so that a crash never sends a line twice.

The parts, in the order a run uses them: `input` reads JSON Lines or CSV (streamed), `journal` keeps
one SQLite row per line, `run` validates, fills the journal and sends what is left through
`d360.concurrency.send_many`, `progress` draws the bar, and `report` turns a journal into the funnel.
Nothing here is imported by `import d360`: only the command and users who drive a run themselves need it.
"""
