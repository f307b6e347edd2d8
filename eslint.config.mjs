import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Dependencies point down: app → transport → core → domain → contracts (tools may use any lib).
 * `@nx/enforce-module-boundaries` turns that rule into a lint error.
 */
export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '**/build/**', '**/*.wasm'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/src/**/*.ts', '**/tests/**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core', 'type:domain', 'type:contracts', 'type:testing'] },
            {
              sourceTag: 'type:transport',
              onlyDependOnLibsWithTags: ['type:transport', 'type:core', 'type:domain', 'type:contracts', 'type:testing'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:transport', 'type:core', 'type:domain', 'type:contracts'],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:tool', 'type:transport', 'type:core', 'type:domain', 'type:contracts', 'type:testing'],
            },
          ],
        },
      ],
    },
  },
  {
    // Test support stays out of what ships: only specs and the libs' testing helpers import it.
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/*/src/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@imagepipeline/testing', message: 'test support: only tests import it' }] }],
    },
  },
];
