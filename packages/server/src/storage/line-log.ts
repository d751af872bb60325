// Splits a child process's output chunks into lines, forwards them, and keeps the last few for error messages.

const KEPT_LINES = 60;

export class LineLog {
  readonly #onLine: ((line: string) => void) | undefined;
  readonly #recent: string[] = [];
  #written = 0;

  constructor(onLine?: (line: string) => void) {
    this.#onLine = onLine;
  }

  /** Arrow property so it can be handed to a library as a callback. */
  readonly write = (chunk: string): void => {
    for (const raw of chunk.split('\n')) {
      const line = raw.trimEnd();
      if (line === '') continue;
      this.#recent.push(line);
      if (this.#recent.length > KEPT_LINES) this.#recent.shift();
      this.#written += 1;
      this.#onLine?.(line);
    }
  };

  /** A position to pass to since(). */
  mark(): number {
    return this.#written;
  }

  /** The kept lines written after mark. */
  since(mark: number): string {
    const count = Math.min(this.#written - mark, this.#recent.length);
    return count <= 0 ? '' : this.#recent.slice(-count).join('\n');
  }
}
