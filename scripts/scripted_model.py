"""A stand-in for a language model in the Python checks: an OpenAI-compatible
`POST /v1/chat/completions` that answers structured output (`response_format: json_schema`)
deterministically from the schema and the transcript, as the Swift tests' ScriptedModelServer does:
`summary` lists what the caller said; per property, an enum's first choice the caller named (else
its first), a string the caller's last line, an integer the number of caller lines, a number that
plus a half, a boolean whether the caller said "yes", a list the caller's lines.
`/fail/v1/...` answers 500. Usage: scripted_model.py PORT
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def structured_answer(schema, transcript):
    said = [line[len("Caller: "):] for line in transcript.split("\n") if line.startswith("Caller: ")]
    answer = {}
    for name, prop in schema.get("properties", {}).items():
        if name == "summary":
            answer[name] = "The caller said: " + " | ".join(said)
        elif "enum" in prop:
            named = [c for c in prop["enum"] if any(c.lower() in s.lower() for s in said)]
            answer[name] = (named or prop["enum"])[0]
        elif prop.get("type") == "integer":
            answer[name] = len(said)
        elif prop.get("type") == "number":
            answer[name] = len(said) + 0.5
        elif prop.get("type") == "boolean":
            answer[name] = any("yes" in s.lower() for s in said)
        elif prop.get("type") == "array":
            answer[name] = said
        else:
            answer[name] = said[-1] if said else ""
    return answer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path.startswith("/fail/"):
            return self.answer(500, {"error": "scripted failure"})
        schema = body.get("response_format", {}).get("json_schema", {}).get("schema")
        if schema is None:
            return self.answer(400, {"error": "this stand-in answers structured output only"})
        transcript = next((m["content"] for m in reversed(body["messages"]) if m["role"] == "user"), "")
        content = json.dumps(structured_answer(schema, transcript), sort_keys=True)
        self.answer(200, {"id": "chatcmpl-scripted", "object": "chat.completion",
                          "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]})

    def answer(self, status, document):
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
