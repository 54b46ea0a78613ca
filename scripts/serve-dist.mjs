// Serves a built dist/ on 127.0.0.1 (for the benchmark): node scripts/serve-dist.mjs DIR PORT
import { serve } from "../tests/e2e/serve.mjs";
const [dir = "dist", port = "8471"] = process.argv.slice(2);
const s = await serve(dir, { port: Number(port) });
console.log(`serving ${dir} on ${s.origin}`);
