"""Exit 0 when the PostgreSQL server of the URL given answers; otherwise say why and exit 1.

Used by scripts/test.sh and scripts/fuzz.sh to decide whether to run their PostgreSQL pass.
"""

import sys

import psycopg

url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
