"""The Messaging API spec as data: reading it from where upstream publishes it (`source`), the change
report between two versions (`diff`), and the overlay that records where the live API differs
(`overlay`). `scripts/regen.sh` and `d360 spec diff` / `d360 overlay check` are built on these."""
