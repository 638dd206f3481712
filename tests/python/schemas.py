"""Validators for the JSON Schemas in docs/schema/ (python3-jsonschema).

The schemas refer to each other (record.schema.json holds the record keys
every output shares), so every file is loaded into one store by its $id.
"""
import json
import os
import unittest

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "schema")


def validator(file_name):
    """The Draft 2020-12 validator of docs/schema/<file_name>; a skip only
    off CI, where python3-jsonschema may be missing."""
    try:
        import jsonschema
    except ImportError:
        if os.environ.get("CI"):
            raise
        raise unittest.SkipTest("python3-jsonschema is not installed")
    store = {}
    for name in sorted(os.listdir(SCHEMA_DIR)):
        with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        store[schema["$id"]] = schema
        if name == file_name:
            wanted = schema
    resolver = jsonschema.RefResolver.from_schema(wanted, store=store)
    return jsonschema.Draft202012Validator(wanted, resolver=resolver)
