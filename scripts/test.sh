#!/usr/bin/env bash
# Runs every test: the distribution checks (build twice, byte-compare, extract with GNU tar, run
# the launchers), then all unit and integration tests with Maven. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./scripts/check-distribution.sh
mvn -B verify "$@"
