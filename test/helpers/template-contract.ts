import * as path from 'path';
import * as ts from 'typescript';
import { isGenerated } from '../../src/upgrade/template-samples';

/**
 * The owned files generated code may import, and what from each: the documented surface a
 * service keeps for its generated files (its app's `createApp`, its CDK `extension`).
 */
export const OWNED_SURFACE: Readonly<Record<string, readonly string[]>> = {
  'src/app.ts': ['createApp'],
  'src/extend.ts': ['extension'],
};

/** One module a file uses: by import, export-from, require, dynamic import, jest.mock or jest.requireActual. */
interface ModuleUse {
  readonly specifier: string;
  /** The names imported; undefined when the whole module is used. */
  readonly names?: string[];
}

function moduleUses(fileName: string, text: string): ModuleUse[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const uses: ModuleUse[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
      const bindings = clause?.namedBindings;
      const named = bindings && ts.isNamedImports(bindings) && !clause?.name
        ? bindings.elements.map((e) => (e.propertyName ?? e.name).text) : undefined;
      uses.push({ specifier: node.moduleSpecifier.text, names: named });
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression.getText(source);
      if (['require', 'jest.mock', 'jest.requireActual', 'jest.requireMock'].includes(callee) || node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        uses.push({ specifier: node.arguments[0].text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

/**
 * What a generated template file (`file`, relative to the template) uses of the files a service
 * owns beyond the documented surface: one message per use. `exists` says whether a template file is there.
 */
export function contractViolations(file: string, text: string, exists: (templateFile: string) => boolean): string[] {
  if (!isGenerated(file)) return [];
  return moduleUses(file, text).flatMap(({ specifier, names }) => {
    if (!specifier.startsWith('.')) return [];
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    // A package reached by its path (src/mime-types.generated.ts: its name is aliased to the file itself).
    if (base.startsWith('node_modules/')) return [];
    const target = [base, `${base}.ts`, `${base}/index.ts`].find(exists) ?? `${base}.ts`;
    if (isGenerated(target)) return [];
    const surface = OWNED_SURFACE[target];
    if (!surface) return [`${file} imports ${target}, a file the service owns and may change (${specifier})`];
    const outside = (names ?? []).filter((name) => !surface.includes(name));
    return outside.map((name) => `${file} imports ${name} from ${target}, which documents only ${surface.join(', ')}`);
  });
}
