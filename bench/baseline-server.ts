/**
 * The intake benchmark's yardstick: a bare Node HTTP server that parses the JSON body and does one
 * SQLite insert per request (WAL, synchronous=NORMAL), nothing else. Usage: tsx baseline-server.ts <dbPath>
 */
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

const db = new Database(process.argv[2] ?? ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS payloads (id INTEGER PRIMARY KEY, group_key TEXT, body TEXT)');
const insert = db.prepare('INSERT INTO payloads (group_key, body) VALUES (?, ?)');

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(text) as { groupKey?: string };
      insert.run(body.groupKey ?? '', text);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
    } catch {
      res.writeHead(400).end();
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ listening: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
