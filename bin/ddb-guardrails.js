#!/usr/bin/env node
"use strict";
// The gate compiled to one file by `npm run build:cli` (also run by `npm pack` and `npm run check`):
// no TypeScript loader at run time, and one file to load instead of hundreds.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const compiled = join(__dirname, "..", "dist", "cli.js");
if (!existsSync(compiled)) {
  process.stderr.write(
    `ddb-guardrails: ${compiled} is missing: run \`npm run build:cli\` in the repository\n`,
  );
  process.exitCode = 2;
} else {
  require(compiled)
    .main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    });
}
