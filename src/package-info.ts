import * as fs from 'fs';
import * as path from 'path';

/** This package's root: package.json, .jsii, template/ and releases/ lie there. */
export const PACKAGE_ROOT = path.join(__dirname, '..');

const PACKAGE_JSON: { name: string; version: string } = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));

/** The npm name of this package as services install it (a platform team may publish it under its own scope). */
export const PACKAGE_NAME = PACKAGE_JSON.name;

/** The version of this package: the template version a service is generated from. */
export const PACKAGE_VERSION = PACKAGE_JSON.version;
