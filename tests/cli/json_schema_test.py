#!/usr/bin/env python3
"""graph --format json matches docs/schema/graph.schema.json for every bundled example.

    json_schema_test.py NETTOPO EXAMPLES_DIR SCHEMA
"""
import json
import pathlib
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("skipped: python3-jsonschema is missing (scripts/setup installs it)")
    sys.exit(0)

nettopo, examples, schema_path = sys.argv[1:4]
schema = json.loads(pathlib.Path(schema_path).read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = 0
files = sorted(pathlib.Path(examples).glob("*.toml"))
assert files, f"no examples in {examples}"
for lab_file in files:
    output = subprocess.run([nettopo, "graph", "--format", "json", str(lab_file)],
                            check=True, capture_output=True, text=True).stdout
    document = json.loads(output)
    errors = list(validator.iter_errors(document))
    for error in errors:
        print(f"FAIL: {lab_file.name}: {'/'.join(map(str, error.path))}: {error.message}")
    failures += len(errors)
    if document.get("schema_version") != 1:
        print(f"FAIL: {lab_file.name}: schema_version is {document.get('schema_version')!r}")
        failures += 1
print(f"{len(files)} examples checked, {failures} problems")
sys.exit(1 if failures else 0)
