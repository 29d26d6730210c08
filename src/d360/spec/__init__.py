"""The Messaging API spec as data: reading it from where upstream publishes it (`source`), refusing what an
untrusted spec may not carry (`guard`), merging upstream's pages into one spec (`pages`), the change
report between two versions (`diff`), the overlay that records where the live API differs (`overlay`),
and showing a spec's text safely (`text`). `scripts/regen.sh` and `d360 spec diff` are built on these."""
