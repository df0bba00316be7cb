export function FinancePage() {
  return <h1>Finance</h1>;
}
