import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const RULE = '@nx/enforce-module-boundaries';

/** Lints a probe file placed (virtually) inside a project and returns the boundary errors. */
async function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(source, { filePath });
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('module boundaries', () => {
  it('rejects stages importing a transport', async () => {
    const errors = await boundaryErrors(
      'libs/stages/src/boundary-probe.ts',
      "import '@imagepipeline/transport-grpc';\nexport {};\n",
    );
    // Transports depend on stages, so the rule reports the cycle this import would create.
    expect(errors.join('\n')).toMatch(/can only depend on|Circular dependency between "stages" and "transport-grpc"/);
  });

  it('rejects a domain lib importing a core lib by its tags', async () => {
    const errors = await boundaryErrors(
      'libs/imaging/src/boundary-probe.ts',
      "import '@imagepipeline/reporting';\nexport {};\n",
    );
    expect(errors).toEqual([expect.stringMatching(/tagged with "type:domain" can only depend on libs tagged with "type:domain", "type:contracts"/)]);
  });

  it('rejects contracts importing anything of ours', async () => {
    const errors = await boundaryErrors(
      'libs/contracts/src/boundary-probe.ts',
      "import '@imagepipeline/imaging';\nexport {};\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('allows the dependency direction of the house', async () => {
    const errors = await boundaryErrors(
      'libs/stages/src/boundary-probe.ts',
      "import '@imagepipeline/imaging';\nimport '@imagepipeline/contracts';\nexport {};\n",
    );
    expect(errors).toEqual([]);
  });
});
