import type { AttributionStatement } from '../../shared/attribution/statement.ts';

/** A JWS in General JSON serialization (RFC 7515 §7.2.1): one signature per company. */
export interface GeneralJws {
  payload: string;
  signatures: { protected: string; signature: string }[];
}

/**
 * Attribution lives in the deal's ledger (not in its editable fields): a signature needs a fixed
 * statement. These events never move the deal's version. The shapes sit here, with the ledger,
 * because both the deal write path (which appends them) and attribution (which projects them)
 * read them, and opportunities must not import attribution.
 */
export type AttributionEvent =
  | {
      type: 'attribution.proposed';
      data: {
        versionId: string;
        version: number;
        statement: AttributionStatement;
        statementHash: string;
        parties: string[];
      };
    }
  | {
      type: 'attribution.signed';
      data: { versionId: string; companyId: string; protected: string; signature: string };
    }
  | { type: 'attribution.disputed'; data: { versionId: string; companyId: string; reason: string } }
  | { type: 'attribution.sealed'; data: { versionId: string; record: GeneralJws } };
