module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // The conformance and load runs are test tooling run from source, as
      // the tests are: they share the tests' helpers and files beside them.
      files: ['src/conformance/**', 'src/load/**'],
      rules: {
        'no-restricted-imports': 'off',
        'no-restricted-syntax': 'off',
      },
    },
  ],
});
