export function ProgramPage() {
  return <h1>Program</h1>;
}
