import { ConfigError } from '../core/config-error.ts';
import { startBot } from './app.ts';
import { loadConfig } from './config.ts';

/** Entry point: `npm start`. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const bot = await startBot(config);
  if (config.alertWebhookTokenGenerated) {
    // Printed to the terminal once, on purpose, and never logged: it is the local intake token.
    process.stdout.write(
      [
        '',
        `  On-call console:  ${bot.url}/`,
        `  Webhook token (generated for this run; set ALERT_WEBHOOK_TOKEN to keep one): ${config.alertWebhookToken}`,
        '  Send an alert yourself:',
        `    curl -X POST ${bot.url}/api/alerts/alertmanager -H 'Authorization: Bearer ${config.alertWebhookToken}' \\`,
        `      -H 'Content-Type: application/json' --data @test/fixtures/alerts/am-gpu-temp-firing.json`,
        '',
      ].join('\n') + '\n',
    );
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    bot.logger.info({ signal }, 'shutting down');
    bot.close().then(
      () => process.exit(0),
      (err) => {
        bot.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`on-call bot failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
