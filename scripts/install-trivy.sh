#!/usr/bin/env bash
# Installs the pinned Trivy into the project-local .tools/bin, built from its Go module like OPA
# (scripts/install-opa.sh): these machines reach the Go module proxy, not GitHub release downloads.
# Trivy is a peer scanner the benchmark measures the gate against on the same plan files
# (`npm run bench -- --trivy`). Nothing gates with it and CI does not build it: the build takes about
# 9 minutes on 2 cores and needs Go's JSON v2 experiment.
set -euo pipefail

TRIVY_VERSION="0.74.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="${ROOT}/.tools/bin"
TRIVY="${BIN_DIR}/trivy"

# A `go install`ed Trivy prints "Version: dev": its version is in the binary's build info instead.
installed_trivy_version() {
  if [[ -x "${TRIVY}" ]]; then
    go version -m "${TRIVY}" 2>/dev/null |
      awk '$1 == "mod" && $2 == "github.com/aquasecurity/trivy" { sub(/^v/, "", $3); print $3; exit }'
  fi
}

if ! command -v go >/dev/null 2>&1; then
  echo "install-trivy: go is not on PATH; Trivy v${TRIVY_VERSION} is built from source" >&2
  exit 1
fi

previous="$(installed_trivy_version || true)"
if [[ "${previous}" == "${TRIVY_VERSION}" ]]; then
  echo "install-trivy: Trivy v${TRIVY_VERSION} already installed at ${TRIVY}, skipped build"
  exit 0
fi

mkdir -p "${BIN_DIR}"
rm -f "${TRIVY}"
start="$(date +%s)"
GOBIN="${BIN_DIR}" GOEXPERIMENT=jsonv2 GOFLAGS="-buildvcs=false" \
  go install "github.com/aquasecurity/trivy/cmd/trivy@v${TRIVY_VERSION}"
elapsed=$(($(date +%s) - start))

current="$(installed_trivy_version || true)"
if [[ "${current}" != "${TRIVY_VERSION}" ]]; then
  echo "install-trivy: expected Trivy v${TRIVY_VERSION} at ${TRIVY} but it reports '${current:-nothing}'" >&2
  exit 1
fi
echo "install-trivy: built Trivy v${TRIVY_VERSION} into ${TRIVY} in ${elapsed}s"
