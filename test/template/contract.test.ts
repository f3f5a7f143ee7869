import * as fs from 'fs';
import * as path from 'path';
import { templateFiles, TEMPLATE_DIR } from '../../src/upgrade/template-samples';
import { contractViolations, OWNED_SURFACE } from '../helpers/template-contract';

const exists = (file: string) => fs.existsSync(path.join(TEMPLATE_DIR, file));
const read = (file: string) => fs.readFileSync(path.join(TEMPLATE_DIR, file), 'utf8');

describe('the contract between generated and owned files of the template', () => {
  test('generated files import only generated files, packages, and the documented surface of owned ones', () => {
    const generated = templateFiles().filter((file) => file.includes('.generated.') && file.endsWith('.ts'));
    expect(generated.length).toBeGreaterThan(10);
    expect(generated.flatMap((file) => contractViolations(file, read(file), exists))).toEqual([]);
  });

  test('the documented surface exists: each owned file exports what generated files may use', () => {
    for (const [file, names] of Object.entries(OWNED_SURFACE)) {
      for (const name of names) expect(read(file)).toMatch(new RegExp(`export (async )?(function|const) ${name}\\b`));
    }
  });

  test.each([
    ['a named import of an owned file', "import { v1Router } from './routes/v1';", 'src/handler.generated.ts imports src/routes/v1.ts'],
    ['a name of app.ts outside the surface', "import { createApp, helper } from './app';", 'imports helper from src/app.ts, which documents only createApp'],
    ['a require of an owned file', "const x = require('./app-helpers');", 'src/handler.generated.ts imports src/app-helpers.ts'],
    ['a jest.mock of an owned file', "jest.mock('./routes/v1');", 'src/handler.generated.ts imports src/routes/v1.ts'],
  ])('catches %s in a generated file', (_case, line, message) => {
    expect(contractViolations('src/handler.generated.ts', line, exists)).toEqual([expect.stringContaining(message)]);
  });

  test('lets an owned file import anything, and a generated one packages and generated files', () => {
    expect(contractViolations('src/app.ts', "import { v1Router } from './routes/v1';", exists)).toEqual([]);
    expect(contractViolations('src/handler.generated.ts',
      "import express from 'express';\nimport { logger } from './logger.generated';\nimport { createApp } from './app';", exists)).toEqual([]);
  });
});
