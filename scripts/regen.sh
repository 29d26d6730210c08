#!/usr/bin/env bash
# Regenerate the client from a spec: scripts/regen.sh [SOURCE]
# SOURCE is a file or http(s) URL holding raw OpenAPI JSON or the upstream docs page; none means the
# vendored openapi/messages.json. Runs scripts/regen.py with the project's pinned generator; set PYTHON
# to use another interpreter that has the dev extras installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
if [ ! -x "$python" ]; then
  make -C "$root" --no-print-directory install >&2
fi
exec "$python" "$root/scripts/regen.py" "$@"
