import { z } from 'zod';
import { memberRoles, partnershipStatuses, partnerTypes, scopes } from './tenancy.ts';

/**
 * What the tenancy API answers (companies, partnerships, members, API clients, keys, tokens):
 * tRPC's output types, the REST responses and the OpenAPI document come from these schemas.
 */

const companyView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  createdAt: z.string(),
});

export const whoAmISchema = z
  .object({
    company: companyView,
    principal: z.object({
      kind: z.enum(['member', 'client']),
      id: z.string(),
      scopes: z.array(z.enum(scopes)),
      name: z.string().nullable(),
      email: z.string().nullable(),
    }),
  })
  .meta({ id: 'WhoAmI' });

export const partnershipSchema = z
  .object({
    id: z.string(),
    direction: z.enum(['sent', 'received']),
    partner: z
      .object({ id: z.string().nullable(), slug: z.string(), name: z.string().nullable() })
      .describe('The other company; on your unanswered invitation only the name you gave'),
    partnerType: z.enum(partnerTypes).describe('What the invited company is to the inviter'),
    tier: z.string(),
    status: z.enum(partnershipStatuses),
    invitedBy: z.string(),
    createdAt: z.string(),
    respondedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    endedBy: z.string().nullable(),
  })
  .meta({ id: 'Partnership' });

export const memberSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(memberRoles),
    createdAt: z.string(),
    disabled: z.boolean(),
  })
  .meta({ id: 'Member' });

export const apiClientSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(scopes)),
    createdAt: z.string(),
    revoked: z.boolean(),
  })
  .meta({ id: 'ApiClient' });

export const createdClientSchema = z
  .object({
    client: apiClientSchema,
    secret: z.string().describe('Shown this once; store it now'),
  })
  .meta({ id: 'CreatedApiClient' });

/** A public JWK (RFC 7517; `kty` OKP with `crv` Ed25519, or EC P-256): every member passes through. */
const publicJwk = z
  .looseObject({
    kty: z.string().optional(),
    crv: z.string().optional(),
    x: z.string().optional(),
    kid: z.string().optional(),
  })
  .meta({ id: 'PublicJwk' });

export const keyInfoSchema = z
  .object({
    kid: z.string(),
    purpose: z.enum(['access', 'attestation']),
    source: z
      .enum(['managed', 'external'])
      .describe('external: your backend holds the private key'),
    alg: z.enum(['EdDSA', 'ES256']),
    publicJwk,
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
  })
  .meta({ id: 'SigningKey' });

export const jwksSchema = z
  .object({
    iss: z.string().describe('The issuer these keys belong to'),
    keys: z.array(publicJwk),
  })
  .meta({ id: 'Jwks' });

export const revokedSchema = z.object({ revoked: z.string().describe('The revoked jti') });
