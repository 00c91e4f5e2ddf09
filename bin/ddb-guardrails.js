#!/usr/bin/env node
"use strict";
// The gate is TypeScript: transpile it on load (types are checked by `npm run typecheck`).
const { join } = require("node:path");
require("ts-node").register({ transpileOnly: true, project: join(__dirname, "..", "tsconfig.json") });
require("../gate/cli")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
