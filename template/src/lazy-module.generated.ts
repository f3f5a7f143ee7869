// A package that the Lambda bundle loads at its first use rather than at init (esbuild's alias
// swaps the package's name for a file that calls this; tests and `npx projen dev` use the real
// package). For a package that is required when its importer loads but asked for nothing until
// later: its module bodies would otherwise run at every cold start, before the first request.

/** The module (or any object) `load()` returns, loaded the first time anything of it is asked for. */
export function lazyModule<T extends object>(load: () => T): T {
  let loaded: T | undefined;
  const real = () => (loaded ??= load());
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(real(), key),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // A proxy may call a property non-configurable only if its own (empty) target has it so.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
