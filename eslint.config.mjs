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
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core', 'type:domain', 'type:contracts'] },
            {
              sourceTag: 'type:transport',
              onlyDependOnLibsWithTags: ['type:transport', 'type:core', 'type:domain', 'type:contracts'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:transport', 'type:core', 'type:domain', 'type:contracts'],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:tool', 'type:transport', 'type:core', 'type:domain', 'type:contracts'],
            },
          ],
        },
      ],
    },
  },
];
