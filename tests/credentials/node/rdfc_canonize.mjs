// Test-only reference: canonicalizes N-Quads with rdf-canonize (RDFC-1.0) so the native
// canonicalizer can be compared with it byte for byte.
// stdin: JSON array of {"nquads": "...", "hash": "sha256" | "sha384"}
// stdout: JSON array, one {"canonical": "..."} or {"error": "..."} per input, in order.
import canonizer from 'rdf-canonize';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const inputs = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const outputs = [];
for (const {nquads, hash} of inputs) {
  try {
    const canonical = await canonizer.canonize(nquads, {
      algorithm: 'RDFC-1.0',
      inputFormat: 'application/n-quads',
      messageDigestAlgorithm: hash || 'sha256',
      maxWorkFactor: 3,
    });
    outputs.push({canonical});
  } catch (e) {
    outputs.push({error: String(e && e.message || e)});
  }
}
process.stdout.write(JSON.stringify(outputs));
