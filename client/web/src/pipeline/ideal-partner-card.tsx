import { participantRoles } from '../../../../shared/opportunities/opportunity-fields.ts';
import type { Partnership } from '../api/types.ts';
import { label } from '../ui/format.ts';

type Role = Exclude<(typeof participantRoles)[number], 'originator'>;

export interface DealDraft {
  customerDomain: string;
  segment: string;
  motion: string;
  industry: string;
}

const roleFor: Record<string, Role> = { reseller: 'reseller', service: 'fulfilment' };

/**
 * The Ideal Deal Partner card: the company's active partners with the reasons to bring each in,
 * and a choice of whom to share the new deal with (and in which role).
 */
export function IdealPartnerCard({
  partners,
  chosen,
  onChoose,
}: {
  partners: Partnership[];
  draft: DealDraft;
  chosen: Record<string, Role>;
  onChoose: (c: Record<string, Role>) => void;
}) {
  const toggle = (p: Partnership, on: boolean) => {
    const next = { ...chosen };
    if (on) next[p.partner.slug] = roleFor[p.partnerType] ?? 'co_seller';
    else delete next[p.partner.slug];
    onChoose(next);
  };
  return (
    <section className="idp" aria-labelledby="idp-title" data-testid="ideal-partner-card">
      <h3 id="idp-title">Ideal Deal Partner</h3>
      {partners.length === 0 ? (
        <p className="sub">No active partners yet: invite one before sharing deals.</p>
      ) : (
        <ul className="idp-list">
          {partners.map((p) => {
            const on = p.partner.slug in chosen;
            return (
              <li key={p.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={(e) => toggle(p, e.target.checked)}
                  />
                  <strong>{p.partner.name}</strong>
                  <span className="sub">
                    {' '}
                    {label(p.partnerType)} · {p.tier}
                  </span>
                </label>
                {on && (
                  <label className="inline">
                    Role of {p.partner.name}
                    <select
                      value={chosen[p.partner.slug]}
                      onChange={(e) =>
                        onChoose({ ...chosen, [p.partner.slug]: e.target.value as Role })
                      }
                    >
                      {participantRoles
                        .filter((r) => r !== 'originator')
                        .map((r) => (
                          <option key={r} value={r}>
                            {label(r)}
                          </option>
                        ))}
                    </select>
                  </label>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
