// Lint for every TypeScript file: typescript-eslint's type-checked rules, a few of our own
// (explicit return types on exported functions, a complexity limit, options objects instead of
// long parameter lists, no one-letter module aliases), and Prettier owning the layout.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'network/fabric/.build/**',
      'artifacts/**',
      'cache/**',
      'typechain-types/**',
      'gateway/console/**',
      'bin/lianjian.js',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      complexity: ['error', 15],
      'no-restricted-syntax': [
        'error',
        // More than five parameters: pass an options object. Chaincode transactions (decorated
        // methods) keep Fabric's positional string arguments.
        { selector: 'FunctionDeclaration[params.length>5]', message: 'Too many parameters: use an options object.' },
        {
          selector: 'ArrowFunctionExpression[params.length>5]',
          message: 'Too many parameters: use an options object.',
        },
        {
          selector: 'MethodDefinition[decorators.length=0] > FunctionExpression[params.length>5]',
          message: 'Too many parameters: use an options object.',
        },
        {
          selector: 'ImportNamespaceSpecifier > Identifier[name=/^[A-Za-z]$/]',
          message: 'Name the module: no one-letter aliases.',
        },
        {
          selector: 'ImportSpecifier[imported.name!=/^[A-Za-z]$/] > Identifier.local[name=/^[A-Za-z]$/]',
          message: 'Name the import: no one-letter aliases.',
        },
        { selector: 'SequenceExpression', message: 'No comma-operator side effects.' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  prettier,
);
