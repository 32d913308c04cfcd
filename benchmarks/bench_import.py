"""How long `stratus import` takes on large inputs (prints figures; asserts nothing).

    .venv/bin/python -m benchmarks.bench_import [N]

Generates a compose file, Kubernetes manifests and a Mermaid flowchart with N services
(default 1000), each with a store and calls to two others, and times `import_source`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from stratus_tui.core.importers import import_source


def compose(n: int) -> str:
    lines = ["services:"]
    for i in range(n):
        lines += [
            f"  svc-{i}:",
            f"    image: acme/svc-{i}:1.0",
            "    deploy: {replicas: 2}",
            "    healthcheck: {test: [CMD, true]}",
            f"    depends_on: [db-{i}, svc-{(i + 1) % n}]",
            "    environment:",
            f"      NEXT_URL: http://svc-{(i + 2) % n}:8080",
            f"      DB_PASSWORD: pw-{i}",
            f"  db-{i}:",
            "    image: postgres:16",
        ]
    return "\n".join(lines) + "\n"


def kubernetes(n: int) -> str:
    docs = []
    for i in range(n):
        docs.append(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: svc-{i}}}\n"
            f"spec:\n  replicas: 2\n  template:\n    metadata: {{labels: {{app: svc-{i}}}}}\n"
            f"    spec:\n      containers:\n        - name: app\n          image: acme/svc-{i}\n"
            f"          env: [{{name: NEXT, value: 'http://svc-{(i + 1) % n}:80'}}]\n"
            f"---\napiVersion: v1\nkind: Service\nmetadata: {{name: svc-{i}}}\n"
            f"spec: {{selector: {{app: svc-{i}}}}}\n"
        )
    return "---\n".join(docs)


def mermaid(n: int) -> str:
    lines = ["flowchart LR"]
    for i in range(n):
        lines.append(f"  s{i}[Service {i}] --> d{i}[(DB {i})]")
        lines.append(f"  s{i} -.->|event| s{(i + 1) % n}")
    return "\n".join(lines) + "\n"


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (
            ("compose.yml", compose(n)),
            ("k8s.yaml", kubernetes(n)),
            ("topology.mmd", mermaid(n)),
        ):
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            result = import_source(path)
            took = time.perf_counter() - start
            d = result.design
            print(
                f"{name:13} {len(text) / 1024:8.0f} KiB  {len(d.services):5} services "
                f"{len(d.datastores):5} stores {len(d.dependencies):6} deps  {took:6.2f} s"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
