// Compiles every .sol file in this folder with the pinned solc (solcjs) through its
// standard-JSON interface and writes build/<Contract>.abi and build/<Contract>.bin
// for each deployable contract. Run by generate.sh; not needed to build or test.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const dir = __dirname;
const sources = {};
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[f] = { content: fs.readFileSync(path.join(dir, f), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    viaIR: true,
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
let failed = false;
for (const e of out.errors || []) {
  process.stderr.write(e.formattedMessage + '\n');
  if (e.severity === 'error') failed = true;
}
if (failed) process.exit(1);
const build = path.join(dir, 'build');
fs.mkdirSync(build, { recursive: true });
for (const file of Object.keys(out.contracts).sort()) {
  for (const name of Object.keys(out.contracts[file]).sort()) {
    const c = out.contracts[file][name];
    if (!c.evm.bytecode.object) continue; // interfaces and abstract contracts
    fs.writeFileSync(path.join(build, name + '.abi'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(build, name + '.bin'), c.evm.bytecode.object);
    process.stderr.write('compiled ' + file + ':' + name + '\n');
  }
}
process.stdout.write(solc.version() + '\n');
