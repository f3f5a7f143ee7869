/** An EventBridge input transformer as a synthesized rule target holds it. */
export interface InputTransformer {
  readonly InputPathsMap: Record<string, string>;
  readonly InputTemplate: string;
}

/**
 * EventBridge's input transformation, as its documentation gives it: a variable's value is escaped
 * for JSON (only aws.events.event is not); unquoted, a placeholder is the value as JSON, inside a
 * string its characters. The template's own strings are followed quote by quote.
 */
export function transform(transformer: InputTransformer, event: object): string {
  const valueOf = (jsonPath: string) => jsonPath.slice(2).split('.').reduce((v: any, key) => v?.[key], event);
  let output = '';
  let inString = false;
  const template = transformer.InputTemplate;
  for (let i = 0; i < template.length; i++) {
    const placeholder = /^<([\w-]+)>/.exec(template.slice(i));
    if (placeholder && transformer.InputPathsMap[placeholder[1]]) {
      const json = JSON.stringify(valueOf(transformer.InputPathsMap[placeholder[1]]));
      output += inString ? json.replace(/^"|"$/g, '') : json;
      i += placeholder[0].length - 1;
      continue;
    }
    if (template[i] === '"' && template[i - 1] !== '\\') inString = !inString;
    output += template[i];
  }
  return output;
}

/**
 * Whether an event matches an EventBridge pattern, for the filters the constructs use: a list of
 * values (any one equal) or of `{ prefix }`, and nested objects (every field must match).
 */
export function matches(pattern: any, event: any): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event?.[key];
    if (!Array.isArray(expected)) return typeof actual === 'object' && matches(expected, actual);
    return expected.some((candidate) => (typeof candidate === 'object' && candidate !== null
      ? typeof actual === 'string' && actual.startsWith(candidate.prefix)
      : candidate === actual));
  });
}
