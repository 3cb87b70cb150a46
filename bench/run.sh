#!/usr/bin/env bash
# Placeholder: no benchmark exists yet, so nothing is measured and nothing is reported.
# The load and scale benchmarks arrive with the public intake issue (see bench/README.md).
set -euo pipefail

echo "bench: belum ada benchmark; tidak ada yang diukur."
echo "bench: no benchmark yet; nothing is measured."
echo "Benchmarks arrive with the public intake issue (report submission under load)."
exit 0
