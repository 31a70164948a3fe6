module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // The conformance and load runs are test tooling run from source, as
      // the tests are, not code the package ships: they share the tests'
      // helpers, files beside them and the package's devDependencies.
      files: ['src/conformance/**', 'src/load/**'],
      rules: {
        'no-restricted-imports': ['error', { patterns: ['*.test*'] }],
        'no-restricted-syntax': 'off',
        '@backstage/no-undeclared-imports': 'off',
      },
    },
  ],
});
