// What is wrong with one field of a directory editor, beneath it (nothing when it is right).
export function FieldProblem({ problem, testId }: { problem: string | undefined; testId: string }) {
  if (!problem) return null;
  return (
    <small className="directory-field-problem" data-testid={`${testId}-problem`}>
      {problem}
    </small>
  );
}
