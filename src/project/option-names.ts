import * as fs from 'fs';
import * as path from 'path';
import { closest } from 'fastest-levenshtein';
import { PACKAGE_ROOT } from '../package-info';

/** The parts of a jsii type-system entry the check reads. */
interface JsiiType {
  readonly kind: string;
  readonly datatype?: boolean;
  readonly properties?: Array<{ readonly name: string; readonly type: JsiiTypeReference }>;
  readonly interfaces?: string[];
}

interface JsiiTypeReference {
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: JsiiTypeReference };
}

let loadedTypes: Record<string, JsiiType> | undefined;

/** The types of this package's manifest and projen's, which its options extend (3.7 MB of JSON: read once). */
function loadTypes(): Record<string, JsiiType> {
  const manifest = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')).types as Record<string, JsiiType>;
  loadedTypes ??= {
    ...manifest(require.resolve('projen/.jsii')),
    ...manifest(path.join(PACKAGE_ROOT, '.jsii')),
  };
  return loadedTypes;
}

/**
 * Options whose names no struct declares: a misspelt option would otherwise be ignored without a
 * word (`.projenrc.ts` runs without a type-check). Each is named with the closest valid name.
 * Structs of this package are checked inside too (`stages[1].acount`); projen's only at the top.
 */
export function unknownOptionProblems(options: object, structFqn: string): string[] {
  const types = loadTypes();
  const ownAssembly = `${structFqn.split('.')[0]}.`;
  const problems: string[] = [];

  const propertiesOf = (fqn: string): Map<string, JsiiTypeReference> => {
    const type = types[fqn];
    const own = (type?.properties ?? []).map((p): [string, JsiiTypeReference] => [p.name, p.type]);
    return new Map([...(type?.interfaces ?? []).flatMap((base) => [...propertiesOf(base)]), ...own]);
  };
  const isOwnStruct = (ref: JsiiTypeReference | undefined): ref is { fqn: string } =>
    ref?.fqn !== undefined && ref.fqn.startsWith(ownAssembly) && types[ref.fqn]?.datatype === true;

  const checkStruct = (value: unknown, fqn: string, at: string) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const properties = propertiesOf(fqn);
    for (const [name, child] of Object.entries(value)) {
      // projen's own marker of a project being created by `projen new`.
      if (name === '__new__' && at === '') continue;
      const type = properties.get(name);
      if (!type) {
        const suggestion = closest(name, [...properties.keys()]);
        problems.push(`'${at}${name}' is not an option of ${fqn.split('.').pop()}: did you mean '${suggestion}'?`);
        continue;
      }
      checkValue(child, type, `${at}${name}`);
    }
  };
  const checkValue = (value: unknown, type: JsiiTypeReference, at: string) => {
    if (isOwnStruct(type)) {
      checkStruct(value, type.fqn, `${at}.`);
    } else if (type.collection?.kind === 'array' && Array.isArray(value)) {
      value.forEach((item, i) => checkValue(item, type.collection!.elementtype, `${at}[${i}]`));
    }
  };

  checkStruct(options, structFqn, '');
  return problems;
}
