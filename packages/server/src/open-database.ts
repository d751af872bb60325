// The database: the one at DATABASE_URL, or PostgreSQL embedded from npm with its data under the data dir.
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { startEmbeddedPostgres } from './storage/embedded-postgres.ts';
import { migrate } from './storage/migrate.ts';
import { runningEmbeddedUrl } from './running-embedded.ts';
import { createPgDb, type PgDb } from './storage/pg-db.ts';

export interface OpenDatabase {
  db: PgDb;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** `attach`: CLI commands use the embedded server of a running `tessera start` when there is one. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'preparedStatements'>>, log: Logger, options: { migrate?: boolean; attach?: boolean } = {}): Promise<OpenDatabase> {
  const attached = !config.databaseUrl && options.attach ? await runningEmbeddedUrl(config.dataDir) : null;
  const embedded = config.databaseUrl || attached ? null : await startEmbeddedPostgres({
    dataDir: config.dataDir,
    // PostgreSQL's own output stays quiet; a permission we changed on the host is worth one line.
    onLog: (line) => {
      if (line.startsWith('granted search permission')) log.warn({}, line);
    },
  });
  const url = config.databaseUrl ?? attached ?? embedded!.url;
  const db = createPgDb(url, {
    max: 10, applicationName: 'tessera', prepare: config.preparedStatements ?? true,
    onError: (err) => log.warn({ err }, 'idle database connection failed'),
  });
  try {
    if (options.migrate !== false) {
      const { applied } = await migrate(db);
      if (applied.length > 0) log.info({ applied }, 'database migrated');
    }
  } catch (error) {
    await db.close();
    await embedded?.stop();
    throw error;
  }
  return {
    db,
    url,
    embedded: embedded !== null,
    close: async () => {
      await db.close();
      await embedded?.stop();
    },
  };
}
