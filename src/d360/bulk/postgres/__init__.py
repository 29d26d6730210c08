"""The bulk journal in PostgreSQL (`d360 bulk --journal postgresql://...`): campaigns several senders on
several machines can share. Needs the `postgres` extra (psycopg 3 and psycopg-pool)."""
