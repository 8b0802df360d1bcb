"""A local stand-in for a 企业微信 / 钉钉 group robot: an HTTP server on 127.0.0.1 in a thread,
recording what is posted to it. No message leaves the machine."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, answer=None, status=200):
        self.posts = []  # (path with query, decoded JSON body)
        self.answer = answer if answer is not None else {"errcode": 0, "errmsg": "ok"}
        self.status = status

    def __enter__(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length).decode())
                receiver.posts.append((self.path, body))
                data = json.dumps(receiver.answer).encode()
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def url(self, path="/robot/send?access_token=t"):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    @property
    def texts(self):
        return [body["text"]["content"] for _, body in self.posts]
