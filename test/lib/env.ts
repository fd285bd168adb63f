// Settings tests set environment variables: each test's changes are undone after it, so that no test sees another's.

/** After each test of the enclosing `describe`, puts the named variables back as they were when it was declared. */
export function restoreEnvAfterEach(names: readonly string[]): void {
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
}
