"use strict";
// Preload for running the project's TypeScript without type-checking (`node -r ./scripts/register.js
// file.ts`): esbuild strips the types as files load; `npm run typecheck` checks them.
// esbuild-register also turns on Node's source-map support, which makes every stack trace read
// source maps. cdktf captures a stack trace for every token it creates, and its own files carry
// inline source maps, so a synthesis spent a third of its time there. Traces of our own files keep
// esbuild's positions, which stay close to the source lines.
require("esbuild-register/dist/node").register({ target: "node20" });
process.setSourceMapsEnabled(false);
