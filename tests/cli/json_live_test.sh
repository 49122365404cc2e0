#!/usr/bin/env bash
# The JSON of the commands that read a running lab matches its documented schema: brings a small
# lab up (a bridge, a rate limit, loss, a program, a check), validates `status`, `link show` and
# `check` with --format json against docs/schema/, and takes the lab down, also on failure.
#   json_live_test.sh NETTOPO SCHEMA_DIR
set -uo pipefail
nettopo=$1 schemas=$2
if ((EUID != 0)); then
  echo "skipped: building a lab needs root"
  exit 77
fi
if ! python3 -c 'import jsonschema' 2>/dev/null; then
  echo "skipped: python3-jsonschema is missing (scripts/setup installs it)"
  exit 77
fi
lab=jl-$$
work=$(mktemp -d)
trap '"$nettopo" -q down --lab "$lab" >/dev/null 2>&1; rm -rf "$work"' EXIT
cat >"$work/lab.toml" <<TOML
name = "$lab"
[nodes.h1]
run = ["sleep 1000"]
[nodes.h2]
[bridges.sw]
[[links]]
endpoints = ["h1", "sw"]
addresses = ["10.0.0.1/24"]
rate = "10mbit"
[[links]]
endpoints = ["h2", "sw"]
addresses = ["10.0.0.2/24"]
loss = "1%"
[[checks]]
name = "h1 reaches h2"
node = "h1"
ping = "h2"
within = "5s"
TOML
"$nettopo" -q up "$work/lab.toml" || { echo "FAIL: up"; exit 1; }
"$nettopo" status --lab "$lab" --format json >"$work/status.json" || { echo "FAIL: status"; exit 1; }
"$nettopo" link show --lab "$lab" --format json >"$work/link-show.json" ||
  { echo "FAIL: link show"; exit 1; }
"$nettopo" check --lab "$lab" --format json >"$work/check.json" || { echo "FAIL: check"; exit 1; }
python3 - "$schemas" "$work" <<'PY'
import json, pathlib, sys
import jsonschema
schemas, work = map(pathlib.Path, sys.argv[1:3])
failures = 0
for name in ["status", "link-show", "check"]:
    schema = json.loads((schemas / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads((work / f"{name}.json").read_text())
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    for error in errors:
        print(f"FAIL: {name}: {'/'.join(map(str, error.path))}: {error.message}")
    failures += len(errors)
    if document.get("schema_version") != 1:
        print(f"FAIL: {name}: schema_version is {document.get('schema_version')!r}")
        failures += 1
print(f"3 documents checked, {failures} problems")
sys.exit(1 if failures else 0)
PY
