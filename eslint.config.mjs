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
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
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
  {
    // Tests assert on JSON answers (HTTP bodies, chaincode results) read as untyped data. The
    // answers are checked against their schemas at run time (test/support/contract.ts) and the
    // SDK types the core calls; typing each of ~1,100 assertion sites by hand was not done, so in
    // test/ only the no-unsafe-* family and explicit `any` are off. Product code keeps them.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Hardhat's config and its tests compile apart from tsconfig.json (hardhat runs them with
    // ts-node and its own type augmentations of `hre`), so they are linted without type information.
    files: ['hardhat.config.ts', 'test/evm/**/*.ts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, program: null, project: false } },
  },
  prettier,
);
