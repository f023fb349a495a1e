"""Run the SQL blocks of docs/fleet.md in DuckDB, verbatim, from the
current folder (which holds fleet/); print each result as JSON:
{"name": {"columns": [...], "rows": [[...], ...]}}.

Used by cli/tests/fleet_duckdb.rs; argv[1] is the path of docs/fleet.md."""

import json
import re
import sys

import duckdb

text = open(sys.argv[1], encoding="utf-8").read()
out = {}
for block in re.findall(r"```sql\n(.*?)```", text, re.S):
    name = re.match(r"-- query: (\w+)", block).group(1)
    rel = duckdb.sql(block)
    out[name] = {"columns": rel.columns, "rows": [list(r) for r in rel.fetchall()]}
json.dump(out, sys.stdout, default=str)
