import { useApp } from '../app-context.tsx';
import { dateTime } from './format.ts';
import { useQuery } from './use-query.ts';

/** For admins: what their company's witness refused to cosign (a fork, a log that shrank). */
export function WitnessAlarms() {
  const { api, can } = useApp();
  const admin = can('company:admin');
  const alarms = useQuery(
    () => (admin ? api.transparency.alarms.query() : Promise.resolve([])),
    String(admin),
  );
  const list = alarms.data ?? [];
  if (list.length === 0) return null;
  const latest = list[0]!;
  return (
    <div className="alarm" role="alert" data-testid="witness-alarm">
      <strong>Witness alarm:</strong> your witness refused a partnership log on{' '}
      {dateTime(latest.reportedAt)}: {latest.detail}
      {list.length > 1 ? ` (and ${list.length - 1} earlier)` : ''}. Keep the witness’s state file;
      tell your partner and the operator.
    </div>
  );
}
