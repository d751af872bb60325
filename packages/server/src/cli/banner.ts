// What `tessera start` prints: where it listens, and on first start the keys (shown this once only).
import type { NewKey } from '../accounts/bootstrap-account.ts';
import type { Config } from '../config.ts';

/** Where captures go; the S3 endpoint is left out (it may name internal hosts), the bucket and prefix are not secret. */
const capturesAt = (config: Config): string =>
  config.s3 ? `S3 bucket ${config.s3.bucket}${config.s3.prefix ? `/${config.s3.prefix}` : ''}` : `${config.dataDir}/blobs`;

export function printBanner(config: Config, created: NewKey[]): void {
  const lines = [
    '',
    `  Tessera is running at ${config.publicUrl}`,
    ...(config.demo ? [`  Demo: ${config.publicUrl}/demo`] : []),
    `  database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}/postgres`} · bus: ${config.bus}${config.bus === 'redis' ? ' (rate limits shared there too)' : ''} · captures: ${capturesAt(config)} (encrypted)`,
  ];
  if (created.length > 0) {
    lines.push('', '  New API keys — shown once, only their hashes are stored. Keep them somewhere safe:');
    for (const k of created) lines.push(`    ${`${k.mode} ${k.kind}`.padEnd(16)} ${k.key}`);
    const publicKey = created.find((k) => k.kind === 'public' && k.mode === 'sandbox') ?? created[0]!;
    lines.push(
      '',
      '  Try it (creates a sandbox session on the basic level):',
      `    curl -s -X POST ${config.publicUrl}/v1/sessions -H 'Authorization: Bearer ${publicKey.key}' \\`,
      `         -H 'Content-Type: application/json' -d '{"kyc_level":"basic"}'`,
    );
  } else {
    lines.push('', '  API keys were created on first start (or pinned through TESSERA_*_KEY); `tessera keys create` makes more.');
  }
  lines.push('');
  console.log(lines.join('\n'));
}
