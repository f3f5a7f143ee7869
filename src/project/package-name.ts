import * as fs from 'fs';
import * as path from 'path';

/** The npm name of this package as services install it (a platform team may publish it under its own scope). */
export const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).name;
