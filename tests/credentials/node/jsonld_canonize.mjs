// Test-only reference for jsonld_reference_test.cpp: canonical N-Quads of JSON-LD documents by
// the npm `jsonld` package (expansion, toRdf, RDFC-1.0) in safe mode, as Data Integrity uses it.
// Contexts come only from Cairn's bundle (src/credentials/contexts/index.json): nothing is fetched.
// argv: paths of JSON files. stdout: JSON array, one {"canonical": "..."} or {"error": "..."} each.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonld from 'jsonld';

const here = path.dirname(fileURLToPath(import.meta.url));
const contextDir = path.join(here, '..', '..', '..', 'src', 'credentials', 'contexts');
const index = JSON.parse(readFileSync(path.join(contextDir, 'index.json'), 'utf8')).contexts;

const documentLoader = async (url) => {
  const file = index[url];
  if (!file) throw new Error(`context not bundled: ${url}`);
  const document = JSON.parse(readFileSync(path.join(contextDir, file), 'utf8'));
  return { contextUrl: null, documentUrl: url, document };
};

const outputs = [];
for (const file of process.argv.slice(2)) {
  try {
    const document = JSON.parse(readFileSync(file, 'utf8'));
    const canonical = await jsonld.canonize(document, {
      algorithm: 'RDFC-1.0',
      format: 'application/n-quads',
      safe: true,
      documentLoader,
    });
    outputs.push({ canonical });
  } catch (e) {
    outputs.push({ error: String((e && e.message) || e) + (e && e.details ? ' ' + JSON.stringify(e.details).slice(0, 300) : '') });
  }
}
process.stdout.write(JSON.stringify(outputs));
