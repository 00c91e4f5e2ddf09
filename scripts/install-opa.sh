#!/usr/bin/env bash
# Installs the pinned OPA toolchain into the project-local .tools/bin.
#
# Built from source with `go install` because this project's machines reach
# the Go module proxy but not GitHub release downloads. The pin matters: the
# wasm compiler and the builtin set change between OPA releases, so every
# developer and CI must compile policies with the same version.
#
# Regal (the Rego linter) is not installed: the Go module proxy answers
# 403 "not available" for github.com/open-policy-agent/regal and
# github.com/styrainc/regal, so `go install` cannot fetch it here.
set -euo pipefail

OPA_VERSION="1.22.3"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN_DIR="${ROOT}/.tools/bin"
OPA="${BIN_DIR}/opa"

# `opa version` prints "Version: 1.22.3" on its first line.
installed_opa_version() {
  if [[ -x "${OPA}" ]]; then
    "${OPA}" version 2>/dev/null | awk -F': ' '$1 == "Version" { print $2; exit }'
  fi
}

if ! command -v go >/dev/null 2>&1; then
  echo "install-opa: go is not on PATH; OPA v${OPA_VERSION} is built from source and needs Go >= 1.26" >&2
  exit 1
fi

previous="$(installed_opa_version || true)"
if [[ "${previous}" == "${OPA_VERSION}" ]]; then
  echo "install-opa: OPA v${OPA_VERSION} already installed at ${OPA}, skipped build"
  exit 0
fi

mkdir -p "${BIN_DIR}"
# go install refuses to overwrite a file it does not recognise as a Go binary.
rm -f "${OPA}"
start="$(date +%s)"
# CGO off: the wasm *compiler* is pure Go; only wasm *evaluation* inside the
# opa binary needs cgo, and the project evaluates wasm from Node instead.
GOBIN="${BIN_DIR}" CGO_ENABLED=0 GOFLAGS="-buildvcs=false" \
  go install "github.com/open-policy-agent/opa@v${OPA_VERSION}"
elapsed=$(($(date +%s) - start))

current="$(installed_opa_version || true)"
if [[ "${current}" != "${OPA_VERSION}" ]]; then
  echo "install-opa: expected OPA v${OPA_VERSION} at ${OPA} but it reports '${current:-nothing}'" >&2
  exit 1
fi

action="built"
if [[ -n "${previous}" ]]; then
  action="rebuilt (was ${previous})"
fi
echo "install-opa: ${action} OPA v${OPA_VERSION} into ${OPA} in ${elapsed}s"
