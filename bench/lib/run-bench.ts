// The common ending of every benchmark entry: run `main` under an overall time limit and exit with its outcome
// (0 done, 1 failed, 2 over the limit), so a benchmark always stops by itself.

export function runBench(name: string, limitMinutes: number, main: () => Promise<void>): void {
  const watchdog = setTimeout(() => {
    console.error(`${name} bench: overall time limit (${limitMinutes} min) reached, exiting`);
    process.exit(2);
  }, limitMinutes * 60_000);
  watchdog.unref();

  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`${name} bench failed:`, error);
      process.exit(1);
    },
  );
}
