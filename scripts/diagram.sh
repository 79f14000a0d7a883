#!/usr/bin/env bash
# Regenerates Application_Overview.png from docs/application-overview.dot (Graphviz).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dot >/dev/null 2>&1 || { echo "diagram: Graphviz is missing: apt-get install graphviz" >&2; exit 1; }
dot -Tpng -Gdpi=110 docs/application-overview.dot -o Application_Overview.png
echo "wrote Application_Overview.png"
