// `tessera` CLI: start, migrate, keys create, sessions create/show. Only this and main.ts read configuration.
import { parseArgs } from 'node:util';
import { readConfig, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer } from '../main.ts';
import { openDatabase } from '../open-database.ts';
import { printBanner } from './banner.ts';
import { createKeyCommand, createSessionCommand, showSessionCommand } from './commands.ts';

const USAGE = `Usage: tessera <command>

  start                                  run the server (embedded PostgreSQL unless DATABASE_URL is set)
  migrate                                apply database migrations and exit
  keys create --kind public|private [--mode live|sandbox]
                                         create an API key and print it once
  sessions create --level <name> [--sandbox] [--unique-id <id>] [--email <address>] [--phone <+E164>]
                                         create a session and print its links
  sessions show <session_id>             print a session as the private API shows it

Configuration comes from the environment; see the README.`;

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  const config = readConfig();
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate': {
      const database = await openDatabase(config, createLogger(config.logLevel), { attach: true });
      await database.close();
      console.log('migrations are up to date');
      return 0;
    }
    case 'keys':
      if (sub === 'create') return withDb(config, (db) => createKeyCommand(db, flags(rest)));
      break;
    case 'sessions':
      if (sub === 'create') return withDb(config, (db) => createSessionCommand(db, config, flags(rest)));
      if (sub === 'show' && rest[0]) return withDb(config, (db) => showSessionCommand(db, config, rest[0]!));
      break;
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
  }
  console.error(USAGE);
  return 2;
}

function flags(args: string[]) {
  return parseArgs({
    args,
    options: {
      kind: { type: 'string' }, mode: { type: 'string' }, level: { type: 'string' }, sandbox: { type: 'boolean' },
      'unique-id': { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' },
    },
  }).values;
}

async function withDb(config: Config, run: (db: import('../storage/db.ts').Db) => Promise<number>): Promise<number> {
  const database = await openDatabase(config, createLogger('warn'), { attach: true });
  try {
    return await run(database.db);
  } finally {
    await database.close();
  }
}

async function start(config: Config): Promise<number> {
  const server = await startServer(config);
  printBanner(config, server.createdKeys);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.deps.log.info({ signal }, 'draining');
    server.close().then(() => process.exit(0), (err: unknown) => {
      server.deps.log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return new Promise<number>(() => {}); // runs until a signal
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`tessera: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
