// Runs each spec of a JSON array (standard input) with pkg/eoslab.js's run, the WebAssembly build,
// and prints the results as a JSON array (a refusal as {"error": {field, message}}).
// Used by test_same_as_wasm.py: node python/tests/wasm_run.mjs < specs.json
import { readFileSync } from 'node:fs';

const moduleUrl = new URL('../../pkg/eoslab.js', import.meta.url);
const eoslab = await import(moduleUrl.href);
const specs = JSON.parse(readFileSync(0, 'utf8'));
const results = specs.map((spec) => {
    try {
        return eoslab.run(spec);
    } catch (error) {
        return { error: { field: error.field, message: error.message } };
    }
});
process.stdout.write(JSON.stringify(results));
