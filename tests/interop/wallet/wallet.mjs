// Test-only wallet for mcbadge's OpenID4VCI interop tests.
//
// Reads one JSON request on stdin:
//   {"client": "openid4vc" | "sphereon", "offer_uri": "openid-credential-offer://…",
//    "tx_code"?: "123456", "https_only"?: true}
// redeems the offer with that client library (the pre-authorized code flow against a running
// `mcbadge serve`: metadata, token, nonce, credential with a JWT proof of possession signed by
// a fresh P-256 wallet key), and writes one JSON answer on stdout:
//   {"ok": true, "client", "format", "configuration_id", "credential", "holder_jwk",
//    "holder_private_jwk"}
// or {"ok": false, "name", "message", "details"}.

import {webcrypto} from 'node:crypto';
import * as jose from 'jose';

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function walletKey() {
  const {publicKey, privateKey} = await jose.generateKeyPair('ES256', {extractable: true});
  const publicJwk = await jose.exportJWK(publicKey);
  const privateJwk = await jose.exportJWK(privateKey);
  return {publicKey, privateKey, publicJwk, privateJwk};
}

async function signWith(privateKey, header, payload) {
  return new jose.SignJWT(payload).setProtectedHeader(header).sign(privateKey);
}

// ------------------------------------------------------------------ @openid4vc/openid4vci

async function withOpenid4vc(request, key) {
  const {setGlobalConfig, clientAuthenticationAnonymous} = await import('@openid4vc/oauth2');
  const {Openid4vciClient} = await import('@openid4vc/openid4vci');
  // the service under test usually runs on http://127.0.0.1 (loopback): the library refuses
  // http:// URLs unless told; the HTTPS test sends "https_only": true
  setGlobalConfig({allowInsecureUrls: !request.https_only});
  const client = new Openid4vciClient({
    callbacks: {
      fetch: globalThis.fetch,
      hash: async (data, alg) => {
        const name = {'sha-256': 'SHA-256', 'sha-384': 'SHA-384', 'sha-512': 'SHA-512'}[alg];
        return new Uint8Array(await webcrypto.subtle.digest(name, data));
      },
      generateRandom: bytes => webcrypto.getRandomValues(new Uint8Array(bytes)),
      clientAuthentication: clientAuthenticationAnonymous(),
      signJwt: async (signer, {header, payload}) => {
        if(signer.method !== 'jwk') {
          throw new Error(`the test wallet signs with its jwk, not ${signer.method}`);
        }
        return {jwt: await signWith(key.privateKey, header, payload), signerJwk: key.publicJwk};
      }
    }
  });
  const offer = await client.resolveCredentialOffer(request.offer_uri);
  const metadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const {accessTokenResponse} = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata: metadata,
    ...(request.tx_code ? {txCode: request.tx_code} : {})
  });
  const configurationId = offer.credential_configuration_ids[0];
  const {c_nonce: nonce} = await client.requestNonce({issuerMetadata: metadata});
  const {jwt} = await client.createCredentialRequestJwtProof({
    issuerMetadata: metadata,
    credentialConfigurationId: configurationId,
    signer: {method: 'jwk', publicJwk: key.publicJwk, alg: 'ES256'},
    nonce
  });
  const response = await client.retrieveCredentials({
    issuerMetadata: metadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: configurationId,
    proofs: {jwt: [jwt]}
  });
  if(!response.credentialResponse) {
    throw new Error(`no credential response: ${JSON.stringify(response)}`);
  }
  const body = response.credentialResponse;
  const config = metadata.credentialIssuer.credential_configurations_supported[configurationId];
  return {
    version: metadata.originalDraftVersion,
    format: config.format,
    configuration_id: configurationId,
    credential: body.credentials ? body.credentials[0].credential : body.credential
  };
}

// ------------------------------------------------------------------ @sphereon/oid4vci-client

async function withSphereon(request, key) {
  const {OpenID4VCIClient} = await import('@sphereon/oid4vci-client');
  const kid = 'did:jwk:' + jose.base64url.encode(JSON.stringify(key.publicJwk)) + '#0';
  const client = await OpenID4VCIClient.fromURI({
    uri: request.offer_uri,
    kid,
    alg: 'ES256',
    retrieveServerMetadata: true
  });
  await client.acquireAccessToken(request.tx_code ? {pin: request.tx_code} : {});
  const offered = client.credentialOffer.credential_offer.credential_configuration_ids;
  const configurationId = offered[0];
  const supported = client.getCredentialsSupported();
  const config = supported[configurationId];
  const types = config.credential_definition?.type ?? [config.vct];
  const response = await client.acquireCredentials({
    credentialTypes: configurationId,
    context: config.credential_definition?.['@context'],
    format: config.format,
    kid,
    alg: 'ES256',
    proofCallbacks: {
      signCallback: async (jwt, signKid) => {
        const header = {...jwt.header, kid: signKid ?? kid};
        delete header.jwk;
        return signWith(key.privateKey, header, jwt.payload);
      }
    }
  });
  return {
    version: client.version(),
    format: config.format,
    configuration_id: configurationId,
    types,
    credential: response.credentials ? response.credentials[0].credential : response.credential
  };
}

async function main() {
  const request = await readStdin();
  const key = await walletKey();
  let result;
  if(request.client === 'openid4vc') {
    result = await withOpenid4vc(request, key);
  } else if(request.client === 'sphereon') {
    result = await withSphereon(request, key);
  } else {
    throw new Error(`unknown client ${request.client}`);
  }
  process.stdout.write(JSON.stringify({
    ok: true,
    client: request.client,
    ...result,
    holder_jwk: key.publicJwk,
    holder_private_jwk: key.privateJwk
  }) + '\n');
}

main().catch(error => {
  const details = {
    stack: error?.stack,
    cause: error?.cause ? String(error.cause) : undefined,
    response: error?.response ? String(error.response) : undefined,
    errorResponse: error?.errorResponse
  };
  process.stdout.write(JSON.stringify({
    ok: false, name: error?.name, message: String(error?.message ?? error), details
  }) + '\n');
  process.exitCode = 1;
});
