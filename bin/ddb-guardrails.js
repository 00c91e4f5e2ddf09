#!/usr/bin/env node
"use strict";
// The gate is TypeScript: esbuild strips the types on load (they are checked by `npm run typecheck`).
// It starts in about half the time ts-node takes, which pipelines pay on every stack they gate.
require("esbuild-register/dist/node").register({ target: "node20" });
require("../gate/cli")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
