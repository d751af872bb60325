// `tessera` CLI: start, migrate, keys create, sessions create/show. Only this and main.ts read configuration.
import { parseArgs } from 'node:util';
import { readConfig, type Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startServer, type RunningServer } from '../main.ts';
import { openDatabase } from '../open-database.ts';
import { printOutbox } from '../notifiers/print-outbox.ts';
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
  outbox [--session <id>] [--limit <n>] [--json]
                                         print the latest messages (verification codes) kept in the outbox

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
    case 'outbox': {
      const f = flags(sub === undefined ? [] : [sub, ...rest]);
      const limit = Number(f.limit ?? 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new Error('--limit must be an integer from 1 to 1000');
      return withDb(config, (db) => printOutbox(db, { sessionId: f.session, limit, json: f.json === true }, (t) => void process.stdout.write(t)));
    }
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
      session: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' },
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
  // Handlers go in before anything starts: with Node's default action, a SIGTERM during start-up (an orchestrator
  // stopping a pod that is still booting, Ctrl-C during initdb) killed this process at once and left the embedded
  // PostgreSQL running without its owner, holding the data directory.
  let server: RunningServer | undefined;
  let signalled: NodeJS.Signals | undefined;
  const drain = (running: RunningServer, signal: NodeJS.Signals) => {
    running.deps.log.info({ signal }, 'draining');
    running.close().then(() => process.exit(0), (err: unknown) => {
      running.deps.log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      // A second signal: stop waiting for the drain. The embedded PostgreSQL still gets its shutdown request on exit.
      console.error(`tessera: ${signal} again, exiting without waiting for the drain`);
      process.exit(1);
    }
    signalled = signal;
    if (server) drain(server, signal); // otherwise as soon as start-up has finished (or failed: it cleans up itself)
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  server = await startServer(config);
  printBanner(config, server.createdKeys); // even when stopping at once: keys created now are shown this one time only
  if (signalled) drain(server, signalled);
  return new Promise<number>(() => {}); // runs until a signal
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`tessera: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
