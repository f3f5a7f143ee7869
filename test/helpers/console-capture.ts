/**
 * Captures what the code under test writes with the given console methods, instead of printing
 * it: the returned array holds the current test's lines (emptied before each test), and the
 * console is restored after each test. Call it at the top of a file or of a describe block.
 */
export function captureConsole(...methods: Array<'log' | 'error'>): string[] {
  const lines: string[] = [];
  let spies: jest.SpyInstance[] = [];
  beforeEach(() => {
    lines.length = 0;
    spies = methods.map((method) => jest.spyOn(console, method).mockImplementation((line: string) => { lines.push(line); }));
  });
  afterEach(() => spies.forEach((spy) => spy.mockRestore()));
  return lines;
}
