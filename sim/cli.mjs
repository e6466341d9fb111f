#!/usr/bin/env node
// Start the provider simulator: `node sim/cli.mjs [--port N] [--host H]`.
// Prints `SIM_URL=http://127.0.0.1:PORT` first, then one line per request (no keys, ids or image data).
import { startSimulator } from "./server.mjs";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined;
};
const port = opt("--port") !== undefined ? Number(opt("--port")) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write("sim: --port must be an integer 0..65535\n");
  process.exit(2);
}
const sim = await startSimulator({
  port,
  host: opt("--host") ?? "127.0.0.1",
  log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
});
process.stdout.write(`SIM_URL=${sim.url}\n`);
const stop = async () => {
  await sim.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
