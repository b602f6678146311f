// Reference RFC 8785 canonicalization for jcs_test.cpp: reads one JSON document per line on
// stdin and writes the `canonicalize` package's output for each, one per line.
import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';

const lines = readFileSync(0, 'utf8').split('\n').filter((line) => line.length > 0);
const out = lines.map((line) => canonicalize(JSON.parse(line)));
process.stdout.write(out.join('\n') + '\n');
