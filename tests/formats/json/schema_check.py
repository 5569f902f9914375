#!/usr/bin/env python3
"""schemas/claim.schema.json agrees with the claimaudit.claim/1 reader (CTest `json_schema`).

1. The schema is a valid JSON Schema draft 2020-12 document.
2. Every file in tests/data/json/ that the reader accepts whole (`claimctl check --json` prints
   no error record and exits 0) validates against the schema; every one it rejects and Python can
   parse is rejected by the schema too (the fixtures' errors are all structural).
3. The claims `claimctl check --json --show-phi` prints, for those files and for the FHIR samples,
   validate as well: the serialiser only writes what the reader accepts.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

import jsonschema


# FHIR claims may carry codes of other systems that the JSON format would refuse; each known
# case names the printed field it concerns.
KNOWN_FHIR_MISMATCHES = {
    # item.modifier "rooh" (an HL7 example code, not a 2-character CPT/HCPCS modifier).
    "claim-example-vision-glasses-3tier.json": "lines/0/procedure/modifiers/0",
}


def where(error):
    return "/".join(str(part) for part in error.absolute_path)


def check_output(claimctl, path, cwd):
    run = subprocess.run([claimctl, "check", "--json", "--show-phi", "--fail-on", "never", path], cwd=cwd,
                         capture_output=True, text=True, check=False)
    records = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return run.returncode, records


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schema", required=True)
    parser.add_argument("--claimctl", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--fhir", required=True)
    args = parser.parse_args()

    with open(args.schema, encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []
    checked = 0

    for path in sorted(glob.glob(os.path.join(args.data, "*.json"))):
        name = os.path.basename(path)
        code, records = check_output(args.claimctl, name, args.data)
        accepted = code == 0 and all("error" not in record for record in records)
        try:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
        except ValueError:
            document = None
        if document is not None:
            errors = list(validator.iter_errors(document))
            if accepted and errors:
                failures.append(f"{name}: the reader accepts it, the schema does not: "
                                f"{errors[0].message[:200]}")
            if not accepted and not errors:
                failures.append(f"{name}: the reader rejects it, the schema accepts it")
            checked += 1
        for record in records:
            if "claim" not in record:
                continue
            for error in validator.iter_errors(record["claim"]):
                failures.append(f"{name}: printed claim fails the schema at /{where(error)}")
            checked += 1

    for path in sorted(glob.glob(os.path.join(args.fhir, "**", "*.json"), recursive=True)):
        _, records = check_output(args.claimctl, path, "/")
        for record in records:
            if "claim" not in record:
                continue
            for error in validator.iter_errors(record["claim"]):
                # anyOf/oneOf report at the containing object; look at the deepest cause.
                leaves = [error]
                while leaves[-1].context:
                    leaves.append(max(leaves[-1].context, key=lambda e: len(e.absolute_path)))
                location = where(leaves[-1])
                if KNOWN_FHIR_MISMATCHES.get(os.path.basename(path)) == location:
                    continue
                failures.append(f"{path}: printed claim fails the schema at /{location}")
            checked += 1

    for failure in failures:
        print(failure)
    print(f"{checked} documents and printed claims checked, {len(failures)} failures")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
