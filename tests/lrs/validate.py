"""Checks xAPI statements (a JSON list, on stdin) against Ralph's strict statement model, the
one its HTTP API does not apply in full: unknown fields, empty values, bad timestamps, scores
out of range and the like are refused. Prints one line per statement: "ok" or the reason."""
import json
import sys

from ralph.models.xapi.base.statements import BaseXapiStatement

for statement in json.load(sys.stdin):
    try:
        BaseXapiStatement.model_validate(statement)
        print("ok")
    except Exception as error:  # noqa: BLE001  (every reason is reported)
        print(str(error).replace("\n", " ")[:300])
