// ESLint (flat config, ESLint 10) for the map's browser code in static/map/: ES2022
// modules running in the browser. Run from static/:
//     node node_modules/eslint/bin/eslint.js --max-warnings 0 .
// tests/test_js_lint.py runs exactly this and fails on any problem.
// CommonJS, because static/package.json (shared, pinned) declares no "type": "module".
'use strict';

const js = require('@eslint/js');
const globals = require('globals');

module.exports = [
  {
    ignores: ['node_modules/', 'generated/'],
  },
  {
    files: ['map/**/*.js'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        ...globals.browser,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
  },
];
