#!/usr/bin/env bash
# Generates the TypeScript wire types and the embedded descriptor set from proto/.
# Run through Nx: `nx run contracts:generate` (tests and builds depend on it).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf src/generated
buf lint
buf generate
buf build -o src/generated/pipeline.binpb
node scripts/embed-descriptor.mjs src/generated/pipeline.binpb src/generated/descriptor-set.ts
rm src/generated/pipeline.binpb
